import { describe, expect, test } from "vitest";
import { auditTrajectory, sameText } from "../../src/audit/checks.js";
import { quotedSpan } from "../../src/gyms/kit/quoted-span.js";
import { parseBracketAction } from "../../src/core/action.js";
import type { GymDefinition, RoleCall, Task, TurnRecord } from "../../src/core/types.js";
import { GYMS } from "../../src/gyms/index.js";
import { preferencesOf } from "../../src/gyms/travel/scenario.js";
import { resolveScenario, type TravelPayload } from "../../src/gyms/travel/tasks.js";
import { data, task } from "../helpers.js";

type Step = { say: string; reply: string; reward?: number; done?: boolean; info?: Record<string, unknown>; roleCalls?: RoleCall[]; fallbacks?: string[] };

function turns(steps: Step[]): TurnRecord[] {
  return steps.map((s, i) => ({
    turn: i + 1,
    action: parseBracketAction(s.say),
    feedback: s.reply,
    reward: s.reward ?? 0,
    done: s.done ?? false,
    truncated: false,
    info: s.info ?? {},
    ...(s.roleCalls ? { roleCalls: s.roleCalls } : {}),
    ...(s.fallbacks ? { fallbacks: s.fallbacks } : {}),
  }));
}

async function audit(gymName: string, taskId: string, steps: Step[], traits: Record<string, unknown> = {}) {
  const gym = GYMS.get(gymName)! as GymDefinition<unknown>;
  return auditTrajectory(gym, await task(gym, taskId), { turns: turns(steps) }, traits);
}

const kinds = (fs: { kind: string }[]) => fs.map((f) => f.kind);
const call = (role: string, fallback?: string): RoleCall => ({ role, model: "scripted", usage: { promptTokens: 1, completionTokens: 1 }, latencyMs: 1, ...(fallback ? { fallback } : {}) });

describe("leaks of hidden information", () => {
  test("Telepathy: the host naming the entity is a leak; a bare Yes is not, nor is confirming a name the agent said", async () => {
    expect(kinds(await audit("telepathy", "Kiwi", [{ say: "[action] Is it a fruit?", reply: "Yes, it is a kiwi." }]))).toEqual(["leak"]);
    expect(await audit("telepathy", "Kiwi", [{ say: "[action] Is it a fruit?", reply: "Yes" }])).toEqual([]);
    expect(await audit("telepathy", "Kiwi", [{ say: "[action] Is it a kiwi?", reply: "Yes, a kiwi." }])).toEqual([]);
  });

  test("Turtle: quoting the hidden story is a leak; a short yes/no answer is not", async () => {
    const leak = await audit("turtle", "The Broken Nails", [{ say: "[action] Did the husband hurt her?", reply: "Yes. He staged it to look like she had hanged herself." }]);
    expect(kinds(leak)).toEqual(["leak"]);
    expect(leak[0].detail).toContain("staged it to look like she had hanged herself");
    expect(await audit("turtle", "The Broken Nails", [{ say: "[action] Did the husband hurt her?", reply: "Yes." }])).toEqual([]);
  });

  test("Intention: stating a detail the question did not ask about is a leak; answering the question asked is not", async () => {
    const id = "06c2b5dd-7750-4cb6-8aad-1ff6554b98fb";
    const unasked = await audit("intention", id, [{ say: "[action] What is your current level with sheet music?", reply: "Beginner - no experience. And Gradual - I prefer to take my time to understand fully." }]);
    expect(kinds(unasked)).toEqual(["leak"]);
    expect(unasked[0].detail).toContain("Preferred pace of learning");
    expect(await audit("intention", id, [{ say: "[action] What is your current level with sheet music?", reply: "Beginner - no experience." }])).toEqual([]);
    // A proactive persona volunteers details by design: not a fault.
    expect(await audit("intention", id, [{ say: "[action] What is your current level with sheet music?", reply: "Beginner - no experience. And Gradual - I prefer to take my time to understand fully." }], { proactive: {} })).toEqual([]);
  });

  test("Tau: reciting the hidden instruction is a leak; asking in one's own words is not", async () => {
    const t = await task(GYMS.get("tau")!, "retail-000");
    const instruction = (t.payload as { instruction: string }).instruction;
    expect(kinds(await audit("tau", "retail-000", [{ say: "[action] How can I help?", reply: instruction }]))).toEqual(["leak"]);
    expect(await audit("tau", "retail-000", [{ say: "[action] How can I help?", reply: "Hi, I'd like to exchange a keyboard and a thermostat from my last order." }])).toEqual([]);
  });
});

