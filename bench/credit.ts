/**
 * Credit assignment at the paper's training scale: one GRPO step of 1024 trajectories (128 groups × 8),
 * 16 turns each, an 8192-token response window per trajectory. Times the three stages a trainer runs —
 * loss-token counts per turn, group advantages, and the per-token advantage tensor (Float32, 1024 × 8192) —
 * and the memory they take. Target: well under a second in all.
 */
import {
  computeGroupAdvantages,
  fillTokenAdvantages,
  maskedTurnTokens,
  type CreditGroupInput,
  type CreditOptions,
  type TurnSpan,
} from "../src/credit/index.js";
import { percentile, printTable } from "./lib/table.js";

export const describe = "GRPO credit for 1024 trajectories × 16 turns × 8192 tokens: time and memory";

const GROUPS = 128;
const PER_GROUP = 8;
const TURNS = 16;
const TOKENS = 8192;
/** Each turn's segment: assistant tokens (mask 1), then the observation and next generation prompt (mask 0). */
const SEGMENT = TOKENS / TURNS;
const ASSISTANT = 320;

interface Batch {
  groups: CreditGroupInput[];
  spans: TurnSpan[][];
  /** One row of TOKENS per trajectory. */
  mask: Uint8Array;
}

/** A seeded batch: sparse rewards (most turns 0, a success now and then), a fixed span layout. */
function makeBatch(seed: number): Batch {
  let s = seed >>> 0;
  const rand = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
  const mask = new Uint8Array(GROUPS * PER_GROUP * TOKENS);
  const spans: TurnSpan[][] = [];
  const groups: CreditGroupInput[] = [];
  let row = 0;
  for (let g = 0; g < GROUPS; g++) {
    const trajectories = [];
    for (let i = 0; i < PER_GROUP; i++, row++) {
      const rewards = Array.from({ length: TURNS }, () => {
        const u = rand();
        return u < 0.06 ? 1 : u < 0.12 ? 0.5 : u < 0.18 ? 0.2 : 0;
      });
      const rowSpans = Array.from({ length: TURNS }, (_, t) => ({ start: t * SEGMENT, end: t * SEGMENT + ASSISTANT }));
      for (const sp of rowSpans) mask.fill(1, row * TOKENS + sp.start, row * TOKENS + sp.end);
      spans.push(rowSpans);
      trajectories.push({ id: row, rewards });
    }
    groups.push({ id: g, trajectories });
  }
  return { groups, spans, mask };
}

interface StageTimes {
  counts: number;
  groups: number;
  tokens: number;
  total: number;
}

function step(batch: Batch, options: CreditOptions, out: Float32Array): StageTimes {
  const t0 = performance.now();
  let row = 0;
  const groups = batch.groups.map((g) => ({
    id: g.id,
    trajectories: g.trajectories.map((t) => {
      const mask = batch.mask.subarray(row * TOKENS, (row + 1) * TOKENS);
      return { ...t, turnTokens: maskedTurnTokens(batch.spans[row++], mask) };
    }),
  }));
  const t1 = performance.now();
  const result = computeGroupAdvantages(groups, options);
  const t2 = performance.now();
  result.trajectories.forEach((t, r) => {
    fillTokenAdvantages(t.tokenAdvantages, batch.spans[r], batch.mask.subarray(r * TOKENS, (r + 1) * TOKENS), out.subarray(r * TOKENS, (r + 1) * TOKENS));
  });
  const t3 = performance.now();
  return { counts: t1 - t0, groups: t2 - t1, tokens: t3 - t2, total: t3 - t0 };
}

const mib = (bytes: number) => bytes / 2 ** 20;

export async function run(args: string[]): Promise<void> {
  const repeats = args.includes("--quick") ? 5 : 20;
  const heap0 = process.memoryUsage();
  const batch = makeBatch(7);
  const out = new Float32Array(GROUPS * PER_GROUP * TOKENS);
  const heap1 = process.memoryUsage();

  const settings: [string, CreditOptions][] = [
    ["Equalized / R2G (paper's best)", { turnLevel: "Equalized", trajectoryScore: "R2G" }],
    ["R2G / Mean", { turnLevel: "R2G", trajectoryScore: "Mean" }],
    ["EM / R2G", { turnLevel: "EM", trajectoryScore: "R2G" }],
    ["Naive / Sum, no std", { turnLevel: "Naive", trajectoryScore: "Sum", normByStd: false }],
  ];
  const rows: (string | number)[][] = [];
  let peakRss = heap1.rss;
  for (const [name, options] of settings) {
    for (let i = 0; i < 3; i++) step(batch, options, out); // warm-up
    const times: StageTimes[] = [];
    for (let i = 0; i < repeats; i++) {
      times.push(step(batch, options, out));
      peakRss = Math.max(peakRss, process.memoryUsage().rss);
    }
    const med = (k: keyof StageTimes) => percentile(times.map((t) => t[k]), 0.5);
    const total = med("total");
    rows.push([name, med("counts"), med("groups"), med("tokens"), total, percentile(times.map((t) => t.total), 1), (GROUPS * PER_GROUP * TOKENS) / (total / 1000) / 1e6]);
  }
  printTable(
    `GRPO credit, ${GROUPS * PER_GROUP} trajectories × ${TURNS} turns × ${TOKENS} tokens (median of ${repeats})`,
    ["turn level / trajectory score", "token counts ms", "group advantages ms", "token tensor ms", "total ms", "max ms", "M tokens/s"],
    rows,
  );
  printTable(
    "Memory",
    ["what", "MiB"],
    [
      ["loss mask (Uint8, input)", mib(batch.mask.byteLength)],
      ["per-token advantages (Float32, output)", mib(out.byteLength)],
      ["RSS growth: batch + output", mib(heap1.rss - heap0.rss)],
      ["peak RSS during the runs", mib(peakRss)],
    ],
  );
  console.log("target: total well under 1000 ms per step");
}
