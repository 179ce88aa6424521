/**
 * TelepathyGym: the user thinks of an entity and tells only its broad category; the agent asks yes/no
 * questions (`action`) and guesses (`answer`) (spec/gyms-conversational.md §3). Two LLM roles (`roles.ts`):
 * the host and the judge, both with an offline implementation (`offline.ts`); the episode in `episode.ts`,
 * the tasks in `tasks.ts`, name matching in `names.ts`, the scripted baseline in `baseline.ts`.
 */
import type { GymDefinition } from "../../core/types.js";
import { optionsCheck } from "../kit/episode.js";
import { buildSystemPrompt } from "../kit/system-prompt.js";
import { roleInfo } from "../kit/roles.js";
import { binaryScoring } from "../kit/scoring.js";
import { TelepathyBaseline } from "./baseline.js";
import { hostRole, judgeRole } from "./roles.js";
import { TelepathyEpisode, optionsSchema } from "./episode.js";
import { loadTasks, type TelepathyPayload } from "./tasks.js";
import { telepathyAudit } from "./audit.js";

export { TelepathyEpisode, TELEPATHY_FEEDBACK } from "./episode.js";
export type { TelepathyPayload } from "./tasks.js";

export const telepathyGym: GymDefinition<TelepathyPayload> = {
  audit: telepathyAudit,
  name: "telepathy",
  title: "TelepathyGym",
  summary: "Guess the entity the user is thinking of by asking yes/no questions.",
  choices: ["action", "answer"],
  metric: "binary",
  scoring: binaryScoring("Success: a correct guess pays 1 once."),
  offline: true,
  roles: [roleInfo(hostRole), roleInfo(judgeRole)],
  offlineUser:
    "rule-based: judges guesses by name/alias match; answers class questions (person, animal, food, place, man-made, …) and questions about the entity's listed attributes, else Maybe",
  tasks: loadTasks,
  checkOptions: optionsCheck("telepathy", optionsSchema),
  systemPrompt: () =>
    buildSystemPrompt({
      environment:
        "The user is thinking of one specific entity (a person, animal, object, place, work, event or idea) and tells you " +
        "only what kind of thing it is. Find out exactly what it is.",
      choices: {
        action: "content is one yes/no question about the entity; the user answers Yes, No or Maybe.",
        answer: "content is your guess: the name of the entity. A correct guess wins and ends the game; you may guess more than once.",
      },
      tips: [
        "Start with broad questions that rule out about half of the possibilities, then narrow down.",
        "Ask one thing per question: the user can only answer Yes, No or Maybe.",
        "Guess once you are fairly sure; guess a single, specific entity by its name.",
      ],
    }),
  firstMessage: (task) => `${task.payload.description}\nFind out what I am thinking of.`,
  create: (task, ctx) => new TelepathyEpisode(task, ctx),
  baseline: () => new TelepathyBaseline(),
};
