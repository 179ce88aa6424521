import { describe, expect, test } from "vitest";
import { observationText } from "../../src/core/observation.js";
import { MSG } from "../../src/gyms/travel/episode.js";
import { J, playFixture } from "./travel-fixture.js";

const COMPAT = { compat: "userrl-2025" as const };
const RECORDED = MSG.recorded;

describe("spec §2.9 A: a typical episode (training config)", () => {
  const actions = [
    "[search] flight from New York to San Francisco on April 10th",
    "[action] How long a layover can you tolerate?",
    "[answer] F3",
    "[search] hotel in San Francisco April 10-15",
    "[search] hotel in San Francisco April 10-15",
    "[answer] H2",
  ];
  const replies = [
    J({ alignment_judgement: "True", alignment_aspect: "Flight" }),
    J({ type: "2", preference_id: "P1" }),
    J({ thought: "hint", response: "I get restless in airports." }),
    J({ alignment_judgement: "True", alignment_aspect: "hotel" }),
    J({ alignment_judgement: "True", alignment_aspect: "hotel" }),
  ];

  test("reference behaviour (async path): the episode runs on after a wrong last pick", async () => {
    const { results: r, episode } = await playFixture(actions, replies, COMPAT);
    expect(r[0].feedback.startsWith("You have provided the correct search request arguments.\n\nFlight options have these fields:")).toBe(true);
    expect(r[0].feedback).toContain("Here are all the options for <flight>:\n{");
    expect(r[0].feedback).not.toContain('"type"');
    expect(r[0].feedback).not.toContain('"reason"');
    expect(r[1].feedback).toBe("I get restless in airports.");
    expect(r[2].feedback).toBe(`Your chosen options contain the best option!${RECORDED}`);
    expect(r[3].feedback).toContain("Here are all the options for <hotel>:");
    expect(r[4].feedback).toBe(
      "You have provided the correct search request arguments. However, you have already got the search results for <hotel> in previous search attempts. Please directly refer to the previous search results.",
    );
    expect(r[5].feedback).toBe(`Your chosen options do not contain any of the best or correct options.${RECORDED}`);
    expect(r.map((x) => x.reward)).toEqual([0, 0.8, 1, 0, 0, 0]);
    expect(r.map((x) => x.done)).toEqual([false, false, false, false, false, false]);
    // F3 settles the flight: P2 is dropped (neither elicited nor remaining).
    expect(r[2].info).toMatchObject({ total_preferences: 3, remaining_preferences: 2, elicited_preferences: ["P1"] });
    expect(observationText(r[1].feedback, r[1].reward, "train")).toBe("I get restless in airports.\nReward: 0.8");
    // Not over: a seventh step is still played.
    expect((await episode.step({ choice: "finish", content: "", raw: "[finish]", exactTag: true })).done).toBe(true);
  });

  test("fixed: the episode ends once every aspect has a recommendation", async () => {
    const { results: r } = await playFixture(actions, replies);
    expect(r.map((x) => x.reward)).toEqual([0, 0.8, 1, 0, 0, 0]);
    expect(r.map((x) => x.done)).toEqual([false, false, false, false, false, true]);
  });

  test("evaluation preset: search 0.2, preference 0.6", async () => {
    const { results: r } = await playFixture(actions, replies, { mode: "eval" });
    expect(r.map((x) => x.reward)).toEqual([0.2, 0.6, 1, 0.2, 0, 0]);
  });
});

