/**
 * TurtleGym's answer scoring and answer feedback (spec/gyms-conversational.md §2.4–2.5).
 *
 * The judge scores every criterion 0 / 0.5 / 1; the story's score is Σ weightᵢ × scoreᵢ accumulated left to
 * right from 0 — the reference's order, so doubles match it bit for bit. Its weights sum to
 * 0.9999999999999999 in floating point for 138 of the 471 stories, so a perfect answer never reaches the
 * training threshold of 1.0 there. Fixed (default): the score is rounded to 10 decimals first, which
 * removes that noise (and only that). `userrl-2025` keeps the raw sum.
 *
 * Feedback: the reference lists the verbatim statement of every fully covered criterion, which hands the
 * protocol's wording to the agent. Fixed: the feedback is built by rules alone — covered points by number
 * and a count of partly covered ones — so neither the protocol nor a judge talked into revealing the
 * story can leak through it.
 */
import { pyRound } from "../../core/pyformat.js";
import { pyStrip } from "../../core/action.js";
import type { Compat } from "../../core/types.js";

export interface Criterion {
  statement: string;
  /** The criterion's weight (the data's `score` field); a story's weights sum to 1. */
  weight: number;
}

export const TURTLE_FEEDBACK = {
  noneCovered: "Your answer does not effectively cover any evaluation points.",
  coveredHeader: "Here's the evaluation points that your story effectively covers:\n",
  moreTwists: "\nThere might be more hidden twists that you haven't covered. Try to continue ask related questions and answer with creativity.",
  fallback: "Feedback not available currently. Please try again.",
};

/** Σ weightᵢ × scoreᵢ in the reference's order; fixed mode rounds away float noise in the last digits. */
export function storyScore(criteria: readonly Criterion[], scores: readonly number[], compat: Compat): number {
  let total = 0.0;
  for (let i = 0; i < criteria.length; i++) total += criteria[i].weight * scores[i];
  return compat === "userrl-2025" ? total : pyRound(total, 10);
}

/** The reference's answer feedback: the statements of the criteria judged exactly 1. */
export function referenceAnswerFeedback(criteria: readonly Criterion[], scores: readonly number[]): string {
  let lines = "";
  criteria.forEach((c, i) => {
    if (scores[i] === 1) lines += `${c.statement}: Covered\n`;
  });
  lines = pyStrip(lines);
  return lines === "" ? TURTLE_FEEDBACK.noneCovered : TURTLE_FEEDBACK.coveredHeader + lines + TURTLE_FEEDBACK.moreTwists;
}

/** Fixed answer feedback: which key points (by number) are fully covered, and how many partly. */
export function answerFeedback(scores: readonly number[]): string {
  const full = scores.flatMap((s, i) => (s === 1 ? [i + 1] : []));
  const partial = scores.filter((s) => s === 0.5).length;
  const n = scores.length;
  const parts: string[] = [];
  if (full.length === n) parts.push(`Your story covers all ${n} key point${n === 1 ? "" : "s"} of the hidden story.`);
  else if (full.length === 0 && partial === 0) parts.push(`Your story does not cover any of the ${n} key point${n === 1 ? "" : "s"} of the hidden story yet.`);
  else {
    const covered = full.length ? `fully covers key point${full.length === 1 ? "" : "s"} ${listNumbers(full)} of ${n}` : `fully covers none of the ${n} key points`;
    parts.push(`Your story ${covered}${partial ? ` and partly covers ${partial} more` : ""}.`);
  }
  if (full.length < n) parts.push("There may be more hidden twists: keep asking questions, then answer again.");
  return parts.join("\n");
}

function listNumbers(xs: number[]): string {
  return xs.length === 1 ? String(xs[0]) : `${xs.slice(0, -1).join(", ")} and ${xs[xs.length - 1]}`;
}
