/**
 * TravelGym in the simulator-cost benchmark: the LLM roles (search judge, utterance classifier and the
 * traveller's replies). Per episode: a search for the first aspect, five concrete questions (a classifier call
 * and a reply each; the second and fourth hit a hidden preference), a recommendation, then the same for the
 * second aspect. The reference's TravelGym was not measured (spec/reference-perf.md: no scenario files).
 */
import type { Task } from "../../src/core/types.js";
import { searchQuery } from "../../src/gyms/travel/baseline.js";
import { DOMAINS } from "../../src/gyms/travel/generator/domain/index.js";
import type { TravelPayload } from "../../src/gyms/travel/tasks.js";
import { aspectsInDescription, parseTrip, searchArguments } from "../../src/gyms/travel/trip.js";
import { aspectsNamed, INITIAL } from "../../src/gyms/travel/aspects.js";
import { filler, pick, type CostCase } from "./types.js";

const QUESTIONS = 5;

export const travelCost: CostCase = {
  gym: "travel",
  layouts: { default: {} },
  actions: (task: Task<unknown>) => {
    const payload = task.payload as TravelPayload;
    const aspects = aspectsInDescription(payload.description);
    const trip = parseTrip(payload.description, aspects);
    return aspects.slice(0, 2).flatMap((a) => [
      `[search] ${searchQuery(a, searchArguments(trip[a] ?? { aspect: a, days: [] }))}`,
      ...DOMAINS[a].templates.slice(0, QUESTIONS).map((t) => `[action] ${t.question}`),
      `[answer] ${INITIAL[a]}1`,
    ]);
  },
  reply: ({ episode, call, messages }) => {
    const system = messages.find((m) => m.role === "system")?.content ?? "";
    const thought = filler(episode * 7 + call, pick(episode * 13 + call, 10, 30));
    if (system.includes("alignment_judgement")) {
      const query = /Search request:\n([\s\S]*?)\n\nGround-truth arguments:/.exec(messages.at(-1)?.content ?? "")?.[1] ?? "";
      return "```json\n" + JSON.stringify({ alignment_judgement: "True", alignment_aspect: aspectsNamed(query)[0] ?? "" }) + "\n```";
    }
    if (system.includes("preference_id")) {
      // Every other question hits the first preference still listed (the ids are in the request).
      const id = /Preference ID: (\S+)/.exec(messages.at(-1)?.content ?? "")?.[1];
      const hit = id !== undefined && pick(episode * 17 + call, 0, 1) === 1;
      return "```json\n" + JSON.stringify(hit ? { type: "2", preference_id: id } : { type: "3" }) + "\n```";
    }
    return "```json\n" + JSON.stringify({ thought, response: filler(episode * 29 + call, pick(episode + call, 12, 35)) }) + "\n```";
  },
};