describe("spec §2.9 B: proactive elicitation (judge types 1, 3, 4, 1)", () => {
  const actions = ["[action] Nice weather today?", "[action] What hotel rating do you want?", "[action] Any preferences?", "[action] Tell me about yourself"];

  test("reference (async): the 4th off-topic turn triggers it, and it fails with the fallback reply", async () => {
    const replies = [
      J({ type: "1" }),
      J({ thought: "", response: "Sure." }),
      J({ type: "3" }),
      J({ type: "4" }),
      J({ type: "1" }),
      J({ thought: "", response: "By the way, I never skip my morning workout." }),
    ];
    const { results: r, model, episode } = await playFixture(actions, replies, COMPAT);
    expect(r.map((x) => x.feedback)).toEqual(["Sure.", MSG.noPreference, MSG.vague, MSG.sorry]);
    expect(r.map((x) => x.reward)).toEqual([0, 0, 0, 0]);
    expect(r[3].info).toMatchObject({ elicited_preferences: [], passive_elicited_preferences: 1 });
    expect(r[3].roleCalls).toHaveLength(2);
    expect(model!.callCount).toBe(6);
    // The agent's turn is in the history twice (the proactive note, then the fallback note).
    const history = (episode as unknown as { history: { role: string; content: string }[] }).history;
    expect(history.filter((h) => h.content === "Tell me about yourself")).toHaveLength(2);
  });

  test("fixed: the 3rd off-topic turn makes the traveller reveal a preference", async () => {
    const replies = [
      J({ type: "1" }),
      J({ thought: "", response: "Sure." }),
      J({ type: "3" }),
      J({ type: "4" }),
      J({ thought: "", response: "By the way, I never skip my morning workout." }),
      J({ type: "1" }),
      J({ thought: "", response: "Not much to tell." }),
    ];
    const { results: r } = await playFixture(actions, replies);
    expect(r.map((x) => x.feedback)).toEqual(["Sure.", MSG.noPreference, "By the way, I never skip my morning workout.", "Not much to tell."]);
    expect(r.map((x) => x.reward)).toEqual([0, 0, 0, 0]);
    expect(r[2].info).toMatchObject({ passive_elicited_preferences: 1, remaining_preferences: 3 });
    expect((r[2].info.newly_elicited as string[]).length).toBe(1);
  });
});

describe("spec §2.9 C: answer edge cases", () => {
  test("reference: several ids in one answer are all scored (2.0) and end the episode", async () => {
    const { results: r } = await playFixture(["[answer] F3, H11"], undefined, COMPAT);
    expect(r[0]).toMatchObject({ reward: 2, done: true, feedback: `Your chosen options contain the best option!${RECORDED}` });
  });

  test("fixed: one option per answer; correct-not-best 0.8, lower-case id rejected, best 1.0 ends", async () => {
    const { results: r } = await playFixture(["[answer] F3, H11", "[answer] F5", "[answer] h11", "[answer] H11"], undefined);
    expect(r.map((x) => x.feedback)).toEqual([
      MSG.multiple,
      `Your chosen options contain the correct option, but not the best option.${RECORDED}`,
      "Invalid option ID format detected for 'h11'. Expected format: H1, F12, C4, etc.",
      `Your chosen options contain the best option!${RECORDED}`,
    ]);
    expect(r.map((x) => x.reward)).toEqual([0, 0.8, 0, 1]);
    expect(r.map((x) => x.done)).toEqual([false, false, false, true]);
  });

  test("reference: a duplicate initial loses the credit of the first id but keeps its effect", async () => {
    const { results: r } = await playFixture(["[answer] F3, F5", "[answer] H11"], undefined, COMPAT);
    expect(r[0].feedback).toBe(
      "You have already recommended an option with the same initial 'F'. You are allowed to recommend only one option per traveling aspect. Please focus on the search, user preference, and option recommendation on other traveling aspects now.",
    );
    expect(r[0].reward).toBe(0);
    expect(r[1]).toMatchObject({ reward: 1, done: true });
  });

  test("answers are recorded per aspect, and an aspect cannot be answered twice", async () => {
    const { results: r } = await playFixture(["[answer] F1", "[answer] F3", "[answer] R5"], undefined);
    expect(r[0].info.answers).toEqual([{ id: "F1", aspect: "flight", grade: "wrong" }]);
    expect(r[1].feedback).toContain("already recommended an option with the same initial 'F'");
    expect(r[2]).toMatchObject({ reward: 0, done: false });
  });
});

