/**
 * Travel's part of the simulator audit: asked about a preference it holds (the classifier's type 2), the user must
 * not deny having one; and it must not quote its hidden situation text.
 */
import { perTask } from "../kit/per-task.js";
import { quotedSpan } from "../kit/quoted-span.js";
import type { GymAudit, Task } from "../../core/types.js";
import { preferencesOf, type Scenario } from "./scenario.js";
import { resolveScenario, type TravelPayload } from "./tasks.js";

const DENIAL = /\b(no (particular|real|strong|specific)? ?preferences?|(don't|do not|doesn't|does not) (really )?(care|mind|matter)|anything (is|would be) fine|whatever works)\b/i;

/** Consecutive words of the hidden situation that make a quote. */
const QUOTE_WORDS = 8;

/** Each task's scenario, resolved once per task (every turn's leak check reads its situation text). */
const scenarioOf = perTask((task: Task<TravelPayload>): Scenario => resolveScenario(task, {}).scenario);

export const travelAudit: GymAudit<TravelPayload> = {
  leak(task, _turn, reply) {
    const span = quotedSpan(reply, scenarioOf(task).scenario, QUOTE_WORDS);
    return span ? `the user quoted its hidden situation: "${span}"` : undefined;
  },
  contradiction(task, turn, reply) {
    const id = turn.info.preference;
    if (turn.info.utterance_type !== "2" || typeof id !== "string" || !DENIAL.test(reply)) return undefined;
    const pref = preferencesOf(scenarioOf(task)).find((p) => p.id === id);
    return `denied having a preference it holds${pref ? ` (${pref.aspect}: ${pref.preference})` : ""}`;
  },
  // Only a reply about a preference it holds (type 2) carries information; the others are stock lines.
  stockReply: (_reply, _task, turn) => turn.info.utterance_type !== "2",
  // The episode ends on the agent's recommendations or the turn limit, never the user's.
  userEnded: () => false,
};