describe("contradictions with the task's truth", () => {
  test("Telepathy: No to 'is it a fruit?' for a fruit contradicts the data; Yes does not; an unsettled question is not judged", async () => {
    const wrong = await audit("telepathy", "Kiwi", [{ say: "[action] Is it a fruit?", reply: "No." }]);
    expect(kinds(wrong)).toEqual(["contradiction"]);
    expect(wrong[0].detail).toMatch(/"No".*says Yes/);
    expect(await audit("telepathy", "Kiwi", [{ say: "[action] Is it a fruit?", reply: "Yes." }])).toEqual([]);
    expect(await audit("telepathy", "Kiwi", [{ say: "[action] Is it popular in Japan?", reply: "No." }])).toEqual([]);
    // A mistaken persona states a wrong belief by design.
    expect(await audit("telepathy", "Kiwi", [{ say: "[action] Is it a fruit?", reply: "No." }], { mistaken: {} })).toEqual([]);
  });

  test("Travel: denying a preference it holds is a contradiction; stating it is not", async () => {
    const t = (await task(GYMS.get("travel")!, "apartment:2-86|rental_car:2-60")) as Task<TravelPayload>;
    const pref = preferencesOf(resolveScenario(t, {}).scenario)[0];
    const asked = { utterance_type: "2", preference: pref.id };
    expect(kinds(await audit("travel", t.id, [{ say: "[action] Any preference on the apartment size?", reply: "I don't really care about that.", info: asked }]))).toEqual(["contradiction"]);
    expect(await audit("travel", t.id, [{ say: "[action] Any preference on the apartment size?", reply: pref.implicit, info: asked }])).toEqual([]);
  });
});

describe("off-contract replies, endings, empty and looping replies", () => {
  test("a role whose fallback was used, and one that needed the corrective retry; a clean call is neither", async () => {
    const fallback = await audit("telepathy", "Kiwi", [
      { say: "[action] Is it red?", reply: "Unable to respond to your question right now.", roleCalls: [call("telepathy.host", "reply held no JSON object"), call("telepathy.host", "reply held no JSON object")], fallbacks: ["telepathy.host: reply held no JSON object; used the fallback"] },
    ]);
    expect(kinds(fallback)).toEqual(["fallback"]);
    const retry = await audit("telepathy", "Kiwi", [{ say: "[action] Is it red?", reply: "No", roleCalls: [call("telepathy.host", "reply held no JSON object"), call("telepathy.host")] }]);
    expect(kinds(retry)).toEqual(["retry"]);
    expect(await audit("telepathy", "Kiwi", [{ say: "[action] Is it red?", reply: "No", roleCalls: [call("telepathy.host")] }])).toEqual([]);
  });

  test("Tau: the customer stopping unserved is a premature end; stopping after a goodbye or when served is not", async () => {
    const stop = "Thanks. ###STOP###";
    expect(kinds(await audit("tau", "retail-000", [{ say: "[action] Let me check that.", reply: stop, done: true }]))).toEqual(["premature-end"]);
    expect(await audit("tau", "retail-000", [{ say: "[action] Goodbye, have a great day!", reply: stop, done: true }])).toEqual([]);
    expect(await audit("tau", "retail-000", [{ say: "[action] Your exchange is done.", reply: stop, done: true, reward: 1 }])).toEqual([]);
    // An impatient persona leaves by design.
    expect(await audit("tau", "retail-000", [{ say: "[action] Let me check that.", reply: stop, done: true }], { impatient: { turns: 3 } })).toEqual([]);
  });

  test("an empty reply; the same reply three times in a row to different messages; stock answers may repeat", async () => {
    expect(kinds(await audit("turtle", "The Broken Nails", [{ say: "[action] Was it night?", reply: "  " }]))).toEqual(["empty-reply"]);
    const same = "I really cannot say much about that at all.";
    const loop = await audit("turtle", "The Broken Nails", [
      { say: "[action] Was it night?", reply: same },
      { say: "[action] Was she alone?", reply: same },
      { say: "[action] Was there a rope?", reply: same },
    ]);
    expect(kinds(loop)).toEqual(["looping-reply"]);
    expect(loop[0].turn).toBe(3);
    // Two repeats are not yet a loop; the same question asked again may get the same answer.
    expect(await audit("turtle", "The Broken Nails", [{ say: "[action] Was it night?", reply: same }, { say: "[action] Was she alone?", reply: same }])).toEqual([]);
    expect(await audit("turtle", "The Broken Nails", [1, 2, 3].map(() => ({ say: "[action] Was it night?", reply: same })))).toEqual([]);
    // Telepathy's Yes/No/Maybe are stock answers.
    expect(await audit("telepathy", "Kiwi", ["Is it sweet?", "Is it green inside?", "Is it fuzzy?"].map((q) => ({ say: `[action] ${q}`, reply: "Yes" })))).toEqual([]);
  });

  test("a gym without a simulated user gets only the role-trace checks", async () => {
    const fn = GYMS.get("function")! as GymDefinition<unknown>;
    const t = (await fn.tasks(data))[0];
    expect(auditTrajectory(fn, t, { turns: turns([{ say: "[action] f(1)", reply: "" }]) })).toEqual([]);
  });

  test("quotedSpan finds the longest shared run of words, ignoring case and punctuation", () => {
    expect(quotedSpan("Well: THE CAT sat on the mat, today.", "yesterday the cat sat on the mat", 4)).toBe("the cat sat on the mat");
    expect(quotedSpan("the cat sat", "the cat sat on the mat", 4)).toBeUndefined();
  });
});

