/**
 * TravelGym's score, as the paper (and the reference's `analyze.py`) computes it: choice correctness per
 * aspect — the best answer reward per aspect (1.0 best, 0.8 correct, 0 wrong), summed and divided by the
 * number of aspects; search and elicitation rewards do not count. Tasks group by variant (travel22, travel233, …).
 */
import type { GymScoring, Trajectory, TurnRecord } from "../../core/types.js";

/** Number of travel aspects from a task id such as `flight:2-37|hotel:2-9` (one `aspect:…` part each). */
export function travelAspects(taskId: string): number {
  const parts = taskId.split("|").filter((p) => /^[a-z_]+:/i.test(p.trim()));
  return Math.max(1, parts.length);
}

/** The aspect an answer is about: the option id's initial (`H11` → `H`). */
function answerKey(turn: TurnRecord, compat: Trajectory["compat"]): string | undefined {
  if (compat === "userrl-2025") {
    // analyze.py keys by the raw content's first character, so `[answer] H11` lands in a bogus "[" group.
    const raw = turn.toolArgs?.content ?? turn.action?.content ?? "";
    return raw.length ? raw[0] : undefined;
  }
  const content = (turn.action?.content ?? "").replace(/^\s*\[answer\]\s*/i, "").trim();
  const m = /[A-Za-z]/.exec(content);
  return m ? m[0].toUpperCase() : undefined;
}

export function travelScore(t: Pick<Trajectory, "turns" | "taskId" | "compat">): number {
  const best = new Map<string, number>();
  for (const turn of t.turns) {
    if (turn.action?.choice !== "answer" || !(turn.action.content ?? "").trim()) continue;
    const key = answerKey(turn, t.compat);
    if (key === undefined) continue;
    best.set(key, Math.max(best.get(key) ?? -Infinity, turn.reward));
  }
  let sum = 0;
  for (const v of best.values()) sum += v;
  return sum / travelAspects(t.taskId);
}

/** A task's variant, from the preference counts in its id (travel233, travel334, …, ascending). */
export function travelVariant(taskId: string): string | undefined {
  const digits = taskId
    .split("|")
    .map((p) => /:(\d+)-/.exec(p)?.[1])
    .filter((d): d is string => !!d);
  return digits.length ? `travel${digits.sort().join("")}` : undefined;
}

export const travelScoring: GymScoring = {
  score: travelScore,
  binary: false,
  group: travelVariant,
  note: "Choice correctness per aspect: the best answer per aspect (1.0 best, 0.8 correct), averaged over the trip's aspects.",
};
