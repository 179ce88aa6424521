/**
 * The shared skeleton of every gym's system prompt (our own words): what the environment is, the
 * choices it accepts, how to act, and the turn budget. Each gym fills in its parts.
 */
import type { Choice } from "../../core/action.js";

export interface PromptParts {
  /** What the environment is and what the user wants. */
  environment: string;
  /** One line per allowed choice. */
  choices: Partial<Record<Choice, string>>;
  /** Gym-specific advice. */
  tips: string[];
}

export function buildSystemPrompt(parts: PromptParts): string {
  const names = Object.keys(parts.choices) as Choice[];
  const lines = [
    "You are an agent working with a user through an interactive environment. Below are the environment and the moves you can make.",
    "",
    `## Environment\n${parts.environment}`,
    "",
    `## How to act\nEvery move is a call to the tool \`interact_with_env\` with a \`choice\` and a \`content\`. Allowed choices: ${names
      .map((n) => `\`${n}\``)
      .join(", ")}.`,
    ...names.map((n) => `- \`${n}\`: ${parts.choices[n]}`),
    "",
    "## Guidelines",
    "- Before each tool call, reason briefly inside <think> and </think>, then make exactly one tool call.",
    "- You have a limited number of turns, so make each one count.",
    ...parts.tips.map((t) => `- ${t}`),
  ];
  return lines.join("\n");
}
