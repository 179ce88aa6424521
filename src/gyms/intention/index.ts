/**
 * IntentionGym: a vague request hides 1–9 missing details of importance 1–3; the agent asks clarifying
 * questions (spec/gyms-conversational.md §4). Two LLM roles (`roles.ts`): the user and the coverage judge,
 * both with an offline implementation (`offline.ts`, matching in `matcher.ts`); the episode in `episode.ts`
 * (the reference's parsing in `reference-parse.ts`), the tasks in `tasks.ts`, the scripted baseline in `baseline.ts`.
 */
import type { GymDefinition } from "../../core/types.js";
import { optionsCheck } from "../kit/episode.js";
import { buildSystemPrompt } from "../kit/system-prompt.js";
import { IntentionBaseline } from "./baseline.js";
import type { IntentionPayload } from "./offline.js";
import { roleInfo } from "../kit/roles.js";
import { sumScoring } from "../kit/scoring.js";
import { coverageRole, userRole } from "./roles.js";
import { IntentionEpisode, optionsSchema } from "./episode.js";
import { loadTasks } from "./tasks.js";
import { intentionAudit } from "./audit.js";

export { IntentionEpisode } from "./episode.js";
export type { IntentionDetail, IntentionPayload } from "./offline.js";

export const intentionGym: GymDefinition<IntentionPayload> = {
  audit: intentionAudit,
  name: "intention",
  title: "IntentionGym",
  summary: "Clarify a vague request: ask the questions that uncover its missing details, one at a time.",
  choices: ["action"],
  metric: "sum",
  scoring: sumScoring("The sum of the turn rewards: the hidden details the questions uncovered, weighted by importance."),
  offline: true,
  roles: [roleInfo(userRole), roleInfo(coverageRole)],
  offlineUser: "rule-based: matches questions to the hidden details lexically and answers with one of each detail's options",
  tasks: loadTasks,
  checkOptions: optionsCheck("intention", optionsSchema),
  systemPrompt: () =>
    buildSystemPrompt({
      environment:
        "The user has a request that is too vague to act on: important details are missing, and only the user knows them. " +
        "Find out what the user actually needs by asking clarifying questions.",
      choices: {
        action: "content is one clarifying question for the user; the user replies.",
      },
      tips: [
        "Ask about one missing detail per question: bundling several topics into one question earns less.",
        "Start with the details that matter most for the request (scope, constraints, budget, timing, preferences).",
        "Do not repeat a question the user has already answered; move on to the next unknown.",
      ],
    }),
  firstMessage: (task) =>
    `Category: ${task.payload.category}\nMy request: ${task.payload.task}\nAsk me whatever you need to know to help me with this.`,
  create: (task, ctx) => new IntentionEpisode(task, ctx),
  baseline: () => new IntentionBaseline(),
};
