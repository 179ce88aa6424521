/**
 * GRPO group normalisation as the reference's `grpo_multiturn` does it (spec/pipeline.md §3.2):
 * N_i = (S_i − μ) / (σ + ε) with σ the unbiased (n − 1) standard deviation; a one-sample group uses μ = 0,
 * σ = 1. Without std division, N_i = S_i − μ.
 */
export const DEFAULT_EPS = 1e-6;

export interface GroupNormalisation {
  mean: number;
  /** Unbiased standard deviation (1 for a one-sample group, 0 for an empty one). */
  std: number;
  normalised: number[];
}

export function normaliseGroup(scores: readonly number[], opts: { normByStd?: boolean; eps?: number } = {}): GroupNormalisation {
  const n = scores.length;
  if (n === 0) return { mean: 0, std: 0, normalised: [] };
  let mean = 0;
  let std = 1;
  if (n > 1) {
    mean = allEqual(scores) ? scores[0] : scores.reduce((s, x) => s + x, 0) / n;
    let ss = 0;
    for (const x of scores) ss += (x - mean) * (x - mean);
    std = Math.sqrt(ss / (n - 1));
  }
  const eps = opts.eps ?? DEFAULT_EPS;
  const byStd = opts.normByStd ?? true;
  // `+ 0` turns −0 into 0 so equal scores give a clean zero.
  const normalised = scores.map((s) => (byStd ? (s - mean) / (std + eps) : s - mean) + 0);
  return { mean, std, normalised };
}

/**
 * A group of equal scores carries no signal: its mean is taken as that score exactly, so every N is 0
 * rather than the ~1e-11 that summation rounding would leave after division by ε.
 */
function allEqual(xs: readonly number[]): boolean {
  for (let i = 1; i < xs.length; i++) if (xs[i] !== xs[0]) return false;
  return true;
}
