/**
 * Intention's part of the simulator audit: the user should answer what the agent asked. A reply that states an
 * option of a hidden detail the question did not ask about (the lexical matcher the offline user and judge use
 * tells which details a question asks) volunteers that detail unasked. The user restating its own request is
 * not a leak.
 */
import type { GymAudit, Task, TurnRecord } from "../../core/types.js";
import { DetailMatcher } from "./matcher.js";
import type { IntentionPayload } from "./offline.js";

const norm = (s: string): string => ` ${s.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, " ").trim()} `;

/** Options short or common enough to turn up by chance are not evidence. */
const MIN_OPTION_CHARS = 4;

/**
 * What the checks read of a task, kept per task: each detail's options normalised (all of them, and those long
 * enough to be evidence), the detail matcher (built on first use: only turns without the offline user's reading,
 * and repeated replies, need it), and the stock-reply verdict of each reply text already seen (a redirect repeats
 * verbatim, and it is the repeats that are asked about).
 */
class TaskIndex {
  readonly allOptions: Set<string>[];
  readonly options: string[][];
  private readonly stock = new Map<string, boolean>();
  private built?: DetailMatcher;
  constructor(private readonly payload: IntentionPayload) {
    this.allOptions = payload.details.map((d) => new Set(d.options.map(norm)));
    this.options = payload.details.map((d) => d.options.filter((o) => o.trim().length >= MIN_OPTION_CHARS).map(norm));
  }

  get matcher(): DetailMatcher {
    this.built ??= new DetailMatcher(this.payload.details, `${this.payload.task} ${this.payload.category}`);
    return this.built;
  }

  /** Not being able to place a question, the user redirects to its request: a reply that asks about no detail. */
  isStock(reply: string): boolean {
    let stock = this.stock.get(reply);
    if (stock === undefined) {
      stock = this.matcher.asked(reply.split(this.payload.task).join(" ")).length === 0;
      this.stock.set(reply, stock);
    }
    return stock;
  }
}

const indexes = new WeakMap<Task<IntentionPayload>, TaskIndex>();

function indexOf(task: Task<IntentionPayload>): TaskIndex {
  let x = indexes.get(task);
  if (!x) {
    x = new TaskIndex(task.payload);
    indexes.set(task, x);
  }
  return x;
}

/** The details the offline user read this turn's question as asking, when the turn carries that reading. */
function recorded(turn: TurnRecord, details: number): number[] | undefined {
  const asked = turn.userReading?.asked;
  if (!Array.isArray(asked) || !asked.every((d) => Number.isInteger(d) && d >= 0 && d < details)) return undefined;
  return asked as number[];
}

export const intentionAudit: GymAudit<IntentionPayload> = {
  leak(task, turn, reply) {
    const { details } = task.payload;
    const x = indexOf(task);
    const { options, allOptions } = x;
    const said = norm(reply.split(task.payload.task).join(" "));
    // Only a reply that names an option can volunteer one: the question is matched only then.
    const named = options.flatMap((opts, i) => (opts.some((o) => said.includes(o)) ? [i] : []));
    if (named.length === 0) return undefined;
    const asked = new Set(recorded(turn, details.length) ?? x.matcher.asked(turn.action?.content ?? ""));
    const askedOption = (o: string) => [...asked].some((d) => allOptions[d].has(o));
    const volunteered = named.filter((i) => !asked.has(i) && options[i].some((o) => !askedOption(o) && said.includes(o)));
    if (volunteered.length === 0) return undefined;
    return `volunteered ${volunteered.map((d) => `"${details[d].description}"`).join(", ")} without being asked`;
  },
  // A redirect to the request is a stock reply, not a loop: the reply itself is read (a persona's words around
  // it can speak of a detail), so the offline user's reading of the question does not settle it.
  stockReply: (reply, task) => indexOf(task).isStock(reply),
  // The episode ends when every detail is covered (a rewarded turn) or when the agent finishes: never by the user.
  userEnded: () => false,
};
