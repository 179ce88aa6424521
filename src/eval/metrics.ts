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

/** C(n, k) as a float (small n: the sample counts of one task). */
function choose(n: number, k: number): number {
  if (k < 0 || k > n) return 0;
  let c = 1;
  for (let i = 1; i <= k; i++) c = (c * (n - k + i)) / i;
  return c;
}

/**
 * pass^k of one task with `successes` of `trials`: the chance that k trials drawn from them all succeed,
 * C(c, k) / C(n, k) — tau-bench's unbiased estimator of "every one of k tries works".
 */
export function passHatK(trials: number, successes: number, k: number): number {
  return k > trials ? 0 : choose(successes, k) / choose(trials, k);
}

/** The chance that two different trials of one task disagree (one succeeds, one fails): 2c(n−c) / (n(n−1)). */
export function flipRate(trials: number, successes: number): number {
  return trials < 2 ? 0 : (2 * successes * (trials - successes)) / (trials * (trials - 1));
}

/** pass@k of one task: the chance that at least one of k trials drawn from them succeeds, 1 − C(n−c, k) / C(n, k). */
export function passAtK(trials: number, successes: number, k: number): number {
  return k > trials ? 0 : 1 - choose(trials - successes, k) / choose(trials, k);
}
