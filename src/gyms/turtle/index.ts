/**
 * TurtleGym ("turtle soup"): uncover the hidden story behind a puzzling surface by yes/no questions, then
 * explain it (spec/gyms-conversational.md §2). Two LLM roles (`roles.ts`): a host answers questions
 * Yes/No/Maybe, a judge scores answers per weighted key point (`scoring.ts`); the episode in `episode.ts`,
 * the tasks in `tasks.ts`, the scripted baseline in `baseline.ts`.
 */
import type { GymDefinition } from "../../core/types.js";
import { optionsCheck } from "../kit/episode.js";
import { buildSystemPrompt } from "../kit/system-prompt.js";
import { roleInfo } from "../kit/roles.js";
import { sumScoring } from "../kit/scoring.js";
import { TurtleBaseline } from "./baseline.js";
import { hostRole, judgeRole } from "./roles.js";
import { TurtleEpisode, optionsSchema } from "./episode.js";
import { loadTasks, type TurtlePayload } from "./tasks.js";
import { turtleAudit } from "./audit.js";

export { TurtleEpisode, TURTLE_MESSAGES, type TurtleOptions } from "./episode.js";
export type { TurtlePayload } from "./tasks.js";

export const turtleGym: GymDefinition<TurtlePayload> = {
  audit: turtleAudit,
  name: "turtle",
  title: "TurtleGym",
  summary: "Uncover the hidden story behind a puzzling situation by yes/no questions, then explain it.",
  choices: ["action", "answer"],
  metric: "sum",
  scoring: sumScoring("The sum of the turn rewards: the best answer's weighted share of the story's key points."),
  offline: false,
  roles: [roleInfo(hostRole()), roleInfo(judgeRole(1))],
  offlineUser: null,
  tasks: loadTasks,
  checkOptions: optionsCheck("turtle", optionsSchema),
  systemPrompt: () =>
    buildSystemPrompt({
      environment:
        'The user runs a lateral-thinking puzzle ("turtle soup"). You are told the surface of a story: a short, puzzling ' +
        "situation. Behind it is a hidden true story, often with an unexpected twist, which the user knows and you must " +
        "uncover. The user answers your questions only with Yes, No or Maybe; your explanations are scored on how many " +
        "of the hidden story's key points they cover.",
      choices: {
        action: "content is one yes-or-no question about the story.",
        answer:
          "content is your full explanation of what really happened, covering every twist you have inferred. You may " +
          "answer more than once; only improvements on your best answer earn reward.",
      },
      tips: [
        "Usually ask first, then answer once the picture is clear; then refine with more questions and answer again.",
        "Ask sharp questions that split the possibilities, and build on every Yes.",
        "Be bold and creative: the true story is rarely the obvious one.",
      ],
    }),
  firstMessage: (task) =>
    `Title: ${task.payload.title}\nSurface: ${task.payload.surface}\nFind out what really happened behind this story.`,
  create: (task, ctx) => new TurtleEpisode(task, ctx),
  baseline: (task) => new TurtleBaseline({ title: task.payload.title, surface: task.payload.surface }),
};
