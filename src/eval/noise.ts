/**
 * The noise floor of a score difference: the minimum detectable difference (MDD) of a two-sided test at
 * α = 0.05 with 80% power, MDD = (z₀.₉₇₅ + z₀.₈) · SE(difference). A difference smaller than it is one the
 * run's task count and observed variance could not tell from chance.
 */

/** z for a two-sided α = 0.05. */
const Z_ALPHA = 1.959963984540054;
/** z for 80% power. */
const Z_POWER = 0.8416212335729143;

export function minimumDetectableDifference(stderrOfDifference: number): number {
  return (Z_ALPHA + Z_POWER) * stderrOfDifference;
}

/**
 * The noise floor of one run's score, for comparing it with another run of the same size and variance that is
 * not paired with it: SE(difference) = √2 · SE(score). Paired comparisons (`compare`) use their own, usually
 * smaller, paired SE.
 */
export function runNoiseFloor(stderr: number): number {
  return minimumDetectableDifference(Math.SQRT2 * stderr);
}

/** True when |delta| does not reach the noise floor (an exact tie is always within noise). */
export function withinNoise(delta: number, floor: number): boolean {
  return delta === 0 || Math.abs(delta) < floor;
}
