/**
 * Choosing SFT trajectories (the paper's cold start): rank each gym's finished trajectories by a score,
 * keep the best few per task and the top K per gym.
 */
import type { Trajectory } from "../core/types.js";
import { trajectoryScore, TRAJECTORY_SCORE_METHODS, type TrajectoryScoreMethod } from "../credit/index.js";
import { scoringOf } from "../eval/load.js";

/** `metric`: the paper's evaluation metric of the gym; otherwise a trajectory score of the credit module. */
export type RankBy = "metric" | TrajectoryScoreMethod;
export const RANK_BY: readonly RankBy[] = ["metric", ...TRAJECTORY_SCORE_METHODS];

export interface SelectOptions {
  /** Trajectories kept per gym (default 1000). */
  topK?: number;
  /** At most this many trajectories of one task (default 1), so the set covers many tasks. */
  perTask?: number;
  /** Keep only trajectories scoring above this (default 0: failures are never imitation targets). */
  minScore?: number;
  rankBy?: RankBy;
  gamma?: number;
}

export interface Ranked {
  trajectory: Trajectory;
  score: number;
}

const UNUSABLE = new Set(["agent_error", "env_error", "aborted"]);

export function scoreFor(t: Trajectory, rankBy: RankBy, gamma?: number): number {
  if (rankBy === "metric") return scoringOf(t.gym).score(t);
  return trajectoryScore(t.turns.map((x) => x.reward), rankBy, { gamma });
}

/** The selected trajectories, grouped by gym, best first (ties: fewer turns first). */
export function selectForSft(trajectories: Iterable<Trajectory>, opts: SelectOptions = {}): Map<string, Ranked[]> {
  const topK = opts.topK ?? 1000;
  const perTask = opts.perTask ?? 1;
  const minScore = opts.minScore ?? 0;
  const rankBy = opts.rankBy ?? "metric";
  const byGym = new Map<string, Ranked[]>();
  for (const t of trajectories) {
    if (UNUSABLE.has(t.endReason)) continue;
    const score = scoreFor(t, rankBy, opts.gamma);
    if (!(score > minScore)) continue;
    byGym.set(t.gym, [...(byGym.get(t.gym) ?? []), { trajectory: t, score }]);
  }
  const out = new Map<string, Ranked[]>();
  for (const [gym, list] of byGym) {
    list.sort((a, b) => b.score - a.score || a.trajectory.turns.length - b.trajectory.turns.length || a.trajectory.id.localeCompare(b.trajectory.id));
    const perTaskCount = new Map<string, number>();
    const kept: Ranked[] = [];
    for (const r of list) {
      const n = perTaskCount.get(r.trajectory.taskId) ?? 0;
      if (n >= perTask) continue;
      perTaskCount.set(r.trajectory.taskId, n + 1);
      kept.push(r);
      if (kept.length >= topK) break;
    }
    out.set(gym, kept);
  }
  return out;
}
