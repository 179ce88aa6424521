/**
 * The offline users of Intention and Telepathy record on each turn what their reading of the question settled
 * (`TurnRecord.userReading`), and the audit reuses it: a turn without the record (a run stored before it, an LLM
 * user) must give exactly the same findings, under every persona and both compat modes.
 */
import { describe, expect, test } from "vitest";
import { auditTrajectory } from "../../src/audit/checks.js";
import { parseBracketAction } from "../../src/core/action.js";
import type { Compat, GymDefinition, Task, Trajectory, TurnRecord } from "../../src/core/types.js";
import { DetailMatcher } from "../../src/gyms/intention/matcher.js";
import { preferredOption, type IntentionPayload } from "../../src/gyms/intention/offline.js";
import { GYMS } from "../../src/gyms/index.js";
import { parsePersona } from "../../src/personas/spec.js";
import { TRAIT_NAMES } from "../../src/personas/traits.js";
import { ctx, data, runTestEpisode, task } from "../helpers.js";

const withoutReading = (t: Trajectory): Pick<Trajectory, "turns"> => ({ turns: t.turns.map(({ userReading: _, ...rest }) => rest) });

async function episodes(gymName: string, compat: Compat, persona: string | undefined, count: number): Promise<{ gym: GymDefinition<unknown>; played: { t: Trajectory; task: unknown }[] }> {
  const gym = GYMS.get(gymName)! as GymDefinition<unknown>;
  const tasks = (await gym.tasks(data)).filter((t) => t.split === "test").slice(0, count);
  const played = [];
  for (const t of tasks) played.push({ t: await runTestEpisode(gym, t, ctx({ mode: "eval", compat, ...(persona ? { persona: parsePersona(persona) } : {}) })), task: t });
  return { gym, played };
}

/** The episode with every answered question's reply also stating the preferred option of a detail it did not ask. */
function leaky(t: Trajectory, task: Task<IntentionPayload>): Trajectory {
  const { details, id } = task.payload;
  const turns = t.turns.map((u) => {
    const asked = u.userReading?.asked as number[] | undefined;
    const other = asked?.length ? details.findIndex((_, i) => !asked.includes(i)) : -1;
    return other < 0 ? u : { ...u, feedback: `${u.feedback} Also, ${preferredOption(id, other, details[other].options)}.` };
  });
  return { ...t, turns };
}

describe("the audit reuses the offline user's reading", () => {
  for (const gymName of ["intention", "telepathy"]) {
    test(`${gymName}: turns carry the reading, and findings are the same with and without it (every persona, both compat modes)`, async () => {
      let turns = 0;
      let read = 0;
      let findings = 0;
      for (const compat of ["fixed", "userrl-2025"] as const) {
        for (const persona of [undefined, ...TRAIT_NAMES]) {
          const { gym, played } = await episodes(gymName, compat, persona, 12);
          for (const { t, task } of played) {
            turns += t.turns.length;
            read += t.turns.filter((u) => u.userReading).length;
            // Fresh task copies on each side, so neither reuses what the other built per task.
            // Each episode as played, and (Intention) with an unasked detail's option added to its replies: the offline
            // user itself rarely errs, so the tampered copy is what makes the comparison bite.
            for (const played of gymName === "intention" ? [t, leaky(t, task as Task<IntentionPayload>)] : [t]) {
              const withIt = auditTrajectory(gym, structuredClone(task) as never, played);
              findings += withIt.length;
              expect(auditTrajectory(gym, structuredClone(task) as never, withoutReading(played))).toEqual(withIt);
            }
          }
        }
      }
      // Guesses and finishes carry none; questions do.
      expect(read).toBeGreaterThan(turns / 4);
      expect(turns).toBeGreaterThan(100);
      expect(findings).toBeGreaterThan(0);
    });
  }

  test("a recorded reading is what the audit reads: Telepathy's settled answer decides a contradiction, Intention's asked details a leak", async () => {
    const turn = (say: string, reply: string, userReading?: Record<string, unknown>): TurnRecord => ({
      turn: 1,
      action: parseBracketAction(say),
      feedback: reply,
      reward: 0,
      done: false,
      truncated: false,
      info: {},
      ...(userReading ? { userReading } : {}),
    });
    const telepathy = GYMS.get("telepathy")! as GymDefinition<unknown>;
    const kiwi = await task(telepathy, "Kiwi");
    const q = "[action] Is it a fruit?";
    expect(auditTrajectory(telepathy, kiwi, { turns: [turn(q, "No")] }).map((f) => f.kind)).toEqual(["contradiction"]);
    expect(auditTrajectory(telepathy, kiwi, { turns: [turn(q, "No", { settled: "Yes" })] }).map((f) => f.kind)).toEqual(["contradiction"]);
    expect(auditTrajectory(telepathy, kiwi, { turns: [turn(q, "No", { settled: "Maybe" })] })).toEqual([]);
    // A malformed record is ignored: the audit reads the question itself.
    expect(auditTrajectory(telepathy, kiwi, { turns: [turn(q, "No", { settled: 3 })] }).map((f) => f.kind)).toEqual(["contradiction"]);

    const intention = GYMS.get("intention")! as GymDefinition<unknown>;
    const sheet = await task(intention, "06c2b5dd-7750-4cb6-8aad-1ff6554b98fb");
    const say = "[action] What is your current level with sheet music?";
    const reply = "Beginner - no experience. And Gradual - I prefer to take my time to understand fully.";
    const plain = auditTrajectory(intention, sheet, { turns: [turn(say, reply)] });
    expect(plain.map((f) => f.kind)).toEqual(["leak"]);
    expect(auditTrajectory(intention, sheet, { turns: [turn(say, reply, { asked: [0] })] })).toEqual(plain);
    expect(auditTrajectory(intention, sheet, { turns: [turn(say, reply, { asked: [0, 1, 2, 3, 4].filter((d) => d < (sheet.payload as { details: unknown[] }).details.length) })] })).toEqual([]);
    expect(auditTrajectory(intention, sheet, { turns: [turn(say, reply, { asked: [99] })] })).toEqual(plain);
  });
});

