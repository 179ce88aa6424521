/** Parity with the reference's grpo_multiturn: every test vector of spec/pipeline.md §3.5 (V1–V6, E1–E5) to 1e-6. */
import { describe, expect, test } from "vitest";
import {
  computeGroupAdvantages,
  type TrajectoryScoreMethod,
  type TurnLevelMethod,
} from "../../src/credit/index.js";

interface Row {
  rewards: number[];
  tokens: number[];
  credits: number[];
  S: number;
  N: number;
  E: number;
  K: number;
  adv: number[];
}
interface Vector {
  name: string;
  turnLevel: TurnLevelMethod;
  /** The reference's names: its "Sum" is our Mean. */
  reference: "Sum" | "R2G";
  mean: number;
  std: number;
  rows: Row[];
}

const A = { rewards: [0, 0, 1], tokens: [40, 30, 20] };
const B = { rewards: [0, 0, 0, 0, 0], tokens: [25, 25, 25, 25, 25] };
const C = { rewards: [0.2, 0, 0.6], tokens: [30, 30, 30] };
const D = { rewards: [0, 1], tokens: [50, 10] };
const rep = <T>(x: T, n: number): T[] => Array.from({ length: n }, () => x);

const VECTORS: Vector[] = [
  {
    name: "V1", turnLevel: "Equalized", reference: "Sum", mean: 0.275, std: 0.207941,
    rows: [
      { ...A, credits: [1, 1, 1], S: 0.3333, N: 0.280367, E: 90, K: 90, adv: rep(0.280367, 3) },
      { ...B, credits: rep(1, 5), S: 0, N: -1.322487, E: 125, K: 125, adv: rep(-1.322487, 5) },
      { ...C, credits: [1, 1, 1], S: 0.2667, N: -0.039915, E: 90, K: 90, adv: rep(-0.039915, 3) },
      { ...D, credits: [1, 1], S: 0.5, N: 1.082035, E: 60, K: 60, adv: rep(1.082035, 2) },
    ],
  },
  {
    name: "V2", turnLevel: "Equalized", reference: "R2G", mean: 0.506, std: 0.349529,
    rows: [
      { ...A, credits: [1, 1, 1], S: 0.64, N: 0.383372, E: 90, K: 90, adv: rep(0.383372, 3) },
      { ...B, credits: rep(1, 5), S: 0, N: -1.447657, E: 125, K: 125, adv: rep(-1.447657, 5) },
      { ...C, credits: [1, 1, 1], S: 0.584, N: 0.223157, E: 90, K: 90, adv: rep(0.223157, 3) },
      { ...D, credits: [1, 1], S: 0.8, N: 0.841129, E: 60, K: 60, adv: rep(0.841129, 2) },
    ],
  },
  {
    name: "V3", turnLevel: "R2G", reference: "Sum", mean: 0.275, std: 0.207941,
    rows: [
      { ...A, credits: [0.64, 0.8, 1], S: 0.3333, N: 0.280367, E: 69.6, K: 90, adv: [0.232028, 0.290035, 0.362544] },
      { ...B, credits: rep(0, 5), S: 0, N: -1.322487, E: 0, K: 0, adv: rep(0, 5) },
      { ...C, credits: [0.584, 0.48, 0.6], S: 0.2667, N: -0.039915, E: 49.92, K: 90, adv: [-0.042026, -0.034542, -0.043177] },
      { ...D, credits: [0.8, 1], S: 0.5, N: 1.082035, E: 50, K: 60, adv: [1.038754, 1.298442] },
    ],
  },
  {
    name: "V4", turnLevel: "R2G", reference: "R2G", mean: 0.506, std: 0.349529,
    rows: [
      { ...A, credits: [0.64, 0.8, 1], S: 0.64, N: 0.383372, E: 69.6, K: 90, adv: [0.317273, 0.396591, 0.495739] },
      { ...B, credits: rep(0, 5), S: 0, N: -1.447657, E: 0, K: 0, adv: rep(0, 5) },
      { ...C, credits: [0.584, 0.48, 0.6], S: 0.584, N: 0.223157, E: 49.92, K: 90, adv: [0.234958, 0.193116, 0.241395] },
      { ...D, credits: [0.8, 1], S: 0.8, N: 0.841129, E: 50, K: 60, adv: [0.807484, 1.009355] },
    ],
  },
  {
    name: "V5", turnLevel: "EM", reference: "Sum", mean: 0.275, std: 0.207941,
    rows: [
      { ...A, credits: [0.5, 0.5, 1], S: 0.3333, N: 0.280367, E: 55, K: 90, adv: [0.229391, 0.229391, 0.458783] },
      { ...B, credits: rep(0.5, 5), S: 0, N: -1.322487, E: 62.5, K: 125, adv: rep(-1.322487, 5) },
      { ...C, credits: [0.6906, 0.5, 0.9041], S: 0.2667, N: -0.039915, E: 62.841, K: 90, adv: [-0.039479, -0.028583, -0.051684] },
      { ...D, credits: [0.5, 1], S: 0.5, N: 1.082035, E: 35, K: 60, adv: [0.927459, 1.854917] },
    ],
  },
  {
    name: "V6", turnLevel: "EM", reference: "R2G", mean: 0.506, std: 0.349529,
    rows: [
      { ...A, credits: [0.5, 0.5, 1], S: 0.64, N: 0.383372, E: 55, K: 90, adv: [0.313668, 0.313668, 0.627336] },
      { ...B, credits: rep(0.5, 5), S: 0, N: -1.447657, E: 62.5, K: 125, adv: rep(-1.447657, 5) },
      { ...C, credits: [0.6906, 0.5, 0.9041], S: 0.584, N: 0.223157, E: 62.841, K: 90, adv: [0.220717, 0.159801, 0.288952] },
      { ...D, credits: [0.5, 1], S: 0.8, N: 0.841129, E: 35, K: 60, adv: [0.720968, 1.441935] },
    ],
  },
  {
    name: "E1 (all scores equal)", turnLevel: "Equalized", reference: "Sum", mean: 0, std: 0,
    rows: rep({ rewards: [0, 0], tokens: [10, 10], credits: [1, 1], S: 0, N: 0, E: 20, K: 20, adv: [0, 0] }, 4),
  },
  {
    name: "E2 (single-sample group)", turnLevel: "Equalized", reference: "Sum", mean: 0, std: 1,
    rows: [{ rewards: [0, 1], tokens: [10, 10], credits: [1, 1], S: 0.5, N: 0.4999995, E: 20, K: 20, adv: [0.4999995, 0.4999995] }],
  },
  {
    name: "E3 (R2G credits, all-zero trajectory)", turnLevel: "R2G", reference: "Sum", mean: 0.458325, std: 0.41667,
    rows: [
      { rewards: [0, 1], tokens: [10, 10], credits: [0.8, 1], S: 0.5, N: 0.100019, E: 18, K: 20, adv: [0.088906, 0.111132] },
      { rewards: [0, 0, 0], tokens: [10, 10, 10], credits: [0, 0, 0], S: 0, N: -1.099969, E: 0, K: 0, adv: [0, 0, 0] },
      { rewards: [1], tokens: [10], credits: [1], S: 1, N: 1.300006, E: 10, K: 10, adv: [1.300006] },
      { rewards: [0, 0, 1], tokens: [10, 10, 10], credits: [0.64, 0.8, 1], S: 0.3333, N: -0.300057, E: 24.4, K: 30, adv: [-0.23611, -0.295138, -0.368922] },
    ],
  },
  {
    name: "E4 (round-half-even tie)", turnLevel: "Equalized", reference: "Sum", mean: 0.3828, std: 0.470755,
    rows: [
      { rewards: [0.5, ...rep(0, 15)], tokens: rep(10, 16), credits: rep(1, 16), S: 0.0312, N: -0.746884, E: 160, K: 160, adv: rep(-0.746884, 16) },
      { rewards: rep(0, 16), tokens: rep(10, 16), credits: rep(1, 16), S: 0, N: -0.813161, E: 160, K: 160, adv: rep(-0.813161, 16) },
      { rewards: [1], tokens: [10], credits: [1], S: 1, N: 1.311083, E: 10, K: 10, adv: [1.311083] },
      { rewards: [0, 1], tokens: [10, 10], credits: [1, 1], S: 0.5, N: 0.248961, E: 20, K: 20, adv: [0.248961, 0.248961] },
    ],
  },
  {
    name: "E5 (turn outside the response window)", turnLevel: "R2G", reference: "Sum", mean: 0.41665, std: 0.41944,
    rows: [
      { rewards: [0, 0, 1], tokens: [30, 30, 0], credits: [0.64, 0.8, 1], S: 0.3333, N: -0.198717, E: 43.2, K: 60, adv: [-0.176637, -0.220797, -0.275996] },
      { rewards: [0, 0, 1], tokens: [30, 30, 30], credits: [0.64, 0.8, 1], S: 0.3333, N: -0.198717, E: 73.2, K: 90, adv: [-0.156367, -0.195459, -0.244324] },
      { rewards: [0], tokens: [30], credits: [0], S: 0, N: -0.993347, E: 0, K: 0, adv: [0] },
      { rewards: [1], tokens: [30], credits: [1], S: 1, N: 1.390781, E: 30, K: 30, adv: [1.390781] },
    ],
  },
];