describe("replies compared in place", () => {
  // What the loop check counts as the same reply: lower case and whitespace runs folded, trimmed.
  const normal = (s: string) => s.toLowerCase().replace(/\s+/g, " ").trim();
  test("sameText agrees with comparing normalised copies, ASCII or not", () => {
    const pieces = ["a", "B", "ab", " ", "  ", "\t", "\n", "\u00a0", "\u3000", "é", "É", "İ", "x", "1", "-", "\ud83d\ude00"];
    // A fixed pseudo-random walk (no seed dependence): pairs that are equal after folding, and pairs that are not.
    let state = 7;
    const next = () => Math.floor((state = (state * 1103515245 + 12345) % 2147483648) / 65536) % pieces.length;
    const texts: string[] = [];
    for (let n = 0; n < 400; n++) texts.push(Array.from({ length: n % 9 }, () => pieces[next()]).join(""));
    let equal = 0;
    for (const a of texts) {
      const variants = [a, a.toUpperCase(), ` ${a}\t`, a.replace(/ /g, "  "), a.replace(/\s/g, "\n")];
      for (const b of [...variants, ...texts.slice(0, 40)]) {
        expect(sameText(a, b), JSON.stringify([a, b])).toBe(normal(a) === normal(b));
        if (normal(a) === normal(b)) equal++;
      }
    }
    expect(equal).toBeGreaterThan(1000);
  });
});

test("quotedSpan agrees with a plain search for the longest shared run of whole words", () => {
  const vocab = ["the", "cat", "sat", "on", "mat", "scat", "Été", "été", "don't", "a1"];
  let state = 11;
  const next = (n: number) => Math.floor((state = (state * 1103515245 + 12345) % 2147483648) / 65536) % n;
  const text = (n: number) => Array.from({ length: n }, () => vocab[next(vocab.length)]).join(next(3) ? " " : ", ");
  const tokens = (s: string) => s.toLowerCase().match(/[\p{L}\p{N}']+/gu) ?? [];
  const plain = (reply: string, hidden: string, min: number): string | undefined => {
    const r = tokens(reply);
    const h = ` ${tokens(hidden).join(" ")} `;
    let best: string[] = [];
    for (let i = 0; i < r.length; i++) for (let j = i + min; j <= r.length; j++) if (j - i > best.length && h.includes(` ${r.slice(i, j).join(" ")} `)) best = r.slice(i, j);
    return best.length >= min ? best.join(" ") : undefined;
  };
  let found = 0;
  for (let n = 0; n < 600; n++) {
    const hidden = text(5 + next(30));
    const min = 2 + next(4);
    // Replies that quote part of the hidden text among other words, and replies that do not.
    const h = hidden.split(/,? /);
    const from = next(h.length);
    const reply = `${text(next(6))} ${h.slice(from, from + next(12)).join(" ")} ${text(next(6))}`;
    const want = plain(reply, hidden, min);
    if (want) found++;
    expect(quotedSpan(reply, hidden, min), JSON.stringify({ reply, hidden, min })).toBe(want);
  }
  expect(found).toBeGreaterThan(100);
});

test("Intention's leak check reads options in place exactly as splitting both texts into words would", () => {
  const words = (s: string) => s.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  const pool = ["Full-time", "remote", "full time", "Été", "café crème", "A1", "x", "on-site work", "Remote!", "part time", "🎵music", "naïve"];
  let state = 5;
  const next = (n: number) => Math.floor((state = (state * 1103515245 + 12345) % 2147483648) / 65536) % n;
  const seps = [" ", ", ", " - ", "  ", "!", "", "\n"];
  let leaks = 0;
  for (let n = 0; n < 300; n++) {
    const details = Array.from({ length: 2 + next(3) }, (_, i) => ({ description: `detail ${i}`, importance: 2, inquiry: "?", options: Array.from({ length: 1 + next(3) }, () => pool[next(pool.length)]) }));
    const payload = { id: `t${n}`, category: "c", task: "Help me please.", details };
    const reply = Array.from({ length: 1 + next(5) }, () => (next(2) ? pool[next(pool.length)] : "hello") + seps[next(seps.length)]).join("");
    const asked = [next(details.length)];
    const turn: TurnRecord = { turn: 1, action: parseBracketAction("[action] a question"), feedback: reply, reward: 0, done: false, truncated: false, info: {}, userReading: { asked } };
    const said = ` ${words(reply).join(" ")} `;
    const askedKeys = new Set(asked.flatMap((d) => details[d].options.map((o) => words(o).join(" "))));
    const want = details.flatMap((d, i) => (!asked.includes(i) && d.options.some((o) => o.trim().length >= 4 && words(o).length > 0 && said.includes(` ${words(o).join(" ")} `) && !askedKeys.has(words(o).join(" "))) ? [i] : []));
    const got = GYMS.get("intention")!.audit!.leak!({ id: payload.id, split: "test", payload } as Task<unknown>, turn, reply);
    expect(got, JSON.stringify({ reply, details: details.map((d) => d.options), asked })).toBe(want.length ? `volunteered ${want.map((d) => `"detail ${d}"`).join(", ")} without being asked` : undefined);
    if (want.length) leaks++;
  }
  expect(leaks).toBeGreaterThan(30);
});
