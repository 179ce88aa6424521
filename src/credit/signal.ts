/**
 * How much GRPO signal a set of groups carries. A group whose samples all scored the same has zero
 * advantage everywhere: its tokens were generated, judged and back-propagated for no gradient. This counts
 * such groups and relates the useful ones to what the agent spent.
 */
import type { Trajectory } from "../core/types.js";
import { trajectoryScore, type TrajectoryScoreMethod } from "./methods.js";
import { groupTrajectories } from "./rl-batch.js";

export interface GroupSignal {
  /** Groups with at least two samples (a single sample has no within-group variance to speak of). */
  groups: number;
  /** Groups whose samples all scored the same. */
  zeroVariance: number;
  /** zeroVariance / groups (0 when there are no groups). */
  zeroVarianceShare: number;
  /** Groups with a non-zero variance: the ones that carry a gradient. */
  signalGroups: number;
  /** Agent tokens (prompt + completion) spent on all the groups' samples. */
  agentTokens: number;
  /** signalGroups per 1,000 agent tokens; null when no tokens were counted (scripted agents). */
  signalPer1kTokens: number | null;
}

/** Scores of each group's samples (one array per group) and the agent tokens they cost. */
export function groupSignal(groups: readonly (readonly number[])[], agentTokens: number): GroupSignal {
  const sized = groups.filter((g) => g.length > 1);
  const zeroVariance = sized.filter((g) => g.every((x) => x === g[0])).length;
  const signalGroups = sized.length - zeroVariance;
  return {
    groups: sized.length,
    zeroVariance,
    zeroVarianceShare: sized.length ? zeroVariance / sized.length : 0,
    signalGroups,
    agentTokens,
    signalPer1kTokens: agentTokens > 0 ? (1000 * signalGroups) / agentTokens : null,
  };
}

/** One line for terminals: `3 of 8 groups (37.5%) have zero variance · 0.42 signal groups per 1,000 agent tokens`. */
export function describeSignal(s: GroupSignal): string {
  const per = s.signalPer1kTokens === null ? "agent tokens not counted" : `${s.signalPer1kTokens.toPrecision(3)} signal groups per 1,000 agent tokens`;
  return `${s.zeroVariance} of ${s.groups} groups (${(100 * s.zeroVarianceShare).toFixed(1)}%) have zero variance (no gradient) · ${per}`;
}

/** The signal of a credit computation: its groups' trajectory scores S (what GRPO normalises). */
export function creditSignal(result: { groups: readonly { id: unknown; size: number }[]; trajectories: readonly { score: number }[] }, agentTokens: number): GroupSignal {
  const scores: number[][] = [];
  let i = 0;
  for (const g of result.groups) scores.push(result.trajectories.slice(i, (i += g.size)).map((t) => t.score));
  return groupSignal(scores, agentTokens);
}

/** The signal of stored trajectories grouped for GRPO (by group id), scored as the credit options score them. */
export function trajectorySignal(trajectories: readonly Trajectory[], score: { trajectoryScore: TrajectoryScoreMethod; gamma?: number }): GroupSignal {
  const groups = [...groupTrajectories(trajectories)].map(([, members]) => members.map((t) => trajectoryScore(t.turns.map((r) => r.reward), score.trajectoryScore, score)));
  return groupSignal(groups, agentTokensOf(trajectories));
}

/** What the agent read and wrote over these trajectories. */
export function agentTokensOf(trajectories: readonly Trajectory[]): number {
  return trajectories.reduce((s, t) => s + t.agentUsage.promptTokens + t.agentUsage.completionTokens, 0);
}
