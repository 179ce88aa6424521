/**
 * The offline users of Intention and Telepathy record on each turn what their reading of the question settled
 * (`TurnRecord.userReading`), and the audit reuses it: a turn without the record (a run stored before it, an LLM
 * user) must give exactly the same findings, under every persona and both compat modes.
 */
import { describe, expect, test } from "vitest";
import { auditTrajectory } from "../../src/audit/checks.js";
import { parseBracketAction } from "../../src/core/action.js";
import type { Compat, GymDefinition, Trajectory, TurnRecord } from "../../src/core/types.js";
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
            const withIt = auditTrajectory(gym, structuredClone(task) as never, t);
            findings += withIt.length;
            expect(auditTrajectory(gym, structuredClone(task) as never, withoutReading(t))).toEqual(withIt);
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
