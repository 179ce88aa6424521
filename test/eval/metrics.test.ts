import { describe, expect, test } from "vitest";
import type { Trajectory, TurnRecord } from "../../src/core/types.js";
import { parseBracketAction } from "../../src/core/action.js";
import { bootstrapCI, evaluateGym, microAverage, summarize } from "../../src/eval/aggregate.js";
import { effectiveTurns, timeWeighted } from "../../src/eval/metrics.js";
import { binaryScoring, sumScoring } from "../../src/gyms/kit/scoring.js";
import { travelAspects, travelScore, travelScoring } from "../../src/gyms/travel/scoring.js";
import { PAPER_ROWS, PAPER_TEST_COUNTS } from "../../src/eval/paper.js";
import { compareRuns, compareText } from "../../src/eval/compare.js";
import type { EvaluatedRun } from "../../src/eval/load.js";

function turn(action: string, reward: number, choiceContent?: string): TurnRecord {
  const a = parseBracketAction(action);
  return { turn: 0, action: a, toolArgs: { choice: a.choice ?? "", content: choiceContent ?? a.content }, feedback: "", reward, done: false, truncated: false, info: {} };
}

function traj(taskId: string, turns: TurnRecord[], over: Partial<Trajectory> = {}): Trajectory {
  return {
    id: taskId, runId: "r", gym: "g", taskId, split: "test", groupId: taskId, sample: 0, seed: 0, agentSpec: "a", userSpec: "u",
    mode: "eval", compat: "fixed", messages: [], turns: turns.map((t, i) => ({ ...t, turn: i + 1 })), endReason: "done",
    totalReward: turns.reduce((s, t) => s + t.reward, 0), startedAt: "", durationMs: 0,
    agentUsage: { promptTokens: 0, completionTokens: 0 }, userUsage: { promptTokens: 0, completionTokens: 0 }, ...over,
  };
}

describe("Travel choice correctness (per aspect, as analyze.py)", () => {
  test("best answer per aspect, averaged over the task's aspects; search/elicitation rewards ignored", () => {
    const t = traj("flight:2-37|hotel:2-9", [
      turn("[search] flights", 0.2),
      turn("[action] what budget?", 0.6),
      turn("[answer] F3", 0.8), // correct flight
      turn("[answer] F7", 1.0), // best flight on a retry
      turn("[answer] H11", 0), // wrong hotel
    ]);
    expect(travelAspects(t.taskId)).toBe(2);
    expect(travelScore(t)).toBeCloseTo((1.0 + 0) / 2, 12);
    expect(travelScoring.score(t)).toBeCloseTo(0.5, 12);
  });
  test("three aspects, one unanswered, and a correct-but-not-best choice", () => {
    const t = traj("flight:2-1|hotel:3-4|restaurant:3-9", [turn("[answer] H2", 0.8), turn("[answer] R5", 1.0)]);
    expect(travelScore(t)).toBeCloseTo(1.8 / 3, 12);
  });
  test("an answer written with its tag or leading spaces still counts for its aspect (fixed), not in compat", () => {
    const t = traj("flight:2-1|hotel:2-2", [turn("[answer] F1", 1.0, "[answer] F1"), turn("[answer]  H2", 1.0, " H2")]);
    expect(travelScore(t)).toBe(1);
    expect(travelScore({ ...t, compat: "userrl-2025" })).toBe(1); // one key "[" and one key " ": still 2 groups of 1.0
    const bad = traj("flight:2-1|hotel:2-2", [turn("[answer] F1", 1.0, "[answer] F1"), turn("[answer] H2", 1.0, "[answer] H2")]);
    expect(travelScore(bad)).toBe(1);
    expect(travelScore({ ...bad, compat: "userrl-2025" })).toBe(0.5); // both land in the bogus "[" group
  });
});

