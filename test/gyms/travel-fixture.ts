/** The synthetic scenario of spec/gyms-tools.md §2.9 (the reference's data is absent), and episode helpers. */
import { parseBracketAction } from "../../src/core/action.js";
import type { GymContext, StepResult } from "../../src/core/types.js";
import { ScriptedModel, type ScriptedReply } from "../../src/models/scripted.js";
import { TravelEpisode } from "../../src/gyms/travel/episode.js";
import { llmRoles } from "../../src/gyms/travel/llm-roles.js";
import { offlineRoles } from "../../src/gyms/travel/offline.js";
import { parseScenario, type Scenario } from "../../src/gyms/travel/scenario.js";
import { ctx } from "../helpers.js";

const flight = (id: string, cost: number, extra: Record<string, unknown> = {}) => ({
  id,
  path: ["New York", "San Francisco"],
  time: [6.1],
  company: ["United Airlines"],
  flight_number: [`UA${cost}`],
  cost,
  amenities: ["Wi-Fi"],
  service: {},
  type: "hidden",
  reason: "hidden",
  ...extra,
});
const hotel = (id: string, cost: number, rating: number) => ({
  id,
  name: `Hotel ${id}`,
  room: ["Standard Queen (sleeps 2)"],
  cost: [cost],
  rating,
  amenities: ["Fitness center"],
  service: {},
});

export const FIXTURE_KEY = "flight:2-37|hotel:2-9";

export function fixtureScenario(): Scenario {
  return parseScenario(
    FIXTURE_KEY,
    {
      scenario: "A traveller flies from New York to San Francisco and stays in a hotel.",
      dimensions: ["flight", "hotel"],
      wanted_num: "22",
      initial_description:
        "I am planning a trip from New York to San Francisco with a one-way flight on April 10th, and I will stay in a hotel in San Francisco from April 10th to April 15th.",
      flight: {
        preferences: [
          ["flight", "layover", "No layovers longer than 2 hours", "I get restless waiting in airports for long."],
          ["flight", "amenities", "Needs free wifi", "I always have to stay online for work."],
        ],
        options: {
          correct: [flight("F3", 300), flight("F5", 420)],
          wrong: [flight("F1", 250, { amenities: [] })],
          noise: [flight("F2", 200, { amenities: [], path: ["New York", "Denver", "San Francisco"], time: [4, 5, 2.5] })],
        },
        correct_ids: ["F3", "F5"],
        best_id: "F3",
        arguments: { origin: "New York", destination: "San Francisco", departure_date: "April 10th" },
      },
      hotel: {
        preferences: [
          ["hotel", "rating", "Rating above 8", "I only enjoy well-reviewed places."],
          ["hotel", "amenities", "Needs a gym", "I never skip my morning workout."],
          ["hotel", "too short"],
        ],
        options: { correct: [hotel("H11", 900, 8.6)], wrong: [hotel("H2", 700, 7.1)], noise: [] },
        correct_ids: ["H11"],
        best_id: "H11",
        arguments: { location: "San Francisco", check_in_date: "April 10th", check_out_date: "April 15th" },
      },
    },
    "userbench",
  );
}

/** J(x): a judge/user reply carrying a JSON object, fenced as models often write it. */
export const J = (o: Record<string, unknown>): string => "```json\n" + JSON.stringify(o) + "\n```";

export interface Played {
  results: StepResult[];
  model?: ScriptedModel;
  episode: TravelEpisode;
}

/** Play bracket actions on the fixture; `replies` script one model serving both judge and user roles. */
export async function playFixture(actions: string[], replies: ScriptedReply[] | undefined, over: Partial<GymContext> = {}): Promise<Played> {
  const c = ctx(over);
  let model: ScriptedModel | undefined;
  let roles = offlineRoles;
  if (replies) {
    model = new ScriptedModel(replies);
    c.user = { kind: "llm", spec: "scripted", user: model, judge: model };
    roles = llmRoles(c);
  }
  const episode = new TravelEpisode(fixtureScenario(), c, roles);
  await episode.reset();
  const results: StepResult[] = [];
  for (const a of actions) results.push(await episode.step(parseBracketAction(a)));
  return { results, model, episode };
}
