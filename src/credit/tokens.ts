/**
 * From a trajectory's normalised advantage N and its turn credits to per-token advantages
 * (spec/pipeline.md §3.2, "token-level scaling"): every loss-mask token of turn t carries c_t, the credit
 * mass is E = Σ_t n_t·c_t and K counts the tokens with non-zero credit; each token then gets c_t·N·K/E, so
 * the token-mean over credited tokens is exactly N. A trajectory with zero mass (E = 0) gets 0 everywhere.
 */

export interface TurnScaling {
  /** The advantage every loss-mask token of turn t receives. */
  perTurn: number[];
  /** E: Σ_t n_t · c_t. */
  creditMass: number;
  /** K: tokens whose credit is non-zero. */
  creditTokens: number;
}

/**
 * Per-turn token advantages from credits and each turn's loss-mask token count n_t. Turns beyond the counts
 * given have no tokens (they still count in the score, as a turn cut off by the response window does).
 */
export function scaleTurnAdvantages(credits: readonly number[], turnTokens: readonly number[], normalised: number): TurnScaling {
  let mass = 0;
  let nonZero = 0;
  const turns = Math.min(credits.length, turnTokens.length);
  for (let t = 0; t < turns; t++) {
    mass += turnTokens[t] * credits[t];
    if (credits[t] !== 0) nonZero += turnTokens[t];
  }
  const perTurn = credits.map((c) => (mass !== 0 ? (c * normalised * nonZero) / mass + 0 : 0));
  return { perTurn, creditMass: mass, creditTokens: nonZero };
}

/** A turn's assistant tokens: positions [start, end) of the token sequence. */
export interface TurnSpan {
  start: number;
  end: number;
}

/** n_t: the loss-mask-1 tokens inside each turn's span. */
export function maskedTurnTokens(spans: readonly TurnSpan[], lossMask: ArrayLike<number>): number[] {
  return spans.map(({ start, end }) => {
    let n = 0;
    const stop = Math.min(end, lossMask.length);
    for (let j = Math.max(0, start); j < stop; j++) if (lossMask[j] !== 0) n++;
    return n;
  });
}

/**
 * Write per-token advantages into `out` (zero-filled first): loss-mask tokens of turn t get perTurn[t];
 * everything else (prompt, observations, generation prompts, padding) gets 0.
 */
export function fillTokenAdvantages<T extends Float32Array | Float64Array | number[]>(
  perTurn: readonly number[],
  spans: readonly TurnSpan[],
  lossMask: ArrayLike<number>,
  out: T,
): T {
  out.fill(0);
  const turns = Math.min(perTurn.length, spans.length);
  for (let t = 0; t < turns; t++) {
    const value = perTurn[t];
    if (value === 0) continue;
    const stop = Math.min(spans[t].end, lossMask.length, out.length);
    for (let j = Math.max(0, spans[t].start); j < stop; j++) if (lossMask[j] !== 0) out[j] = value;
  }
  return out;
}
