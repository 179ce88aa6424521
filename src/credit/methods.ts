/**
 * Turn-level credits and trajectory scores (spec/pipeline.md §3.2, paper-results.md §3).
 *
 * Naming: the reference's trajectory method "Sum" computes a rounded *mean* of the turn rewards; here it is
 * called `Mean`. `Sum` is the plain Σ r_t the paper's text describes. The paper's "Sum" results came from `Mean`.
 */
import { pyRound } from "../core/pyformat.js";

export const TURN_LEVEL_METHODS = ["Naive", "Equalized", "R2G", "EM", "LookAhead"] as const;
/**
 * Naive: c_t = r_t · Equalized: c_t = 1 · R2G: reward-to-go Σ_{k≥t} γ^{k−t} r_k · EM: exponential mapping ·
 * LookAhead: CollabLLM's multiturn-aware reward, r_t plus the discounted rewards of futures sampled from the state
 * after turn t (`lookAheadValue`); the futures come from outside (`look-ahead.ts` for gyms), so the values are given.
 */
export type TurnLevelMethod = (typeof TURN_LEVEL_METHODS)[number];

export const TRAJECTORY_SCORE_METHODS = ["Mean", "Sum", "R2G"] as const;
/** Mean: round₄(Σ r_t / T) (the reference's "Sum") · Sum: Σ r_t · R2G: Σ γ^{t−1} r_t. */
export type TrajectoryScoreMethod = (typeof TRAJECTORY_SCORE_METHODS)[number];

/** The paper's γ (discount) and EM's k. */
export const DEFAULT_GAMMA = 0.8;
export const DEFAULT_EM_K = 2.0;

/** Discounted returns from every turn, by the reference's backward recursion s ← r_t + γ·s. */
export function rewardToGo(rewards: readonly number[], gamma = DEFAULT_GAMMA): number[] {
  const out = new Array<number>(rewards.length);
  let s = 0;
  for (let t = rewards.length - 1; t >= 0; t--) {
    s = t === rewards.length - 1 ? rewards[t] : rewards[t] + gamma * s;
    out[t] = s;
  }
  return out;
}

/** EM credit: round₄(0.5 + 0.5·(1 − e^{−k r}) / (1 − e^{−k})); maps r ∈ [0,1] onto [0.5, 1]. */
export function exponentialMapping(reward: number, k = DEFAULT_EM_K): number {
  return pyRound(0.5 + (0.5 * (1 - Math.exp(-k * reward))) / (1 - Math.exp(-k)), 4);
}

/**
 * A turn's look-ahead value: its own reward plus the mean over sampled futures of Σ_{k≥1} γ^k r_{t+k}, where each
 * future lists the rewards of the turns played after turn t (up to the look-ahead horizon).
 */
export function lookAheadValue(reward: number, futures: readonly (readonly number[])[], gamma = DEFAULT_GAMMA): number {
  if (futures.length === 0) return reward;
  let total = 0;
  for (const f of futures) {
    let g = 1;
    for (const r of f) total += (g *= gamma) * r;
  }
  return reward + total / futures.length;
}

/** Per-turn credits c_1 … c_T of one trajectory (`lookAhead`: the per-turn values LookAhead uses). */
export function turnCredits(
  rewards: readonly number[],
  method: TurnLevelMethod,
  opts: { gamma?: number; emK?: number; lookAhead?: readonly number[] } = {},
): number[] {
  switch (method) {
    case "LookAhead":
      if (opts.lookAhead?.length !== rewards.length) {
        throw new RangeError(`LookAhead credit needs one look-ahead value per turn (${rewards.length}), got ${opts.lookAhead ? opts.lookAhead.length : "none"}`);
      }
      return [...opts.lookAhead];
    case "Naive":
      return [...rewards];
    case "Equalized":
      return rewards.map(() => 1);
    case "R2G":
      return rewardToGo(rewards, opts.gamma ?? DEFAULT_GAMMA);
    case "EM": {
      // Rewards take few distinct values and the exact rounding is costly: map each value once.
      const k = opts.emK ?? DEFAULT_EM_K;
      const seen = new Map<number, number>();
      return rewards.map((r) => {
        let c = seen.get(r);
        if (c === undefined) seen.set(r, (c = exponentialMapping(r, k)));
        return c;
      });
    }
    default:
      throw new RangeError(`unknown turn-level method "${String(method)}" (expected ${TURN_LEVEL_METHODS.join(", ")})`);
  }
}

/** The trajectory score S that GRPO normalises within a group. An empty trajectory scores 0. */
export function trajectoryScore(rewards: readonly number[], method: TrajectoryScoreMethod, opts: { gamma?: number } = {}): number {
  if (rewards.length === 0) return 0;
  switch (method) {
    case "Mean":
      // Left-to-right float64 sum, then Python's round(x, 4) (ties to even: 0.03125 → 0.0312).
      return pyRound(sum(rewards) / rewards.length, 4);
    case "Sum":
      return sum(rewards);
    case "R2G":
      return rewardToGo(rewards, opts.gamma ?? DEFAULT_GAMMA)[0];
    default:
      throw new RangeError(`unknown trajectory score method "${String(method)}" (expected ${TRAJECTORY_SCORE_METHODS.join(", ")})`);
  }
}

function sum(xs: readonly number[]): number {
  let s = 0;
  for (const x of xs) s += x;
  return s;
}