describe("spec §2.9 E: search failures (async, searches 1..6)", () => {
  const actions = [
    "[search] flights to SF",
    "[search] something",
    "[search] restaurant in San Francisco",
    "[search] flight from New York to San Francisco on April 10th",
    "[search] flight from New York to San Francisco on April 10th",
    "[search] flight from New York to San Francisco on April 10th",
    "hello",
    "[finish]",
  ];

  test("reference", async () => {
    const replies = [
      J({ alignment_judgement: "False" }),
      "I cannot judge this.",
      J({ alignment_judgement: "True", alignment_aspect: "restaurant" }),
      J({ alignment_judgement: true, alignment_aspect: "flight" }),
      J({ alignment_judgement: "True", alignment_aspect: "flight" }),
    ];
    const { results: r, model } = await playFixture(actions, replies, COMPAT);
    expect(r.map((x) => x.feedback.split("\n")[0])).toEqual([
      MSG.searchFalse,
      MSG.backend,
      MSG.backend,
      MSG.backend,
      MSG.backend,
      "You have provided the correct search request arguments.",
      MSG.formatWrong,
      "Session ended. You elicited 0/4 preferences. Final elicitation ratio: 0.00%",
    ]);
    expect(model!.callCount).toBe(5); // the 5th search fails without a judge call
    expect(r.map((x) => x.reward)).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
    expect(r.at(-1)).toMatchObject({ done: true, truncated: false });
  });

  test("fixed: a boolean verdict is accepted, and an unreadable reply gets one corrective retry", async () => {
    const replies = [
      "I cannot judge this.",
      J({ alignment_judgement: "False" }),
      J({ alignment_judgement: true, alignment_aspect: "Rental Car" }),
      J({ alignment_judgement: true, alignment_aspect: "flight" }),
    ];
    const { results: r, model } = await playFixture(actions.slice(0, 3), replies, { mode: "eval" });
    expect(r[0].feedback).toBe(MSG.searchFalse);
    expect(r[0].roleCalls).toHaveLength(2);
    expect(r[1].feedback).toBe(MSG.backend); // rental car is not part of this trip
    expect(r[2].feedback).toContain("Here are all the options for <flight>:");
    expect(r[2].reward).toBe(0.2);
    expect(model!.callCount).toBe(4);
  });
});

describe("bad input is answered, never thrown", () => {
  test("unknown ids, malformed searches, huge text, steps after the end", async () => {
    const huge = "x".repeat(100_000);
    const { results: r, episode } = await playFixture(
      ["[answer] F99", "[answer] Z1", "[answer]", `[search] ${huge}`, `[action] ${huge}?`, `[answer] ${huge}`, "[search]", "[Search] flight", "", "[finish]"],
      undefined,
    );
    expect(r[0]).toMatchObject({ reward: 0, done: false });
    expect(r[1].feedback).toBe("Invalid option ID format detected for 'Z1'. Expected format: H1, F12, C4, etc.");
    expect(r[2].feedback).toBe("Invalid option ID format detected for ''. Expected format: H1, F12, C4, etc.");
    expect(r[3].feedback).toBe(MSG.searchFalse);
    expect(typeof r[4].feedback).toBe("string");
    expect(r[5].feedback.startsWith("Invalid option ID format")).toBe(true);
    expect(r[6].feedback).toBe(MSG.searchFalse);
    expect(r[7].feedback).toBe(MSG.formatWrong);
    expect(r[8].feedback).toBe(MSG.formatWrong);
    expect(r[9].done).toBe(true);
    const after = await episode.step({ choice: "answer", content: "F3", raw: "[answer] F3", exactTag: true });
    expect(after).toMatchObject({ feedback: MSG.complete, done: true, reward: 0 });
  });

  test("the step limit truncates", async () => {
    const { results: r } = await playFixture(["[action] hi", "[action] hi", "[action] hi"], undefined, { maxSteps: 3 });
    expect(r.map((x) => x.truncated)).toEqual([false, false, true]);
  });

  test("a failed user model: the reference says sorry and elicits nothing; fixed falls back to the templated reply", async () => {
    const actions = ["[action] How long a layover can you tolerate?"];
    const ref = await playFixture(actions, [J({ type: "2", preference_id: "P1" }), { error: "boom" }], COMPAT);
    expect(ref.results[0]).toMatchObject({ feedback: MSG.sorry, reward: 0 });
    expect(ref.results[0].info.elicited_preferences).toEqual([]);
    const fixed = await playFixture(actions, [J({ type: "2", preference_id: "P1" }), { error: "boom" }]);
    expect(fixed.results[0].feedback).toContain("I get restless waiting in airports for long.");
    expect(fixed.results[0].reward).toBe(0.8);
    expect(fixed.results[0].fallbacks?.[0]).toMatch(/travel\.user/);
  });

  test("a classifier naming a preference that is not left falls back to ordinary conversation", async () => {
    const { results: r } = await playFixture(["[action] Do you like hotels?"], [J({ type: "2", preference_id: "P9" }), J({ response: "Fine." })], COMPAT);
    expect(r[0]).toMatchObject({ feedback: "Fine.", reward: 0 });
  });
});
