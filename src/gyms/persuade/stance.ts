/**
 * The persuadee's 7-point stance ladder and PersuadeGym's step reward (spec/gyms-conversational.md §5.5).
 *
 * Reference (`userrl-2025`): the reward is the climb over the *previous* stance, so regressing and
 * climbing again is paid again (episode sums above 1), and any label off the ladder is kept as the
 * stance, which zeroes the next step's reward and blocks success.
 * Fixed (default): labels are normalised and validated (off-ladder replies never become the stance), and
 * the reward is the gain of the *best* stance reached, so an episode's rewards sum to its best score.
 */
import { pyRound } from "../../core/pyformat.js";

export const STANCES = [
  "Strongly Agree",
  "Agree",
  "Partly Agree",
  "Neutral",
  "Partly Disagree",
  "Disagree",
  "Strongly Disagree",
] as const;
export type Stance = (typeof STANCES)[number];

export const INITIAL_STANCE: Stance = "Strongly Agree";
export const SUCCESS_STANCE: Stance = "Strongly Disagree";

/** Ladder index of an exact label, or -1 (the reference compares labels case-sensitively). */
export function stanceIndex(label: string): number {
  return (STANCES as readonly string[]).indexOf(label);
}

/** The canonical label for a loosely written one ("strongly-disagree.", " Neutral "), or undefined. */
export function normalizeStance(label: string): Stance | undefined {
  const key = label
    .normalize("NFKC")
    .toLowerCase()
    .replace(/[\s_-]+/g, " ")
    .replace(/^[\s"'`*.]+|[\s"'`*.!]+$/g, "");
  return STANCES.find((s) => s.toLowerCase() === key);
}

/** The persuasion score of a stance (0 for Strongly Agree … 1 for Strongly Disagree), 6 decimals. */
export function stanceScore(index: number): number {
  return index < 0 ? 0 : pyRound(index / 6, 6);
}

/** Reference reward: levels climbed over the previous stance, 0 when either label is off the ladder. */
export function referenceStanceReward(previous: string, next: string): { levels: number; raw: number } {
  const a = stanceIndex(previous);
  const b = stanceIndex(next);
  const levels = a < 0 || b < 0 ? 0 : b - a;
  const raw = levels <= 0 ? 0 : levels >= 6 ? 1.0 : pyRound(levels / 6, 6);
  return { levels, raw };
}

/** Fixed reward: the gain in score of the best stance reached (0 unless a new best is reached). */
export function bestStanceReward(bestIndex: number, nextIndex: number): { levels: number; raw: number } {
  if (nextIndex <= bestIndex) return { levels: 0, raw: 0 };
  return { levels: nextIndex - bestIndex, raw: pyRound(stanceScore(nextIndex) - stanceScore(bestIndex), 6) };
}

/** The flat step penalty (applied when set), then the clamp to [0, 1] the reference's normalisation does. */
export function penalise(raw: number, stepPenalty: number, normalize: boolean): number {
  const r = stepPenalty > 0 ? raw - stepPenalty : raw;
  return normalize ? Math.min(1, Math.max(0, r)) : r;
}
