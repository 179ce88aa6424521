/**
 * TravelGym: plan a trip with a traveller whose preferences are implicit — search the options, ask
 * concrete questions to uncover the preferences, and recommend the best option for each aspect
 * (spec/gyms-tools.md §2). Scenarios come from the generator, or from the original UserBench files
 * when `USERRL_TRAVEL_SCENARIOS` (or the gym option `scenarios`) points at them.
 */
import { statSync } from "node:fs";
import { z } from "zod";
import type { GymContext, GymDefinition, Task } from "../../core/types.js";
import { playedBy } from "../kit/choose.js";
import { roleInfo } from "../kit/roles.js";
import { gymOptions, optionsCheck } from "../kit/episode.js";
import { buildSystemPrompt } from "../kit/system-prompt.js";
import { TravelBaseline } from "./baseline.js";
import { TRAVEL_DATA_COMMANDS } from "./data-commands.js";
import { TravelEpisode } from "./episode.js";
import { classifierRole, llmRoles, searchJudgeRole, travellerRole } from "./llm-roles.js";
import { offlineRoles, voicedOfflineRoles } from "./offline.js";
import { PersonaVoice } from "../../personas/voice.js";
import type { TravelRoles } from "./roles.js";
import type { Scenario } from "./scenario.js";
import { travelScoring } from "./scoring.js";
import { loadTravelTasks, resolveScenario, type TravelPayload } from "./tasks.js";
import { travelAudit } from "./audit.js";

export type { TravelPayload, TravelOptions } from "./tasks.js";
export { TravelEpisode, rewardPreset, type TravelRewards } from "./episode.js";
export { generateScenario, DEFAULT_GENERATOR_SEED } from "./generator/index.js";
export { checkScenario, parseScenario, type Scenario as TravelScenario } from "./scenario.js";
export { loadScenarioDir, writeScenarioDir } from "./files.js";

const optionsSchema = z.object({
  scenarios: z.string().min(1).optional(),
  generatorSeed: z.number().int().optional(),
  searchReward: z.number().optional(),
  preferenceReward: z.number().optional(),
});

/** The roles of one episode: judges on the judge model or offline; the traveller's replies by a person, a model or offline. */
function travelRoles(ctx: GymContext, task: Task<TravelPayload>, scenario: Scenario): TravelRoles {
  const llm = llmRoles(ctx, task, scenario);
  const judges = playedBy(ctx, searchJudgeRole) === "model" ? llm : offlineRoles;
  const user = playedBy(ctx, travellerRole()) === "offline" ? voicedOfflineRoles(new PersonaVoice(ctx.persona)) : llm;
  return {
    judgeSearch: judges.judgeSearch,
    classify: judges.classify,
    preferenceReply: user.preferenceReply,
    proactiveReply: user.proactiveReply,
    naturalReply: user.naturalReply,
  };
}

export const travelGym: GymDefinition<TravelPayload> = {
  audit: travelAudit,
  name: "travel",
  title: "TravelGym",
  summary: "Plan a trip: search the options, uncover the traveller's implicit preferences, recommend the best option per aspect.",
  choices: ["search", "action", "answer"],
  metric: "travel",
  scoring: travelScoring,
  offline: true,
  roles: [roleInfo(searchJudgeRole), roleInfo(classifierRole([])), roleInfo(travellerRole())],
  offlineUser:
    "rule-based: search judge (one aspect, every argument), keyword classifier over the hidden preferences, replies from the implicit-elicitation statements",
  tasks: loadTravelTasks,
  checkOptions: optionsCheck("travel", optionsSchema, (o) => (o.scenarios === undefined || isDirectory(o.scenarios) ? undefined : `travel option scenarios: no folder ${o.scenarios}`)),
  systemPrompt: () =>
    buildSystemPrompt({
      environment:
        "You are a travel agent helping a traveller book a trip. The traveller's first message says which parts of the trip " +
        "they need (flight, hotel, apartment, rental car, restaurant) with places and dates. For each part you can look up the " +
        "available options in a booking database, then recommend exactly one of them. The traveller also has preferences they " +
        "have not mentioned; they reveal them only when you ask concrete questions, and often only indirectly, through their " +
        "situation or habits. Among the options that meet all of the traveller's preferences, they want the cheapest.",
      choices: {
        search:
          "content is one search request for one part of the trip, with the place(s) and date(s) the traveller gave, e.g. " +
          "`hotel in Paris from April 10th to April 15th`. It returns every option for that part, with option ids such as H3.",
        action: "content is your message to the traveller: ask one concrete, specific question at a time (vague questions get vague answers).",
        answer: "content is exactly one option id, e.g. `F3`. You may recommend only one option per part of the trip, and cannot change it.",
      },
      tips: [
        "Search each part of the trip once; the results stay valid for the whole conversation.",
        "Ask about the specific features the options differ in (stops, amenities, room size, car type, cuisine, ...), and read the replies for hints.",
        "Recommend an option only once you understand the traveller's preferences for that part, and pick the cheapest option that meets them all.",
      ],
    }),
  firstMessage: (task) =>
    `${task.payload.description}\nMy budget is tight, so for each part of the trip I'd like the cheapest option that still meets my preferences.`,
  create(task, ctx) {
    const opts = gymOptions("travel", optionsSchema, ctx.options ?? {});
    const { scenario, note } = resolveScenario(task, opts);
    const roles = travelRoles(ctx, task, scenario);
    const rewards = {
      ...(opts.searchReward !== undefined ? { search: opts.searchReward } : {}),
      ...(opts.preferenceReward !== undefined ? { preference: opts.preferenceReward } : {}),
    };
    return new TravelEpisode(scenario, ctx, roles, rewards, note);
  },
  baseline: () => new TravelBaseline(),
  dataCommands: TRAVEL_DATA_COMMANDS,
};

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
