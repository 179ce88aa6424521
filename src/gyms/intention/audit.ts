/**
 * Intention's part of the simulator audit: the user should answer what the agent asked. A reply that states an
 * option of a hidden detail the question did not ask about (the lexical matcher the offline user and judge use
 * tells which details a question asks) volunteers that detail unasked. The user restating its own request is
 * not a leak.
 */
import type { GymAudit, Task } from "../../core/types.js";
import { DetailMatcher } from "./matcher.js";
import type { IntentionPayload } from "./offline.js";

const matchers = new WeakMap<Task<IntentionPayload>, DetailMatcher>();

function matcher(task: Task<IntentionPayload>): DetailMatcher {
  let m = matchers.get(task);
  if (!m) {
    m = new DetailMatcher(task.payload.details, `${task.payload.task} ${task.payload.category}`);
    matchers.set(task, m);
  }
  return m;
}

const norm = (s: string): string => ` ${s.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, " ").trim()} `;

/** Options short or common enough to turn up by chance are not evidence. */
const MIN_OPTION_CHARS = 4;

export const intentionAudit: GymAudit<IntentionPayload> = {
  leak(task, turn, reply) {
    const { details } = task.payload;
    const asked = new Set(matcher(task).asked(turn.action?.content ?? ""));
    const said = norm(reply.split(task.payload.task).join(" "));
    const askedOptions = new Set([...asked].flatMap((d) => details[d].options.map(norm)));
    const volunteered = details.flatMap((d, i) =>
      !asked.has(i) && d.options.some((o) => o.trim().length >= MIN_OPTION_CHARS && !askedOptions.has(norm(o)) && said.includes(norm(o))) ? [i] : [],
    );
    if (volunteered.length === 0) return undefined;
    return `volunteered ${volunteered.map((d) => `"${details[d].description}"`).join(", ")} without being asked`;
  },
  // Not being able to place a question, the user redirects to its request: a stock reply, not a loop.
  stockReply: (reply, task) => matcher(task).asked(reply.split(task.payload.task).join(" ")).length === 0,
  // The episode ends when every detail is covered (a rewarded turn) or when the agent finishes: never by the user.
  userEnded: () => false,
};
