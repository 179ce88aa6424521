/**
 * Telepathy's part of the simulator audit: the host must answer a question Yes, No or Maybe — naming the entity
 * gives the game away, and an answer against what the entity data settles (its class, its own description,
 * as the offline user reads them) is a contradiction.
 */
import { perTask } from "../kit/per-task.js";
import type { GymAudit, Task, TurnRecord } from "../../core/types.js";
import { mentionTest } from "./names.js";
import { TelepathyOfflineUser, type EntityFacts, type YesNo } from "./offline.js";

const VERDICT = /^\W*(yes|no|maybe)\b/i;

/**
 * What the checks read of a task, each part built on first use and kept per task: the entity's name test, and the
 * offline user's reading of the data (needed only for turns that do not carry that user's reading).
 */
class TaskIndex {
  private user?: TelepathyOfflineUser;
  private test?: (text: string) => boolean;
  constructor(private readonly facts: EntityFacts) {}

  mentions(text: string): boolean {
    this.test ??= mentionTest(this.facts.names);
    return this.test(text);
  }

  settled(question: string): YesNo {
    const p = this.facts;
    this.user ??= new TelepathyOfflineUser({ names: p.names, targetEntity: p.targetEntity, category: p.category, description: p.description });
    return this.user.answer(question);
  }
}

const indexOf = perTask((task: Task<EntityFacts>) => new TaskIndex(task.payload));

/** What the offline host's reading settled for this turn's question, when the turn carries it. */
function recorded(turn: TurnRecord): YesNo | undefined {
  const s = turn.userReading?.settled;
  return s === "Yes" || s === "No" || s === "Maybe" ? s : undefined;
}

export const telepathyAudit: GymAudit<EntityFacts> = {
  stockReply: () => true,
  leak(task, turn, reply) {
    const question = turn.action?.content ?? "";
    // The reply first: it is short and rarely names anything, so the question is read only when it does.
    const x = indexOf(task);
    if (!x.mentions(reply) || x.mentions(question)) return undefined;
    return `the host named the entity in its answer to "${question}"`;
  },
  contradiction(task, turn, reply) {
    const said = VERDICT.exec(reply)?.[1];
    if (!said) return undefined;
    const question = turn.action?.content ?? "";
    // What the entity data settles about the question (Maybe where it settles nothing): as the episode's offline
    // host read it when the turn records that, else read again.
    const settled = recorded(turn) ?? indexOf(task).settled(question);
    if (settled === "Maybe" || settled.toLowerCase() === said.toLowerCase()) return undefined;
    return `answered "${said}" to "${question}", where the entity data says ${settled}`;
  },
};
