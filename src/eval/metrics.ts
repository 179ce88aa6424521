/**
 * Per-episode metrics every gym shares. A gym's own score (the paper's metric for it: a success, a reward sum,
 * Travel-style choice correctness) is its definition's `scoring`; these are the turn-level figures beside it.
 *
 * Choices the paper leaves open, written down:
 * - effective turns = the 1-based index of the last turn with a non-zero reward (0 when no turn paid);
 * - time-weighted performance = Σ_t r_t / t over 1-based turns, i.e. weight 1/(i+1) with i counted from 0,
 *   so a reward on the first turn counts in full.
 */
import type { Trajectory } from "../core/types.js";

export function totalReward(t: Pick<Trajectory, "turns">): number {
  return t.turns.reduce((s, x) => s + x.reward, 0);
}

export function effectiveTurns(t: Pick<Trajectory, "turns">): number {
  for (let i = t.turns.length - 1; i >= 0; i--) if (t.turns[i].reward !== 0) return i + 1;
  return 0;
}

export function timeWeighted(t: Pick<Trajectory, "turns">): number {
  return t.turns.reduce((s, x, i) => s + x.reward / (i + 1), 0);
}
