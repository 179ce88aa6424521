/**
 * The paper's Travel metric ("choice correctness", `eval/analyze.py`, spec/pipeline.md §5.4): per aspect,
 * the best reward among the answer turns whose option id starts with that aspect's initial, summed and
 * divided by the number of aspects in the task (the parts of its id). Search and preference rewards do
 * not count. Turns are grouped by the first character of the answer content, exactly as analyze.py does.
 */
import type { TurnRecord } from "../../core/types.js";

/** Aspects in a task id like `flight:2-37|hotel:2-9`. */
export function aspectCount(taskId: string): number {
  return taskId.split("|").length;
}

export function travelScore(turns: readonly Pick<TurnRecord, "action" | "toolArgs" | "reward">[], taskId: string): number {
  const best = new Map<string, number>();
  for (const t of turns) {
    const choice = t.toolArgs?.choice ?? t.action?.choice;
    const content = t.toolArgs?.content ?? t.action?.content ?? "";
    if (choice !== "answer" || content.length === 0) continue;
    const k = content[0];
    best.set(k, Math.max(best.get(k) ?? Number.NEGATIVE_INFINITY, t.reward));
  }
  let sum = 0;
  for (const v of best.values()) sum += v;
  return sum / aspectCount(taskId);
}
