import { describe, expect, test } from "vitest";
import type { GymDefinition } from "../../src/core/types.js";
import { GYMS } from "../../src/gyms/index.js";
import { offlineHedgedReply, offlinePreferenceReply, voicedOfflineRoles } from "../../src/gyms/travel/offline.js";
import { preferencesOf } from "../../src/gyms/travel/scenario.js";
import { resolveScenario, type TravelPayload } from "../../src/gyms/travel/tasks.js";
import { parsePersona } from "../../src/personas/spec.js";
import { PersonaVoice, shorten } from "../../src/personas/voice.js";
import { ctx, play, runTestEpisode, task } from "../helpers.js";

const gym = (name: string) => GYMS.get(name)! as GymDefinition<unknown>;
const as = (spec?: string) => (spec ? { persona: parsePersona(spec) } : {});
async function replies(gymName: string, taskId: string, actions: string[], spec?: string): Promise<string[]> {
  const g = gym(gymName);
  return (await play(g, await task(g, taskId), actions, as(spec))).map((r) => r.feedback);
}

const INTENTION = "06c2b5dd-7750-4cb6-8aad-1ff6554b98fb";
const LEVEL = "[action] What is your current level of knowledge in reading sheet music?";

describe("offline users with personas", () => {
  test("Intention: terse cuts the answer down, vague leaves the first two answers open, verbose adds chatter", async () => {
    const [plain] = await replies("intention", INTENTION, [LEVEL]);
    expect(plain).toMatch(/^As for user's current level of knowledge in reading sheet music: .+\.$/);
    const [terse] = await replies("intention", INTENTION, [LEVEL], "terse:words=6");
    expect(terse.split(" ").length).toBeLessThanOrEqual(6);
    expect(terse).not.toBe(plain);
    const vague = await replies("intention", INTENTION, [LEVEL, LEVEL, LEVEL], "vague");
    expect(vague[0]).toMatch(/I'm not sure yet, maybe .+, or .+\./);
    expect(vague[1]).toMatch(/I'm not sure yet/);
    expect(vague[2]).toBe(plain);
    const [verbose] = await replies("intention", INTENTION, [LEVEL], "verbose");
    expect(verbose).toContain(plain);
    expect(verbose.length).toBeGreaterThan(plain.length + 20);
  });

  test("Intention: a vague user's hedge still covers the detail (the judge reads the question), so only the words change", async () => {
    const g = gym("intention");
    const t = await task(g, INTENTION);
    const [a] = await play(g, t, [LEVEL]);
    const [b] = await play(g, t, [LEVEL], as("vague"));
    expect(b.reward).toBe(a.reward);
  });

  test("Telepathy: vague answers 'sort of' to the first two questions, then Yes/No; terse keeps one word", async () => {
    const qs = ["[action] Is it a fruit?", "[action] Is it a fruit?", "[action] Is it a fruit?"];
    expect(await replies("telepathy", "Kiwi", qs)).toEqual(["Yes", "Yes", "Yes"]);
    expect(await replies("telepathy", "Kiwi", qs, "vague")).toEqual(["Hmm, hard to say. Sort of?", "Hmm, hard to say. Sort of?", "Yes"]);
    expect(await replies("telepathy", "Kiwi", qs, "vague:turns=1")).toEqual(["Hmm, hard to say. Sort of?", "Yes", "Yes"]);
    expect(await replies("telepathy", "Kiwi", qs.slice(0, 1), "terse")).toEqual(["Yes"]);
  });

  test("Travel: the traveller's preference reply, hedged at first when vague, shortened when terse", async () => {
    const t = await task(gym("travel"), "apartment:2-86|rental_car:2-60");
    const pref = preferencesOf(resolveScenario(t as never as Parameters<typeof resolveScenario>[0], {}).scenario)[0];
    const q = "Do you have any preference about the apartment?";
    const plain = offlinePreferenceReply(pref, q);
    const vague = voicedOfflineRoles(new PersonaVoice(parsePersona("vague:turns=1")));
    expect((await vague.preferenceReply(pref, [], q)).value).toBe(offlineHedgedReply(pref));
    expect((await vague.preferenceReply(pref, [], q)).value).toBe(plain);
    const terse = voicedOfflineRoles(new PersonaVoice(parsePersona("terse:words=5")));
    expect((await terse.preferenceReply(pref, [], q)).value).toBe(shorten(plain, 5));
    // Without a persona the offline roles are today's.
    expect(voicedOfflineRoles(new PersonaVoice(undefined)).preferenceReply).toBe((await import("../../src/gyms/travel/offline.js")).offlineRoles.preferenceReply);
  });

  test("Travel: a whole baseline episode with a terse traveller says less than with the cooperative one", async () => {
    const g = gym("travel");
    const t = await task(g, "apartment:2-86|rental_car:2-60");
    const words = async (spec?: string) =>
      (await runTestEpisode(g, t, ctx(as(spec)))).turns.filter((x) => x.action?.choice === "action").reduce((n, x) => n + x.feedback.split(/\s+/).length, 0);
    expect(await words("terse:words=4")).toBeLessThan(await words());
  });

  test("Tau: a vague customer does not say what it needs at first; a terse one keeps the ids and drops the rest", async () => {
    const hi = "[action] Hello! How can I help you today?";
    const [plain] = await replies("tau", "retail-000", [hi]);
    const vague = await replies("tau", "retail-000", [hi, hi, hi], "vague");
    expect(vague[0]).toBe("I need some help with something on my account, but I'm not sure where to start.");
    expect(vague[1]).toBe(vague[0]);
    expect(vague[2]).toBe(plain);
    const [terse] = await replies("tau", "retail-000", [hi], "terse:words=4");
    expect(terse.length).toBeLessThan(plain.length);
    for (const id of plain.match(/#W\d+/g) ?? []) expect(terse).toContain(id);
  });

  test("shorten: first sentence within the budget, sentences with ids always kept", () => {
    expect(shorten("Well. I think so. My order is #W123. Thanks a lot!", 3)).toBe("Well. My order is #W123.");
    expect(shorten("Well. I think so. My order is #W123. Thanks a lot!", 4)).toBe("Well. I think so. My order is #W123.");
    expect(shorten("This is a rather long first sentence without ids.", 4)).toBe("This is a rather.");
    expect(shorten("Exchange item 11 (Mechanical Keyboard) for item 77.", 4)).toBe("Exchange item 11 for item 77.");
  });
});
