/**
 * Telepathy's part of the simulator audit: the host must answer a question Yes, No or Maybe — naming the entity
 * gives the game away, and an answer against what the entity data settles (its class, its own description,
 * as the offline user reads them) is a contradiction.
 */
import type { GymAudit, Task } from "../../core/types.js";
import { mentionsName } from "./names.js";
import { TelepathyOfflineUser, type EntityFacts, type YesNo } from "./offline.js";

const VERDICT = /^\W*(yes|no|maybe)\b/i;

const users = new WeakMap<Task<EntityFacts>, TelepathyOfflineUser>();

/** What the entity data settles about a question (Maybe where it settles nothing). */
function truth(task: Task<EntityFacts>, question: string): YesNo {
  let user = users.get(task);
  if (!user) {
    const p = task.payload;
    user = new TelepathyOfflineUser({ names: p.names, targetEntity: p.targetEntity, category: p.category, description: p.description });
    users.set(task, user);
  }
  return user.answer(question);
}

export const telepathyAudit: GymAudit<EntityFacts> = {
  stockReply: () => true,
  leak(task, turn, reply) {
    const question = turn.action?.content ?? "";
    // The reply first: it is short and rarely names anything, so the question is read only when it does.
    if (!mentionsName(reply, task.payload.names) || mentionsName(question, task.payload.names)) return undefined;
    return `the host named the entity in its answer to "${question}"`;
  },
  contradiction(task, turn, reply) {
    const said = VERDICT.exec(reply)?.[1];
    if (!said) return undefined;
    const question = turn.action?.content ?? "";
    const settled = truth(task, question);
    if (settled === "Maybe" || settled.toLowerCase() === said.toLowerCase()) return undefined;
    return `answered "${said}" to "${question}", where the entity data says ${settled}`;
  },
};