test("Intention: a verbose user's redirect is a stock reply whether or not the turn carries the reading", async () => {
  const intention = GYMS.get("intention")! as GymDefinition<unknown>;
  const { played } = await (async () => {
    // Tasks where the aside alone reads as a question about one of the details.
    const asksAbout = (t: Task<unknown>) => {
      const p = t.payload as IntentionPayload;
      return new DetailMatcher(p.details, `${p.task} ${p.category}`).asked("it's been a long week").length > 0;
    };
    const tasks = (await intention.tasks(data)).filter(asksAbout).slice(0, 3);
    expect(tasks).toHaveLength(3);
    const out = [];
    for (const t of tasks) {
      // Questions no detail answers, so the user redirects every time; "long week" in the verbose aside names a duration.
      const turns: TurnRecord[] = [];
      for (let i = 0; i < 4; i++) {
        const say = `[action] Question number ${i}: do you like the colour of the sky?`;
        turns.push({ turn: i + 1, action: parseBracketAction(say), feedback: `Right, so you want to know about that. Hmm, I haven't really thought about that. What I need help with is this: ${(t.payload as IntentionPayload).task} I hope that makes sense, it's been a long week.`, reward: 0, done: false, truncated: false, info: {} });
      }
      out.push({ t, turns });
    }
    return { played: out };
  })();
  for (const { t, turns } of played) {
    expect(auditTrajectory(intention, structuredClone(t), { turns })).toEqual([]);
    expect(auditTrajectory(intention, structuredClone(t), { turns: turns.map((u) => ({ ...u, userReading: { asked: [] } })) })).toEqual([]);
  }
});

describe("the loop check asks whether a reply is stock only once a run is long enough to matter", () => {
  const turns = (stock: boolean[]): TurnRecord[] =>
    stock.map((s, i) => ({ turn: i + 1, action: parseBracketAction(`[action] question ${i}`), feedback: "same", reward: 0, done: false, truncated: false, info: { stock: s } }));
  const audit = (stock: boolean[]) => {
    const asked: number[] = [];
    const gym = { audit: { userEnded: () => false, stockReply: (_r: string, _t: unknown, turn: TurnRecord) => (asked.push(turn.turn), turn.info.stock === true) } };
    const findings = auditTrajectory(gym as never, {} as never, { turns: turns(stock) });
    return { findings: findings.map((f) => `${f.turn}:${f.detail.split(" to ")[0]}`), asked };
  };

  test("a stock repeat starts a new run, wherever it falls in the run", () => {
    expect(audit([false, false, false, false]).findings).toEqual(["3:the same reply 3 times in a row", "4:the same reply 4 times in a row"]);
    // The second turn repeats by design: the run starts again there, so only the fourth turn is a third repeat.
    expect(audit([false, true, false, false]).findings).toEqual(["4:the same reply 3 times in a row"]);
    expect(audit([false, false, true, false, false]).findings).toEqual(["5:the same reply 3 times in a row"]);
  });

  test("runs of two are never asked about, and a run is asked about from its end", () => {
    expect(audit([false, false]).asked).toEqual([]);
    expect(audit([false, false, true]).asked).toEqual([3]);
    expect(audit([false, false, false]).asked).toEqual([3, 2]);
  });
});