describe("other metrics", () => {
  test("binary and sum gyms score the sum of turn rewards", () => {
    const t = traj("x", [turn("[action] q", 0.3), turn("[action] q", 0), turn("[action] q", 0.7)]);
    expect(sumScoring("").score(t)).toBeCloseTo(1, 12);
    expect(binaryScoring("").score(t)).toBeCloseTo(1, 12);
  });
  test("effective turns: index of the last rewarded turn; time-weighted: Σ r_t / t", () => {
    const t = traj("x", [turn("[action] q", 0), turn("[action] q", 0.5), turn("[action] q", 0), turn("[action] q", 1), turn("[action] q", 0)]);
    expect(effectiveTurns(t)).toBe(4);
    expect(timeWeighted(t)).toBeCloseTo(0.5 / 2 + 1 / 4, 12);
    expect(effectiveTurns(traj("y", [turn("[action] q", 0)]))).toBe(0);
  });
  test("per-gym aggregation: mean over tasks of the mean over samples; pass@k avg and max; stderr", () => {
    const ts = [
      traj("a", [turn("[answer] 1", 1)], { sample: 0 }),
      traj("a", [turn("[answer] 1", 0)], { sample: 1 }),
      traj("b", [turn("[answer] 1", 0)], { sample: 0 }),
      traj("b", [turn("[answer] 1", 0)], { sample: 1 }),
      traj("c", [turn("[answer] 1", 1)], { sample: 0 }),
      traj("c", [turn("[answer] 1", 1)], { sample: 1 }),
    ];
    const g = evaluateGym("function", binaryScoring(""), ts);
    expect(g.n).toBe(3);
    expect(g.score).toBeCloseTo((0.5 + 0 + 1) / 3, 12);
    expect(g.passAtK).toEqual({ k: 2, avg: g.score, max: 2 / 3 });
    // sample sd of [0.5, 0, 1] is 0.5; stderr = 0.5/sqrt(3)
    expect(g.stderr).toBeCloseTo(0.5 / Math.sqrt(3), 12);
    expect(g.successRate).toBeCloseTo(3 / 6, 12);
  });
  test("bootstrap intervals are reproducible and contain the mean", () => {
    const xs = [0, 1, 1, 0, 1, 0, 0, 1, 1, 1];
    const a = bootstrapCI(xs);
    expect(bootstrapCI(xs)).toEqual(a);
    expect(a[0]).toBeLessThan(0.6);
    expect(a[1]).toBeGreaterThan(0.6);
  });
});

describe("the paper's Avg. column is the task-weighted micro-average", () => {
  test("all 15 rows of Table 3 are reproduced from their per-gym cells within ±0.0001", () => {
    for (const row of PAPER_ROWS) {
      const gyms = Object.entries(row.scores).map(([gym, score]) => ({ gym, n: PAPER_TEST_COUNTS[gym as keyof typeof PAPER_TEST_COUNTS], score, stderr: 0 }));
      expect(Math.abs(microAverage(gyms).value - row.avg)).toBeLessThanOrEqual(0.0001);
      // The plain mean over gyms does not reproduce it (Travel's weight is 47%).
      const plain = gyms.reduce((s, g) => s + g.score, 0) / gyms.length;
      if (row.model === "Qwen3-8B (Equalized/R2G)") expect(plain).toBeCloseTo(0.6452, 3);
    }
    expect(PAPER_TEST_COUNTS.travel / Object.values(PAPER_TEST_COUNTS).reduce((a, b) => a + b)).toBeCloseTo(0.466, 3);
  });
  test("summaries weight each gym by its evaluated tasks", () => {
    const s = summarize(
      new Map([
        ["function", { scoring: binaryScoring(""), trajectories: [traj("a", [turn("[answer] 1", 1)]), traj("b", [turn("[answer] 1", 0)]), traj("c", [turn("[answer] 1", 1)])] }],
        ["turtle", { scoring: sumScoring(""), trajectories: [traj("t", [turn("[answer] x", 0.5)])] }],
      ]),
    );
    expect(s.weights).toEqual({ function: 3, turtle: 1 });
    expect(s.microAverage).toBeCloseTo((3 * (2 / 3) + 0.5) / 4, 12);
    expect(s.meanOverGyms).toBeCloseTo((2 / 3 + 0.5) / 2, 12);
  });
});

