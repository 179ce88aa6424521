/** The Travel baseline with an LLM user: a paraphrased answer to the question it asked still counts. */
import { expect, test } from "vitest";
import { decodeReply, readAnswer } from "../../src/gyms/travel/baseline.js";
import { TEMPLATES } from "../../src/gyms/travel/generator/domain/index.js";
import { TravelEpisode } from "../../src/gyms/travel/episode.js";
import { travelGym } from "../../src/gyms/travel/index.js";
import { offlineRoles } from "../../src/gyms/travel/offline.js";
import type { TravelRoles } from "../../src/gyms/travel/roles.js";
import { generatedScenario } from "../../src/gyms/travel/tasks.js";
import { travelScore } from "../../src/gyms/travel/scoring.js";
import { ctx, data, runTestEpisode } from "../helpers.js";

const template = (key: string) => TEMPLATES.get(key)!.template;

test("a paraphrase names the asked preference, with the value its numbers or names point to", () => {
  const said = "Honestly I get uneasy anywhere guests score below 8.5 — I've been burned before.";
  expect(decodeReply(said, ["hotel"])).toEqual([]); // not in the generator's words
  expect(readAnswer(said, "hotel", template("hotel.rating"))).toEqual({ template: "hotel.rating", value: 8.5 });
  expect(readAnswer("Delta lost my bags twice last year; I'd rather not fly with them.", "flight", template("flight.airline"))).toEqual({
    template: "flight.airline",
    value: "Delta Air Lines",
  });
  expect(readAnswer("Honestly, some fresh sushi would make my day.", "restaurant", template("restaurant.cuisine"))).toEqual({
    template: "restaurant.cuisine",
    value: "Japanese",
  });
  // A wish without a parameter needs no value.
  expect(readAnswer("My pup comes everywhere with me, and she stays by my feet.", "flight", template("flight.pet"))).toEqual({ template: "flight.pet", value: null });
});

test("no wish, another part of the trip, or a reply that does not tell the values apart reveals nothing", () => {
  expect(readAnswer("I don't really have a preference there.", "hotel", template("hotel.rating"))).toBeUndefined();
  expect(readAnswer("This is a good question. However, I do not have specific preference in the aspect you ask about yet.", "hotel", template("hotel.rating"))).toBeUndefined();
  expect(readAnswer("Your question is too vague and general.", "hotel", template("hotel.rating"))).toBeUndefined();
  expect(readAnswer("By the way, about the restaurant: my two little ones will be with us.", "hotel", template("hotel.rating"))).toBeUndefined();
  expect(readAnswer("I like places people love.", "hotel", template("hotel.rating"))).toBeUndefined();
});

test("end to end: with replies it cannot match word for word, the baseline still reads the answers to its questions", async () => {
  // The offline user, but every answer to a question comes back in capitals: the same words, never the generator's
  // exact statement — as a paraphrasing user's replies would be.
  const shouting: TravelRoles = {
    ...offlineRoles,
    preferenceReply: async (pref, history, utterance) => {
      const r = await offlineRoles.preferenceReply(pref, history, utterance);
      return { ...r, value: r.value?.toUpperCase() ?? null };
    },
  };
  const tasks = (await travelGym.tasks(data)).filter((t) => t.split === "test" && t.payload.variant === "22").slice(0, 12);
  const score = async (roles: TravelRoles) => {
    let sum = 0;
    for (const task of tasks) {
      const c = ctx({ mode: "eval", seed: 3 });
      const gym = { ...travelGym, create: () => new TravelEpisode(generatedScenario(task.payload), c, roles) };
      sum += travelScore(await runTestEpisode(gym, task, c, { agent: travelGym.baseline(task, 1), agentSpec: "baseline" }));
    }
    return sum / tasks.length;
  };
  const plain = await score(offlineRoles);
  expect(plain).toBeGreaterThan(0.5);
  expect(await score(shouting)).toBe(plain);
});
