import { describe, expect, test } from "vitest";
import {
  computeGroupAdvantages,
  exponentialMapping,
  fillTokenAdvantages,
  maskedTurnTokens,
  normaliseGroup,
  parseCreditRequest,
  resolveCreditOptions,
  rewardToGo,
  scaleTurnAdvantages,
  trajectoryScore,
  turnCredits,
} from "../../src/credit/index.js";

describe("turn credits", () => {
  test("Naive copies the rewards, Equalized is all ones", () => {
    expect(turnCredits([0, 0.2, 1], "Naive")).toEqual([0, 0.2, 1]);
    expect(turnCredits([0, 0.2, 1], "Equalized")).toEqual([1, 1, 1]);
    expect(turnCredits([], "Equalized")).toEqual([]);
  });

  test("R2G is the discounted reward-to-go; turns after the last reward get 0", () => {
    expect(turnCredits([0, 0, 1, 0], "R2G")).toEqual([0.6400000000000001, 0.8, 1, 0]);
    expect(rewardToGo([1, 1], 0.5)).toEqual([1.5, 1]);
    expect(turnCredits([0, 1], "R2G", { gamma: 1 })).toEqual([1, 1]);
  });

  test("EM maps [0,1] onto [0.5,1], rounded to 4 decimals, and goes below 0.5 for negative rewards", () => {
    expect(exponentialMapping(0)).toBe(0.5);
    expect(exponentialMapping(0.5)).toBe(0.8655);
    expect(exponentialMapping(1)).toBe(1);
    expect(exponentialMapping(-0.2)).toBeLessThan(0.5);
    expect(exponentialMapping(-0.2)).toBeGreaterThan(0);
    // Negative below r = −½·ln(2 − e^{−2}) ≈ −0.3128.
    expect(exponentialMapping(-0.31)).toBeGreaterThan(0);
    expect(exponentialMapping(-0.32)).toBeLessThan(0);
    // k changes the curve but keeps the end points.
    expect(exponentialMapping(0.5, 5)).toBeGreaterThan(0.8655);
    expect(exponentialMapping(1, 5)).toBe(1);
  });

  test("unknown methods are rejected", () => {
    expect(() => turnCredits([1], "Bogus" as never)).toThrow(/unknown turn-level method/);
    expect(() => trajectoryScore([1], "Bogus" as never)).toThrow(/unknown trajectory score method/);
  });
});

describe("trajectory scores", () => {
  test("Mean is the rounded mean (the reference's 'Sum'); Sum is the plain sum; R2G the discounted return", () => {
    expect(trajectoryScore([0, 0, 1], "Mean")).toBe(0.3333);
    expect(trajectoryScore([0, 0, 1], "Sum")).toBe(1);
    expect(trajectoryScore([0.2, 0, 0.6], "Sum")).toBe(0.8);
    expect(trajectoryScore([0, 0, 1], "R2G")).toBeCloseTo(0.64, 15);
    expect(trajectoryScore([0.5], "R2G")).toBe(0.5);
  });

  test("Mean rounds exact binary ties to even, like Python's round", () => {
    expect(trajectoryScore([0.5, ...new Array(15).fill(0)], "Mean")).toBe(0.0312);
    expect(trajectoryScore([1.5, ...new Array(15).fill(0)], "Mean")).toBe(0.0938); // 0.09375 → even 8
  });

  test("an empty trajectory scores 0 under every method", () => {
    for (const m of ["Mean", "Sum", "R2G"] as const) expect(trajectoryScore([], m)).toBe(0);
  });
});

describe("group normalisation", () => {
  test("unbiased std, ε, and the no-std option", () => {
    const g = normaliseGroup([0, 1]);
    expect(g.mean).toBe(0.5);
    expect(g.std).toBeCloseTo(Math.SQRT1_2, 15);
    expect(g.normalised[1]).toBeCloseTo(0.5 / (Math.SQRT1_2 + 1e-6), 12);
    expect(normaliseGroup([0, 1], { normByStd: false }).normalised).toEqual([-0.5, 0.5]);
    expect(normaliseGroup([0, 1], { eps: 0 }).normalised[1]).toBeCloseTo(0.5 / Math.SQRT1_2, 15);
  });

  test("single-sample groups use μ = 0, σ = 1; empty groups are empty", () => {
    expect(normaliseGroup([0.5])).toEqual({ mean: 0, std: 1, normalised: [0.5 / (1 + 1e-6)] });
    expect(normaliseGroup([0.5], { normByStd: false }).normalised).toEqual([0.5]);
    expect(normaliseGroup([])).toEqual({ mean: 0, std: 0, normalised: [] });
  });

  test("all-equal groups give exactly zero, even where summation would not be exact", () => {
    const g = normaliseGroup([0.1, 0.1, 0.1]);
    expect(g.std).toBe(0);
    expect(g.normalised).toEqual([0, 0, 0]);
    expect(Object.is(normaliseGroup([-1, -1]).normalised[0], 0)).toBe(true);
  });
});

