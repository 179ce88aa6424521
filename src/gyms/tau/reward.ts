/**
 * tau-bench's reward, computed when the episode ends on its own terms (the customer's `###STOP###` or
 * the terminating tool):
 * 1. the live database must equal the ground-truth one (the pristine database after replaying the
 *    task's actions), compared as tau-bench's hash compares: ints differ from floats, strings from numbers;
 * 2. every required output must appear in something the agent said to the customer (lower-cased,
 *    commas removed — a plain substring test, as in the reference).
 *
 * The loophole (fixed by default): on a "no-op" task — one whose ground truth changes nothing and asks
 * for no output (24 test tasks, where the right answer is to refuse or hand over) — check 1 holds at
 * the start, so an immediate transfer or an early STOP earns 1.0. Both policies require the agent to
 * authenticate the customer before anything else, so in `compat: "fixed"` a no-op task also needs a
 * successful lookup naming the customer (e.g. `find_user_id_by_email` returning their id, or
 * `get_user_details` / `get_reservation_details` of their records). `compat: "userrl-2025"` keeps the
 * reference's reward.
 */
import type { Compat } from "../../core/types.js";
import { sameData, type DbState } from "./db.js";
import type { DomainData } from "./domain.js";
import type { TauPayload } from "./tasks.js";

/** A tool call the agent made, with its result (for the lookup check). */
export interface ToolCallRecord {
  name: string;
  kwargs: Record<string, unknown>;
  output: string | null;
}

export interface RewardInfo {
  reward: number;
  /** The database equals the ground truth. */
  r_actions: boolean;
  /** Per required output, whether the agent said it. */
  outputs?: Record<string, boolean>;
  /** Only on no-op tasks: whether the agent looked the customer up (required in `fixed`). */
  customer_identified?: boolean;
}

export function groundTruthKey(p: TauPayload): string {
  return `${p.taskSplit}:${p.index}`;
}

/** Whether the task's ground truth changes nothing and needs no output. */
export function isNoOpTask(domain: DomainData, p: TauPayload): boolean {
  return p.outputs.length === 0 && domain.groundTruth(groundTruthKey(p), p.actions).writes.length === 0;
}

/** Normalised text of what the agent said, as the outputs check reads it. */
export function spokenText(content: string): string {
  return content.toLowerCase().replace(/,/g, "");
}

export function outputSaid(output: string, said: readonly string[]): boolean {
  const needle = output.toLowerCase();
  return said.some((s) => spokenText(s).includes(needle));
}

/** A successful lookup that names the customer, by its arguments or its result. */
export function identifiesCustomer(domain: DomainData, userId: string, call: ToolCallRecord): boolean {
  if (!domain.toolsByName.get(call.name)?.identifiesCustomer) return false;
  if (call.output === null || call.output.startsWith("Error")) return false;
  // A `find_user_id_*` answer is the id itself; a record names its owner as "user_id"; a user lookup takes it.
  return call.output === userId || call.output.includes(`"user_id": "${userId}"`) || call.kwargs.user_id === userId;
}

export function tauReward(args: {
  domain: DomainData;
  task: TauPayload;
  live: DbState;
  /** Everything the agent said to the customer (tau's `respond` contents). */
  said: readonly string[];
  calls: readonly ToolCallRecord[];
  compat: Compat;
}): RewardInfo {
  const { domain, task } = args;
  const gt = domain.groundTruth(groundTruthKey(task), task.actions);
  const rActions = sameData(args.live, gt.final);
  let reward = rActions ? 1 : 0;
  const info: RewardInfo = { reward, r_actions: rActions };
  if (task.outputs.length > 0) {
    info.outputs = Object.fromEntries(task.outputs.map((o) => [o, outputSaid(o, args.said)]));
    if (Object.values(info.outputs).some((found) => !found)) reward = 0;
  }
  if (isNoOpTask(domain, task)) {
    info.customer_identified = args.calls.some((c) => identifiesCustomer(domain, task.userId, c));
    if (args.compat !== "userrl-2025" && !info.customer_identified) reward = 0;
  }
  info.reward = reward;
  return info;
}
