/**
 * FunctionGym: discover a hidden function of four numbers by probing it, then answer the test case.
 * Fully rule-based (no LLM). Behaviour and feedback follow the reference (spec/gyms-tools.md §1).
 */
import type { GymDefinition } from "../../core/types.js";
import { optionsCheck } from "../kit/episode.js";
import { buildSystemPrompt } from "../kit/system-prompt.js";
import { binaryScoring } from "../kit/scoring.js";
import { FunctionBaseline } from "./baseline.js";
import { FunctionEpisode } from "./episode.js";
import { loadTasks, type FunctionPayload } from "./tasks.js";
import { z } from "zod";

export { FunctionEpisode } from "./episode.js";
export type { FunctionPayload } from "./tasks.js";

export const functionGym: GymDefinition<FunctionPayload> = {
  name: "function",
  title: "FunctionGym",
  summary: "Discover a hidden function of four numbers by probing it, then answer the test case.",
  choices: ["search", "action", "answer"],
  metric: "binary",
  scoring: binaryScoring("Success: the right rule pays 1 once."),
  offline: true,
  roles: [],
  offlineUser: "no user needed: the gym is fully rule-based",
  tasks: loadTasks,
  checkOptions: optionsCheck("function", z.object({})),
  systemPrompt: () =>
    buildSystemPrompt({
      environment:
        "The user holds a hidden function f(a, b, c, d) of four numbers. Each of a, b, c, d appears exactly once in it, " +
        "possibly in a shuffled order, combined with addition, subtraction, multiplication, division and powers " +
        "(squares, or one input raised to another). You can evaluate f on inputs of your choice, then you must " +
        "give f's value on a fixed test case.",
      choices: {
        search: "content must be exactly `test`; returns the test case's four numbers.",
        action: "content is four integers separated by spaces; returns f evaluated on them (the test case itself is refused).",
        answer: "content is one number: your value of f on the test case. You may answer more than once.",
      },
      tips: [
        "Start with small inputs and change one input at a time to see how each position affects the result.",
        "Once your hypothesis explains every probe, apply it to the test case and answer.",
      ],
    }),
  firstMessage: () => "I have a hidden function of four numbers ready. Probe it as you like, then tell me its value on the test case.",
  create: (task, ctx) => new FunctionEpisode(task, ctx),
  baseline: () => new FunctionBaseline(),
};
