import { describe, expect, test } from "vitest";
import { binaryScoring, sumScoring } from "../../src/gyms/kit/scoring.js";
import { groupSignal } from "../../src/credit/signal.js";
import { evaluateGym, summarize } from "../../src/eval/aggregate.js";
import { flipRate, passAtK, passHatK } from "../../src/eval/metrics.js";
import { minimumDetectableDifference, runNoiseFloor, withinNoise } from "../../src/eval/noise.js";
import { tasks } from "./helpers.js";

describe("pass^k and pass@k per task", () => {
  test("the unbiased estimators over n trials with c successes", () => {
    expect(passHatK(4, 2, 1)).toBe(0.5);
    expect(passHatK(4, 2, 2)).toBeCloseTo(1 / 6, 12); // C(2,2)/C(4,2)
    expect(passHatK(4, 4, 4)).toBe(1);
    expect(passHatK(4, 3, 4)).toBe(0);
    expect(passAtK(4, 1, 2)).toBeCloseTo(1 - 3 / 6, 12); // 1 − C(3,2)/C(4,2)
    expect(passAtK(4, 0, 4)).toBe(0);
    expect(passHatK(2, 2, 3)).toBe(0); // more tries than trials: undefined, reported as 0
  });
  test("flip rate: the chance two trials of a task disagree", () => {
    expect(flipRate(2, 1)).toBe(1);
    expect(flipRate(4, 2)).toBeCloseTo(8 / 12, 12);
    expect(flipRate(3, 3)).toBe(0);
    expect(flipRate(1, 1)).toBe(0);
  });
});

describe("a gym's reliability with several samples", () => {
  test("binary gyms get pass^k by k, pass@k, flip rates and flaky tasks; pass^k never exceeds pass^1", () => {
    const g = evaluateGym("function", binaryScoring(""), tasks({ a: [1, 1, 1], b: [1, 0, 1], c: [0, 0, 0], d: [0, 1, 0] }));
    const r = g.reliability!;
    expect(r.k).toBe(3);
    expect(r.passHatK[0]).toBeCloseTo(g.score, 12);
    expect(r.passHatK[2]).toBeCloseTo(1 / 4, 12); // only task a succeeds every time
    expect(r.passAtK[2]).toBeCloseTo(3 / 4, 12);
    expect(r.passAtK[2]).toBeCloseTo(g.passAtK.max, 12);
    expect(r.flakyTasks).toBe(2);
    expect(r.flipRate).toBeCloseTo((0 + 2 / 3 + 0 + 2 / 3) / 4, 12);
    expect(g.tasks.find((t) => t.taskId === "b")!.flipRate).toBeCloseTo(2 / 3, 12);
    for (let k = 1; k < r.k; k++) expect(r.passHatK[k]).toBeLessThanOrEqual(r.passHatK[k - 1]);
  });
  test("k is the fewest samples any task has; one sample, or a non-binary gym, has no reliability row", () => {
    expect(evaluateGym("function", binaryScoring(""), tasks({ a: [1, 1, 0], b: [1, 0] })).reliability!.k).toBe(2);
    expect(evaluateGym("function", binaryScoring(""), tasks({ a: [1], b: [0] })).reliability).toBeUndefined();
    expect(evaluateGym("turtle", sumScoring(""), tasks({ a: [1, 0], b: [0.5, 0.5] })).reliability).toBeUndefined();
  });
});

describe("zero-variance groups", () => {
  test("share of groups with equal scores, signal groups per 1,000 agent tokens; one-sample groups do not count", () => {
    const s = groupSignal([[1, 1], [0, 1], [0.5, 0.5, 0.5], [1]], 4000);
    expect(s).toEqual({ groups: 3, zeroVariance: 2, zeroVarianceShare: 2 / 3, signalGroups: 1, agentTokens: 4000, signalPer1kTokens: 0.25 });
    expect(groupSignal([[0, 1]], 0).signalPer1kTokens).toBeNull();
    expect(groupSignal([], 10).zeroVarianceShare).toBe(0);
  });
  test("per gym and overall in the evaluation summary, only with several samples", () => {
    const s = summarize(
      new Map([
        ["function", { scoring: binaryScoring(""), trajectories: tasks({ a: [1, 1], b: [0, 1] }, 100) }],
        ["turtle", { scoring: sumScoring(""), trajectories: tasks({ t: [0.5, 0.5], u: [0.2, 0.5], v: [0, 0] }, 100) }],
      ]),
    );
    expect(s.gyms.function.signal).toMatchObject({ groups: 2, zeroVariance: 1, signalGroups: 1, agentTokens: 400 });
    expect(s.gyms.turtle.signal).toMatchObject({ groups: 3, zeroVariance: 2 });
    expect(s.signal).toMatchObject({ groups: 5, zeroVariance: 3, zeroVarianceShare: 3 / 5, agentTokens: 1000, signalPer1kTokens: 2 });
    const single = summarize(new Map([["function", { scoring: binaryScoring(""), trajectories: tasks({ a: [1], b: [0] }) }]]));
    expect(single.signal).toBeUndefined();
    expect(single.gyms.function.signal).toBeUndefined();
  });
});

describe("noise floor", () => {
  test("MDD = (z₀.₉₇₅ + z₀.₈)·SE; a run's floor assumes an unpaired run like it", () => {
    expect(minimumDetectableDifference(0.1)).toBeCloseTo(0.28016, 5);
    expect(runNoiseFloor(0.1)).toBeCloseTo(0.28016 * Math.SQRT2, 5);
    // tau-bench airline-sized: 50 tasks, success rate about one half.
    const se = Math.sqrt(0.25 / 49);
    expect(runNoiseFloor(se)).toBeGreaterThan(0.25);
    expect(withinNoise(0.1, 0.2)).toBe(true);
    expect(withinNoise(-0.3, 0.2)).toBe(false);
    expect(withinNoise(0, 0)).toBe(true);
  });
  test("every gym row carries it", () => {
    const g = evaluateGym("function", binaryScoring(""), tasks({ a: [1], b: [0], c: [1], d: [0] }));
    expect(g.noiseFloor).toBeCloseTo(runNoiseFloor(g.stderr), 12);
    expect(g.noiseFloor).toBeGreaterThan(0.5);
  });
});
