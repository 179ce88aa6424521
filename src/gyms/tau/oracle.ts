/**
 * The oracle agent (`--agent oracle`): replays the task's ground-truth actions as tool calls, a fidelity
 * check of the tool port. It knows the task, but it only tells the customer a required output when it
 * saw that output in a tool result — so a task whose outputs need reasoning beyond the tools (a count,
 * a sum no tool computed) stays unsolved, and is reported as an exception rather than recited.
 *
 * Plan: on a task whose ground truth changes nothing it first looks the customer up (both policies
 * require authentication, and the fixed reward checks it); then every ground-truth write and as many
 * reads as the turn budget allows (calculations first); then one message to the customer with the
 * outputs it found; then the ground truth's transfer, if any; then `[finish]` if the customer is still there.
 */
import { lastFeedback, lastToolArgs, toolCallMessage } from "../../agents/message.js";
import type { AgentReply, AgentSession, AgentView, Task } from "../../core/types.js";
import type { TauAction } from "./domain.js";
import { spokenText } from "./reward.js";
import type { TauPayload } from "./tasks.js";
import { AIRLINE_TOOLS } from "./tools/airline.js";
import { TRANSFER_TOOL } from "./tools/common.js";
import { RETAIL_TOOLS } from "./tools/retail.js";

type Move = { kind: "call"; action: TauAction } | { kind: "say" } | { kind: "finish" };

const WRITES = new Set([...RETAIL_TOOLS, ...AIRLINE_TOOLS].filter((t) => t.writes).map((t) => t.name));

/** The ground-truth calls to replay within `budget` turns: writes always, then reads (calculations first). */
export function oraclePlan(p: TauPayload, budget: number): TauAction[] {
  const calls = p.actions.filter((a) => a.name !== TRANSFER_TOOL);
  const noOp = p.outputs.length === 0 && !calls.some((a) => WRITES.has(a.name));
  const lookup: TauAction[] = noOp ? [{ name: "get_user_details", kwargs: { user_id: p.userId } }] : [];
  let room = budget - lookup.length - calls.filter((a) => WRITES.has(a.name)).length;
  const keep = new Set<TauAction>();
  const reads = calls.filter((a) => !WRITES.has(a.name));
  for (const a of [...reads.filter((r) => r.name === "calculate"), ...reads.filter((r) => r.name !== "calculate")]) {
    if (room <= 0) break;
    keep.add(a);
    room--;
  }
  return [...lookup, ...calls.filter((a) => WRITES.has(a.name) || keep.has(a))];
}

export class TauOracle implements AgentSession {
  private moves?: Move[];
  private readonly seen: string[] = [];

  constructor(private readonly task: Task<TauPayload>) {}

  async act(view: AgentView): Promise<AgentReply> {
    const feedback = lastFeedback(view);
    if (feedback !== undefined && lastToolArgs(view)?.choice === "answer") this.seen.push(feedback);
    this.moves ??= this.plan(view.maxTurns);
    const move = this.moves.shift() ?? { kind: "finish" };
    switch (move.kind) {
      case "call":
        return { message: toolCallMessage("answer", JSON.stringify({ name: move.action.name, arguments: move.action.kwargs })) };
      case "say":
        return { message: toolCallMessage("action", this.closingMessage()) };
      default:
        return { message: toolCallMessage("finish", "") };
    }
  }

  private plan(maxTurns: number): Move[] {
    const p = this.task.payload;
    const transfer = p.actions.find((a) => a.name === TRANSFER_TOOL);
    const budget = maxTurns - 1 - (transfer ? 1 : 0);
    const moves: Move[] = oraclePlan(p, budget).map((action) => ({ kind: "call", action }));
    moves.push({ kind: "say" });
    if (transfer) moves.push({ kind: "call", action: transfer });
    return moves;
  }

  /** The outputs the tools showed, said to the customer. */
  private closingMessage(): string {
    const found = this.task.payload.outputs.filter((o) => this.seen.some((f) => spokenText(f).includes(o.toLowerCase())));
    const facts = found.length > 0 ? ` Here is what I found for you: ${found.join("; ")}.` : "";
    return `Your request has been handled.${facts} Is there anything else I can help you with?`;
  }
}
