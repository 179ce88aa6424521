/**
 * Telepathy's part of the simulator audit: the host must answer a question Yes, No or Maybe — naming the entity
 * gives the game away, and an answer against what the entity data settles (its class, its own description,
 * as the offline user reads them) is a contradiction.
 */
import type { GymAudit, Task } from "../../core/types.js";
import { mentionTest } from "./names.js";
import { TelepathyOfflineUser, type EntityFacts } from "./offline.js";

const VERDICT = /^\W*(yes|no|maybe)\b/i;

/** What the checks read of a task, built once per task: the offline user's reading of the data, and its names. */
interface TaskIndex {
  user: TelepathyOfflineUser;
  mentions: (text: string) => boolean;
}

const indexes = new WeakMap<Task<EntityFacts>, TaskIndex>();

function indexOf(task: Task<EntityFacts>): TaskIndex {
  let x = indexes.get(task);
  if (!x) {
    const p = task.payload;
    x = { user: new TelepathyOfflineUser({ names: p.names, targetEntity: p.targetEntity, category: p.category, description: p.description }), mentions: mentionTest(p.names) };
    indexes.set(task, x);
  }
  return x;
}

export const telepathyAudit: GymAudit<EntityFacts> = {
  stockReply: () => true,
  leak(task, turn, reply) {
    const question = turn.action?.content ?? "";
    // The reply first: it is short and rarely names anything, so the question is read only when it does.
    const { mentions } = indexOf(task);
    if (!mentions(reply) || mentions(question)) return undefined;
    return `the host named the entity in its answer to "${question}"`;
  },
  contradiction(task, turn, reply) {
    const said = VERDICT.exec(reply)?.[1];
    if (!said) return undefined;
    const question = turn.action?.content ?? "";
    // What the entity data settles about the question (Maybe where it settles nothing).
    const settled = indexOf(task).user.answer(question);
    if (settled === "Maybe" || settled.toLowerCase() === said.toLowerCase()) return undefined;
    return `answered "${said}" to "${question}", where the entity data says ${settled}`;
  },
};
