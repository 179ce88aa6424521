import { describe, expect, test } from "vitest";
import { computeGroupAdvantages, lookAheadValue, turnCredits } from "../../src/credit/index.js";
import { labMethods, rankMethods, runCreditLab, spearman } from "../../src/credit/lab.js";
import { cli } from "../cli-runner.js";

describe("look-ahead credit", () => {
  test("a turn's reward plus the mean discounted future over the sampled futures", () => {
    expect(lookAheadValue(0.5, [])).toBe(0.5);
    expect(lookAheadValue(0, [[1], [0, 1]], 0.5)).toBeCloseTo((0.5 + 0.25) / 2, 12);
    expect(lookAheadValue(0.2, [[0, 0, 1]], 0.8)).toBeCloseTo(0.2 + 0.512, 12);
  });
  test("the LookAhead method uses the given values and refuses to guess without them", () => {
    expect(turnCredits([0, 1], "LookAhead", { lookAhead: [0.7, 1] })).toEqual([0.7, 1]);
    expect(() => turnCredits([0, 1], "LookAhead")).toThrow(/one look-ahead value per turn \(2\), got none/);
    expect(() => computeGroupAdvantages([{ id: "g", trajectories: [{ id: 1, rewards: [0, 1], lookAhead: [1] }] }], { turnLevel: "LookAhead", trajectoryScore: "Sum" })).toThrow(
      /lookAhead must hold one finite number per reward/,
    );
    const r = computeGroupAdvantages(
      [{ id: "g", trajectories: [{ id: 1, rewards: [0, 1], lookAhead: [0.8, 1] }, { id: 2, rewards: [0, 0], lookAhead: [0.1, 0] }] }],
      { turnLevel: "LookAhead", trajectoryScore: "Sum" },
    );
    expect(r.trajectories[0].credits).toEqual([0.8, 1]);
  });
});

describe("the credit lab", () => {
  test("Spearman's ρ: ties get average ranks; a constant side ranks nothing", () => {
    expect(spearman([1, 2, 3], [10, 20, 30])).toBeCloseTo(1, 12);
    expect(spearman([3, 2, 1], [10, 20, 30])).toBeCloseTo(-1, 12);
    expect(spearman([0, 0, 1, 1], [0, 1, 0, 1])).toBeCloseTo(0, 12);
    expect(spearman([1, 1, 1], [0, 1, 2])).toBe(0);
  });
  test("every method on every scenario, reproducible from the seed; the known failure modes show", () => {
    const o = { batches: 6, groups: 8 };
    const a = runCreditLab(o);
    expect(a).toHaveLength(4 * labMethods().length);
    expect(labMethods()).toHaveLength(5 * 3 * 2);
    expect(runCreditLab(o)).toEqual(a);
    const rho = (scenario: string, name: string) => {
      const [turnLevel, trajectoryScore] = name.split("/");
      return a.find((r) => r.scenario === scenario && r.turnLevel === turnLevel && r.trajectoryScore === trajectoryScore && r.normByStd)!.rho;
    };
    // Naive credit pays the rewarded-but-useless shortcut: it ranks turns backwards there.
    expect(rho("shortcut", "Naive/Sum")).toBeLessThan(0);
    expect(rho("shortcut", "Equalized/Mean")).toBeGreaterThan(0.1);
    // With the reward only at the end, Naive credits just the last turn; Equalized spreads it over the exploration.
    expect(rho("delayed", "Equalized/R2G")).toBeGreaterThan(rho("delayed", "Naive/R2G") + 0.1);
    const ranked = rankMethods(a);
    expect(ranked).toHaveLength(30);
    expect(ranked[0].rho).toBeGreaterThanOrEqual(ranked.at(-1)!.rho);
  });
  test("bad settings are refused with a clear message", () => {
    expect(() => runCreditLab({ need: 0 })).toThrow(/need must be a positive integer/);
    expect(() => runCreditLab({ scenarios: ["nope" as never] })).toThrow(/unknown scenario "nope"/);
  });
});

test("userrl credit-lab prints the table and JSON; bad flags are one-line errors", async () => {
  const r = await cli("credit-lab", "--scenario", "delayed", "--batches", "2", "--groups", "4", "--need", "2");
  expect(r.code, r.err).toBe(0);
  expect(r.out).toMatch(/method \(turn level \/ trajectory\)\s+delayed\s+mean/);
  expect(r.out).toMatch(/LookAhead\/Mean \(no std\)/);
  const j = JSON.parse((await cli("credit-lab", "--scenario", "shortcut", "--batches", "2", "--groups", "4", "--json")).out);
  expect(j.results).toHaveLength(30);
  expect(j.results[0]).toMatchObject({ scenario: "shortcut", turnLevel: "Naive", rho: expect.any(Number), stderr: expect.any(Number) });
  const bad = await cli("credit-lab", "--scenario", "wrong");
  expect(bad.code).not.toBe(0);
  expect(bad.err).toMatch(/--scenario/);
});
