/**
 * The text the agent sees after a step, in the reference's two forms:
 * training appends the step reward (`feedback\nReward: 1.0`, Python float formatting);
 * evaluation shows the bare feedback.
 */
import { pyFloat } from "./pyformat.js";
import type { Mode } from "./types.js";

export function observationText(feedback: string, reward: number, style: Mode): string {
  return style === "train" ? `${feedback}\nReward: ${pyFloat(reward)}` : feedback;
}
