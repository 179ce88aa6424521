/**
 * Intention's part of the simulator audit: the user should answer what the agent asked. A reply that states an
 * option of a hidden detail the question did not ask about (the lexical matcher the offline user and judge use
 * tells which details a question asks) volunteers that detail unasked. The user restating its own request is
 * not a leak.
 */
import type { GymAudit, Task } from "../../core/types.js";
import { DetailMatcher } from "./matcher.js";
import type { IntentionPayload } from "./offline.js";

const norm = (s: string): string => ` ${s.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, " ").trim()} `;

/** Options short or common enough to turn up by chance are not evidence. */
const MIN_OPTION_CHARS = 4;

/**
 * What the checks read of a task, built once per task: its detail matcher, each detail's options normalised (all
 * of them, and those long enough to be evidence), and the stock-reply verdict of each reply text already seen
 * (a redirect repeats verbatim, and it is the repeats that are asked about).
 */
interface TaskIndex {
  matcher: DetailMatcher;
  allOptions: Set<string>[];
  options: string[][];
  stock: Map<string, boolean>;
}

const indexes = new WeakMap<Task<IntentionPayload>, TaskIndex>();

function indexOf(task: Task<IntentionPayload>): TaskIndex {
  let x = indexes.get(task);
  if (!x) {
    const { details } = task.payload;
    x = {
      matcher: new DetailMatcher(details, `${task.payload.task} ${task.payload.category}`),
      allOptions: details.map((d) => new Set(d.options.map(norm))),
      options: details.map((d) => d.options.filter((o) => o.trim().length >= MIN_OPTION_CHARS).map(norm)),
      stock: new Map(),
    };
    indexes.set(task, x);
  }
  return x;
}

/** Not being able to place a question, the user redirects to its request: a reply that asks about no detail. */
function isStock(task: Task<IntentionPayload>, reply: string): boolean {
  const x = indexOf(task);
  let stock = x.stock.get(reply);
  if (stock === undefined) {
    stock = x.matcher.asked(reply.split(task.payload.task).join(" ")).length === 0;
    x.stock.set(reply, stock);
  }
  return stock;
}

export const intentionAudit: GymAudit<IntentionPayload> = {
  leak(task, turn, reply) {
    const { details } = task.payload;
    const { matcher, options, allOptions } = indexOf(task);
    const said = norm(reply.split(task.payload.task).join(" "));
    // Only a reply that names an option can volunteer one: the question is matched only then.
    const named = options.flatMap((opts, i) => (opts.some((o) => said.includes(o)) ? [i] : []));
    if (named.length === 0) return undefined;
    const asked = new Set(matcher.asked(turn.action?.content ?? ""));
    const askedOption = (o: string) => [...asked].some((d) => allOptions[d].has(o));
    const volunteered = named.filter((i) => !asked.has(i) && options[i].some((o) => !askedOption(o) && said.includes(o)));
    if (volunteered.length === 0) return undefined;
    return `volunteered ${volunteered.map((d) => `"${details[d].description}"`).join(", ")} without being asked`;
  },
  // A redirect to the request is a stock reply, not a loop.
  stockReply: (reply, task) => isStock(task, reply),
  // The episode ends when every detail is covered (a rewarded turn) or when the agent finishes: never by the user.
  userEnded: () => false,
};