test("compare: paired differences over shared tasks, and the simulated users are reported", () => {
  const mk = (scores: number[], user: string): EvaluatedRun => {
    const ts = scores.map((r, i) => traj(`t${i}`, [turn("[answer] 1", r)]));
    return { dir: user, run: {} as never, agent: "a", user, mode: "eval", compat: "fixed", summary: summarize(new Map([["function", { scoring: binaryScoring(""), trajectories: ts }]])), trajectories: new Map() };
  };
  const c = compareRuns(mk([0, 0, 1, 0, 1, 0], "openai:qwen"), mk([1, 0, 1, 1, 1, 0], "openai:gpt-4o"));
  expect(c.sameUser).toBe(false);
  const g = c.gyms[0];
  expect(g.paired).toBe(true);
  expect(g.delta).toBeCloseTo(2 / 6, 12);
  // differences [1,0,0,1,0,0]: sd = sqrt(((2/3)^2*2 + (1/3)^2*4)/5) ; stderr = sd/sqrt(6)
  const sd = Math.sqrt((2 * (2 / 3) ** 2 + 4 * (1 / 3) ** 2) / 5);
  expect(g.stderr).toBeCloseTo(sd / Math.sqrt(6), 12);
  // Beside the score: turns to the last reward and the agent's tokens per episode, A → B.
  expect(g.effectiveTurns).toEqual({ a: 2 / 6, b: 4 / 6 });
  expect(g.agentTokens).toEqual({ a: 0, b: 0 });
  expect(compareText(c)).toMatch(/eff\. turns A → B\s+agent tokens\/ep A → B\n[-\s]+\nfunction .* 0\.33 → 0\.67\s+0 → 0/);
});

test("Travel sub-scores are named by variant with the preference counts in ascending order", () => {
  const g = evaluateGym("travel", travelScoring, [
    traj("hotel:3-1|flight:2-2|restaurant:3-3", [turn("[answer] H1", 1)]),
    traj("flight:3-4|hotel:2-5|apartment:3-6", [turn("[answer] F4", 1)]),
    traj("flight:2-7|hotel:2-8", [turn("[answer] F7", 1)]),
  ]);
  expect(Object.keys(g.groups!)).toEqual(["travel22", "travel233"]);
  expect(g.groups!.travel233.n).toBe(2);
});

describe("what an evaluation cost", () => {
  test("per-gym means per episode (agent calls and tokens, the user's role calls and tokens, wall time) and run totals", () => {
    const withUsage = (taskId: string, agentP: number, agentC: number, userP: number, userC: number, roles: number, ms: number) => {
      const turns = [turn("[action] a", 0), turn("[answer] 1", 1)].map((t) => ({ ...t, usage: { promptTokens: agentP / 2, completionTokens: agentC / 2 } }));
      turns[0].roleCalls = Array.from({ length: roles }, () => ({ role: "user", model: "m", usage: { promptTokens: 0, completionTokens: 0 }, latencyMs: 0 }));
      return traj(taskId, turns, { agentUsage: { promptTokens: agentP, completionTokens: agentC }, userUsage: { promptTokens: userP, completionTokens: userC }, durationMs: ms });
    };
    const s = summarize(new Map([["g", { scoring: binaryScoring(""), trajectories: [withUsage("t1", 1000, 100, 400, 40, 2, 3000), withUsage("t2", 3000, 300, 0, 0, 0, 1000)] }]]));
    expect(s.gyms.g.usage).toEqual({
      agentCalls: 2,
      agentPromptTokens: 2000,
      agentCompletionTokens: 200,
      userCalls: 1,
      userPromptTokens: 200,
      userCompletionTokens: 20,
      seconds: 2,
    });
    expect(s.usage).toEqual({ agentPromptTokens: 4000, agentCompletionTokens: 400, userPromptTokens: 400, userCompletionTokens: 40 });
  });
});