describe("token-level scaling", () => {
  test("per-turn value c·N·K/E; the token mean over credited tokens equals N", () => {
    const s = scaleTurnAdvantages([0.64, 0.8, 1], [40, 30, 20], 0.5);
    expect(s.creditMass).toBeCloseTo(69.6, 12);
    expect(s.creditTokens).toBe(90);
    const mean = (s.perTurn[0] * 40 + s.perTurn[1] * 30 + s.perTurn[2] * 20) / 90;
    expect(mean).toBeCloseTo(0.5, 12);
  });

  test("zero mass gives zero everywhere, even with a negative N", () => {
    const s = scaleTurnAdvantages([0, 0], [5, 5], -2);
    expect(s.perTurn).toEqual([0, 0]);
    expect(s.creditMass).toBe(0);
  });

  test("spans and a loss mask: only mask-1 tokens inside a span get their turn's value", () => {
    //            0  1  2  3  4  5  6  7  8  9
    const mask = [0, 0, 1, 1, 1, 0, 0, 1, 1, 0];
    const spans = [
      { start: 2, end: 5 },
      { start: 7, end: 10 },
    ];
    expect(maskedTurnTokens(spans, mask)).toEqual([3, 2]);
    const out = fillTokenAdvantages([0.5, -1], spans, mask, new Float64Array(10));
    expect([...out]).toEqual([0, 0, 0.5, 0.5, 0.5, 0, 0, -1, -1, 0]);
    // More turns than spans (a turn cut off): the extra turn writes nothing; out is reset first.
    const again = fillTokenAdvantages([2, 0, 7], spans.slice(0, 2), mask, out);
    expect([...again]).toEqual([0, 0, 2, 2, 2, 0, 0, 0, 0, 0]);
  });
});

describe("computeGroupAdvantages", () => {
  test("without turnTokens every turn counts as one token", () => {
    const r = computeGroupAdvantages(
      [{ id: "g", trajectories: [{ id: "a", rewards: [0, 1] }, { id: "b", rewards: [0, 0, 0] }] }],
      { turnLevel: "R2G", trajectoryScore: "Sum" },
    );
    const [a, b] = r.trajectories;
    expect(a.score).toBe(1);
    expect(b.score).toBe(0);
    expect(a.creditTokens).toBe(2);
    expect(a.creditMass).toBe(1.8);
    expect((a.tokenAdvantages[0] + a.tokenAdvantages[1]) / 2).toBeCloseTo(a.advantage, 12);
    expect(b.tokenAdvantages).toEqual([0, 0, 0]);
  });

  test("Naive credits with a reward-less turn: that turn gets no gradient", () => {
    const r = computeGroupAdvantages(
      [{ id: 1, trajectories: [{ id: 1, rewards: [0, 1], turnTokens: [10, 10] }, { id: 2, rewards: [0, 0], turnTokens: [10, 10] }] }],
      { turnLevel: "Naive", trajectoryScore: "Sum", normByStd: false },
    );
    expect(r.trajectories[0].advantage).toBe(0.5);
    expect(r.trajectories[0].tokenAdvantages).toEqual([0, 0.5]);
    expect(r.trajectories[1].tokenAdvantages).toEqual([0, 0]);
  });

  test("groups are normalised independently and keep input order", () => {
    const r = computeGroupAdvantages(
      [
        { id: "x", trajectories: [{ id: 1, rewards: [1] }, { id: 2, rewards: [0] }] },
        { id: "y", trajectories: [{ id: 3, rewards: [1] }] },
      ],
      { turnLevel: "Equalized", trajectoryScore: "Sum" },
    );
    expect(r.trajectories.map((t) => [t.group, t.id])).toEqual([["x", 1], ["x", 2], ["y", 3]]);
    expect(r.groups).toEqual([
      { id: "x", size: 2, mean: 0.5, std: Math.SQRT1_2 },
      { id: "y", size: 1, mean: 0, std: 1 },
    ]);
    expect(r.trajectories[2].advantage).toBeCloseTo(1 / (1 + 1e-6), 15);
  });

  test("bad options and inputs are refused with clear messages", () => {
    expect(() => resolveCreditOptions({ turnLevel: "Sum" as never })).toThrow(/turnLevel must be one of/);
    expect(() => resolveCreditOptions({ gamma: NaN })).toThrow(/gamma/);
    expect(() => resolveCreditOptions({ emK: 0 })).toThrow(/emK/);
    expect(() =>
      computeGroupAdvantages([{ id: "g", trajectories: [{ id: "a", rewards: [1, 0], turnTokens: [3] }] }], { turnLevel: "EM", trajectoryScore: "R2G" }),
    ).toThrow(/turnTokens has 1 entries but rewards has 2/);
    expect(() =>
      computeGroupAdvantages([{ id: "g", trajectories: [{ id: "a", rewards: [Infinity] }] }], { turnLevel: "EM", trajectoryScore: "R2G" }),
    ).toThrow(/finite/);
  });
});

describe("parseCreditRequest", () => {
  test("accepts the documented shape", () => {
    const req = parseCreditRequest({ groups: [{ id: "g", trajectories: [{ id: 7, rewards: [0, 1], turnTokens: [3, 4] }] }] });
    expect(req.groups[0].trajectories[0]).toEqual({ id: 7, rewards: [0, 1], turnTokens: [3, 4] });
  });

  test("names what is wrong", () => {
    expect(() => parseCreditRequest({})).toThrow(/groups/);
    expect(() => parseCreditRequest({ groups: [{ id: "g", trajectories: [{ id: "a", rewards: ["1"] }] }] })).toThrow(
      /groups\.0\.trajectories\.0\.rewards\.0/,
    );
    expect(() => parseCreditRequest({ groups: [{ id: "g", trajectories: [{ id: "a", rewards: [1], turnTokens: [1, 2] }] }] })).toThrow(
      /one entry per reward/,
    );
    expect(() => parseCreditRequest({ groups: [{ id: "g", trajectories: [{ id: "a", rewards: [1], turnTokens: [-1] }] }] })).toThrow(
      /turnTokens/,
    );
  });
});
