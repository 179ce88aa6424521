/**
 * The credit lab (src/credit/lab.ts) as a benchmark: every turn-level × trajectory method, with and without
 * GRPO's std division, on the four synthetic gyms; then ρ against the number of exploratory turns a task needs
 * before its reward (the delayed gym, need 1 … 8) for the methods worth seeing side by side, as an SVG.
 *
 *   npm run bench -- credit-lab [outDir] [--batches N]
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { labMethodName, labTable, runCreditLab, type LabMethod } from "../src/credit/lab.js";
import { lineChart } from "./lib/line-chart.js";
import { printTable } from "./lib/table.js";

export const describe = "credit lab: rank correlation of each credit method's turn advantages with the true turn values (synthetic gyms); writes an SVG";

const CHART_METHODS: LabMethod[] = [
  { turnLevel: "Equalized", trajectoryScore: "R2G", normByStd: true },
  { turnLevel: "Equalized", trajectoryScore: "Mean", normByStd: true },
  { turnLevel: "EM", trajectoryScore: "Mean", normByStd: true },
  { turnLevel: "R2G", trajectoryScore: "R2G", normByStd: true },
  { turnLevel: "LookAhead", trajectoryScore: "Mean", normByStd: true },
  { turnLevel: "Naive", trajectoryScore: "Sum", normByStd: true },
];

export async function run(args: string[]): Promise<void> {
  const out = resolve(args[0] && !args[0].startsWith("--") ? args[0] : join(tmpdir(), `userrl-credit-lab-${Date.now()}`));
  const i = args.indexOf("--batches");
  const batches = i >= 0 ? Number(args[i + 1]) : 40;
  mkdirSync(out, { recursive: true });
  const started = performance.now();
  const t = labTable(runCreditLab({ batches }));
  printTable(`Spearman ρ of turn advantages with true turn values (need 4, 16 groups × 8 per batch, ${batches} batches; mean ± stderr)`, t.headers, t.rows);
  const needs = [1, 2, 3, 4, 5, 6, 8];
  const sweep = needs.map((need) => runCreditLab({ scenarios: ["delayed"], need, batches }, CHART_METHODS));
  const series = CHART_METHODS.map((m, k) => ({ name: labMethodName(m), points: sweep.map((rs, j) => ({ x: needs[j], y: rs[k].rho })) }));
  printTable("delayed gym: ρ by useful moves needed before the reward", ["method", ...needs.map(String)], series.map((s) => [s.name, ...s.points.map((p) => p.y)]));
  const svg = join(out, "credit-lab.svg");
  writeFileSync(svg, lineChart("Credit lab: reward only after N exploratory turns", "useful moves needed before the reward (N)", "Spearman ρ (advantage vs true turn value)", series));
  console.log(`\nchart: ${svg} · ${((performance.now() - started) / 1000).toFixed(1)} s`);
}