const close = (actual: number[], expected: number[]) => {
  expect(actual).toHaveLength(expected.length);
  actual.forEach((a, i) => expect(Math.abs(a - expected[i]), `index ${i}: ${a} vs ${expected[i]}`).toBeLessThan(1e-6));
};

describe.each(VECTORS)("$name", (v) => {
  const run = () =>
    computeGroupAdvantages(
      [{ id: "g", trajectories: v.rows.map((r, i) => ({ id: "ABCD"[i], rewards: r.rewards, turnTokens: r.tokens })) }],
      { turnLevel: v.turnLevel, trajectoryScore: (v.reference === "Sum" ? "Mean" : "R2G") as TrajectoryScoreMethod, gamma: 0.8 },
    );

  test("group mean and unbiased std", () => {
    const g = run().groups[0];
    expect(g.size).toBe(v.rows.length);
    expect(Math.abs(g.mean - v.mean)).toBeLessThan(1e-6);
    expect(Math.abs(g.std - v.std)).toBeLessThan(1e-6);
  });

  test("credits, score, N, E, K and per-token advantages", () => {
    const out = run().trajectories;
    v.rows.forEach((row, i) => {
      const t = out[i];
      expect(t.group).toBe("g");
      close(t.credits, row.credits);
      close([t.score, t.advantage, t.creditMass, t.creditTokens], [row.S, row.N, row.E, row.K]);
      close(t.tokenAdvantages, row.adv);
    });
  });
});

test("E4: the score tie rounds half to even (0.03125 → 0.0312); JS rounding would shift every N", () => {
  const r = computeGroupAdvantages(
    [
      {
        id: 0,
        trajectories: [
          { id: 0, rewards: [0.5, ...rep(0, 15)] },
          { id: 1, rewards: rep(0, 16) },
          { id: 2, rewards: [1] },
          { id: 3, rewards: [0, 1] },
        ],
      },
    ],
    { turnLevel: "Equalized", trajectoryScore: "Mean" },
  ).trajectories;
  expect(r[0].score).toBe(0.0312);
  // The spec's N under the non-Python rounding (S_A = 0.0313) must NOT come out.
  expect(Math.abs(r[0].advantage - -0.746764)).toBeGreaterThan(1e-5);
  close(r.map((t) => t.advantage), [-0.746884, -0.813161, 1.311083, 0.248961]);
});
