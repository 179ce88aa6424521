/**
 * GuessGym, the worked example of the gym kit (docs/adding-a-gym.md): the user thinks of a whole number and
 * answers yes/no questions about it; the agent finds the number and says it. A ninth gym is this folder plus
 * one line in `src/gyms/index.ts`:
 *  - `tasks.ts`: the tasks (generated here; most gyms read a dataset);
 *  - `episode.ts`: the rules of one step, on the kit's {@link KitEpisode};
 *  - `roles.ts`: the LLM user (prompt, reply schema, fallback, how a person plays it);
 *  - `offline.ts`: the deterministic user for `--user offline` and the tests;
 *  - `baseline.ts`: a scripted agent that plays without a model.
 */
import { z } from "zod";
import type { GymDefinition } from "../../core/types.js";
import { optionsCheck } from "../kit/episode.js";
import { roleInfo } from "../kit/roles.js";
import { binaryScoring } from "../kit/scoring.js";
import { buildSystemPrompt } from "../kit/system-prompt.js";
import { GuessBaseline } from "./baseline.js";
import { GuessEpisode } from "./episode.js";
import { userRole } from "./roles.js";
import { guessTasks, type GuessPayload } from "./tasks.js";

export type { GuessPayload } from "./tasks.js";
export { offlineAnswer, type YesNo } from "./offline.js";

export const guessGym: GymDefinition<GuessPayload> = {
  name: "guess",
  title: "GuessGym",
  summary: "Find the user's secret number by asking yes/no questions, then say it (the kit's worked example).",
  choices: ["action", "answer"],
  metric: "binary",
  scoring: binaryScoring("Success: naming the secret number pays 1 once."),
  offline: true,
  offlineUser: "answers range, comparison, parity, prime, divisibility and equality questions about its number by rule",
  roles: [roleInfo(userRole)],
  tasks: async () => guessTasks(),
  checkOptions: optionsCheck("guess", z.object({})),
  systemPrompt: (task) =>
    buildSystemPrompt({
      environment: `The user thought of a secret whole number between 1 and ${task.payload.max} and answers yes-or-no questions about it. Find the number and tell the user.`,
      choices: {
        action: "content is one yes-or-no question about the number (e.g. `Is your number greater than 50?`); the user answers Yes or No.",
        answer: "content is one whole number: your guess. The right number ends the game; a wrong one is answered No.",
      },
      tips: ["Each question can halve the numbers that remain: ask about the middle of what is left."],
    }),
  firstMessage: (task) => `I'm thinking of a whole number between 1 and ${task.payload.max}. Ask me yes-or-no questions, then tell me my number.`,
  create: (task, ctx) => new GuessEpisode(task, ctx),
  baseline: (task) => new GuessBaseline(task),
};
