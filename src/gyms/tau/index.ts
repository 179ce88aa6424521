/**
 * TauGym (`tau`): serve a tau-bench retail or airline customer with the domain's tools
 * (spec/gyms-tools.md §3). Tools, database, grammar, feedback and reward follow tau-bench and the
 * reference; the LLM customer and the scripted offline customer are ours. See the README's TauGym section.
 */
import type { GymDefinition } from "../../core/types.js";
import { roleInfo } from "../kit/roles.js";
import { binaryScoring } from "../kit/scoring.js";
import { TauBaseline } from "./baseline.js";
import { customerRole } from "./customer/llm.js";
import { TauEpisode } from "./episode.js";
import { TauOracle } from "./oracle.js";
import { checkTauOptions, showPolicy } from "./options.js";
import { tauFirstMessage, tauSystemPrompt } from "./prompt.js";
import { loadTauTasks, taskPolicy, type TauPayload } from "./tasks.js";
import { tauAudit } from "./audit.js";

export type { TauPayload } from "./tasks.js";
export type { TauOptions } from "./options.js";
export { TauEpisode } from "./episode.js";
export { domainData, type DomainData } from "./domain.js";
export { tauReward, type RewardInfo } from "./reward.js";

export const tauGym: GymDefinition<TauPayload> = {
  audit: tauAudit,
  name: "tau",
  title: "TauGym",
  summary: "Serve a retail or airline customer with the company's internal tools: find out the request, make exactly the right changes.",
  choices: ["search", "action", "answer"],
  metric: "binary",
  scoring: binaryScoring("Success: the database ends as the task requires and every required output was told to the customer (tau-bench's reward)."),
  offline: true,
  roles: [roleInfo(customerRole())],
  offlineUser:
    "scripted customer from the task's instruction, ground-truth actions and database: gives identity, ids and choices, says yes to confirmations, stops when the goal is met",
  tasks: loadTauTasks,
  checkOptions: checkTauOptions,
  systemPrompt: (task, options) => tauSystemPrompt({ policy: showPolicy(options) ? taskPolicy(task) : undefined }),
  firstMessage: (task) => tauFirstMessage(task.payload.firstMessage),
  create: (task, ctx) => new TauEpisode(task, ctx),
  baseline: (task) => new TauBaseline(task),
  agents: {
    oracle: {
      describe: "replays the task's ground-truth tool calls and tells the customer the required outputs it saw in tool results",
      start: (task) => new TauOracle(task),
    },
  },
};
