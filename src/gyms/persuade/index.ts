/**
 * PersuadeGym: move a simulated user's stance on a claim, from Strongly Agree towards Strongly Disagree
 * (spec/gyms-conversational.md §5). One LLM role, the persuadee (`roles.ts`); the episode in `episode.ts`,
 * the stance ladder and its rewards in `stance.ts`, the tasks in `tasks.ts`, the scripted baseline in `baseline.ts`.
 */
import type { GymDefinition } from "../../core/types.js";
import { optionsCheck } from "../kit/episode.js";
import { buildSystemPrompt } from "../kit/system-prompt.js";
import { roleInfo } from "../kit/roles.js";
import { sumScoring } from "../kit/scoring.js";
import { PersuadeBaseline } from "./baseline.js";
import { persuadeeRole } from "./roles.js";
import { PersuadeEpisode, optionsSchema } from "./episode.js";
import { loadTasks, type PersuadePayload } from "./tasks.js";
import { persuadeAudit } from "./audit.js";

export { PersuadeEpisode, PERSUADE_FEEDBACK, type PersuadeOptions } from "./episode.js";
export type { PersuadePayload } from "./tasks.js";

export const persuadeGym: GymDefinition<PersuadePayload> = {
  audit: persuadeAudit,
  name: "persuade",
  title: "PersuadeGym",
  summary: "Change the user's stance on a claim they hold, argument by argument.",
  choices: ["answer"],
  metric: "sum",
  scoring: sumScoring("The sum of the turn rewards: how far the user's stance moved towards Strongly Disagree."),
  offline: false,
  roles: [roleInfo(persuadeeRole())],
  offlineUser: null,
  tasks: loadTasks,
  checkOptions: optionsCheck("persuade", optionsSchema),
  systemPrompt: () =>
    buildSystemPrompt({
      environment:
        "The user holds a claim that you disagree with, and has told you why they believe it. Their stance moves on a " +
        "seven-point scale: Strongly Agree, Agree, Partly Agree, Neutral, Partly Disagree, Disagree, Strongly Disagree. " +
        "They start at Strongly Agree; your goal is to bring them as far towards Strongly Disagree as you can. They " +
        "reply to every argument and change their mind only when an argument convinces them.",
      choices: {
        answer: "content is your next argument against the claim, addressed to the user.",
      },
      tips: [
        "Look for the weak points of the user's own reasoning first, then argue against them with logic and evidence.",
        "Respond to the user's objections; repeating an argument that did not convince them will not move them.",
        "Each argument should add something new: evidence, a consequence, a counter-example, a fairer alternative.",
      ],
    }),
  firstMessage: (task) =>
    `I hold this claim: ${task.payload.claim}\nHere is my reasoning: ${task.payload.argument}\n` +
    "You disagree with it. Try to change my mind!",
  create: (task, ctx) => new PersuadeEpisode(task, ctx),
  baseline: (task) => new PersuadeBaseline(task.payload),
};
