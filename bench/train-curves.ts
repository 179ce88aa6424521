/**
 * Training curves at toy scale (the tiny Qwen3-shaped model on a CPU, FunctionGym unless told, offline): the SFT cold start,
 * then GRPO four ways — from the SFT model with Equalized/R2G (the paper's best), from the untrained model with
 * Equalized/R2G (no cold start), from the SFT model with Equalized/Mean (the paper's Equalized/"Sum"), and from the
 * SFT model with Equalized/R2G and `--curriculum variance`. Prints the reward and zero-variance share per step of
 * each and writes `train-curves.svg` (and the runs) into the output folder.
 *
 *   npm run bench -- train-curves [outDir] [--gym function] [--rl-steps N] [--sft-steps N] [--tasks N] [--rl-lr x]
 *
 * The gym must have an offline user and a baseline (function, intention, telepathy, travel, tau).
 */
import { writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { stepMetrics } from "../src/train/metrics.js";
import { PAPER_EVAL, PAPER_RL, PAPER_SFT, TINY_COMMON, TINY_EVAL, TINY_RL, TINY_SFT, withDefaults, type TrainCommon } from "../src/train/options.js";
import { trainRl } from "../src/train/rl.js";
import { trainSft } from "../src/train/sft.js";
import { lineChart, type Series } from "./lib/line-chart.js";
import { printTable } from "./lib/table.js";

export const describe = "toy-scale reward curves: GRPO with vs without the SFT cold start, Equalized/R2G vs Equalized/Mean, uniform vs variance curriculum (tiny model, CPU); writes an SVG";

function flag(args: string[], name: string, fallback: number): number {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] !== undefined ? Number(args[i + 1]) : fallback;
}

function textFlag(args: string[], name: string, fallback: string): string {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] !== undefined ? args[i + 1] : fallback;
}

export async function run(args: string[]): Promise<void> {
  const out = resolve(args[0] && !args[0].startsWith("--") ? args[0] : join(tmpdir(), `userrl-train-curves-${Date.now()}`));
  const rlSteps = flag(args, "--rl-steps", 12);
  const sftSteps = flag(args, "--sft-steps", 150);
  const tasks = flag(args, "--tasks", 4);
  const gym = textFlag(args, "--gym", "function");
  const rlLr = flag(args, "--rl-lr", TINY_RL.learningRate ?? 1e-4);
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const common = (dir: string, model: string): TrainCommon => ({
    gyms: [gym],
    out: dir,
    model,
    split: "train",
    limit: tasks,
    compat: "fixed",
    prompts: "own",
    maxTurns: TINY_COMMON.maxTurns,
    seed: 42,
    threads: TINY_COMMON.threads,
    bf16: false,
    eval: withDefaults(PAPER_EVAL, TINY_EVAL, { enabled: false }),
  });

  const started = Date.now();
  const sft = await trainSft(
    { ...common(join(out, "sft"), "tiny"), sft: withDefaults({ ...PAPER_SFT, agent: "baseline", samples: 1, topK: 1000, minScore: 0 }, TINY_SFT, { steps: sftSteps }) },
    { log },
  );
  const sftSeconds = (Date.now() - started) / 1000;
  const rl = withDefaults(PAPER_RL, TINY_RL, { steps: rlSteps, learningRate: rlLr, batch: 2, miniBatch: 2, groupSize: 4, microBatch: 8 });
  const variants = [
    { name: "SFT → GRPO, Equalized/R2G", dir: "rl-sft-r2g", model: sft.model, trajectory: "R2G" as const },
    { name: "no SFT → GRPO, Equalized/R2G", dir: "rl-nosft-r2g", model: join(out, "sft", "base-model"), trajectory: "R2G" as const },
    { name: "SFT → GRPO, Equalized/Mean", dir: "rl-sft-mean", model: sft.model, trajectory: "Mean" as const },
    { name: "SFT → GRPO, Equalized/R2G, curriculum variance", dir: "rl-sft-r2g-variance", model: sft.model, trajectory: "R2G" as const, curriculum: "variance" as const },
  ];
  const series: Series[] = [];
  const successSeries: Series[] = [];
  const zeroSeries: Series[] = [];
  const timing: (string | number)[][] = [["SFT cold start", sftSteps, sftSeconds, sft.losses[0] ?? NaN, sft.losses.at(-1) ?? NaN]];
  for (const v of variants) {
    const t0 = Date.now();
    const dir = join(out, v.dir);
    const report = await trainRl({ ...common(dir, v.model), rl: { ...rl, turnLevel: "Equalized", trajectory: v.trajectory, curriculum: v.curriculum ?? "uniform" } }, { log });
    const steps = stepMetrics(dir, "rl");
    series.push({ name: v.name, points: steps.map((m) => ({ x: m.step, y: m["userrl/episode_reward"] ?? m.reward ?? 0 })) });
    successSeries.push({ name: v.name, points: steps.map((m) => ({ x: m.step, y: m["userrl/valid_call_rate"] ?? 0 })) });
    zeroSeries.push({ name: v.name, points: steps.map((m) => ({ x: m.step, y: m["userrl/zero_variance_share"] ?? NaN })) });
    timing.push([v.name, report.steps, (Date.now() - t0) / 1000, report.losses[0] ?? NaN, report.losses.at(-1) ?? NaN]);
  }

  const maxStep = Math.max(...series.flatMap((s) => s.points.map((p) => p.x)));
  const rows: (string | number)[][] = [];
  for (let step = 1; step <= maxStep; step++) {
    rows.push([step, ...series.map((s) => s.points.find((p) => p.x === step)?.y ?? NaN), ...successSeries.map((s) => s.points.find((p) => p.x === step)?.y ?? NaN), ...zeroSeries.map((s) => s.points.find((p) => p.x === step)?.y ?? NaN)]);
  }
  const short = ["SFT R2G", "no-SFT R2G", "SFT Mean", "SFT R2G var."];
  printTable(`Mean episode reward and valid-call rate per GRPO step (${gym}, ${tasks} tasks × 4 samples per step of 2 tasks)`, [
    "step",
    ...short.map((s) => `reward ${s}`),
    ...short.map((s) => `valid ${s}`),
    ...short.map((s) => `zero-var ${s}`),
  ], rows);
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
  printTable("Over all steps", ["run", "mean episode reward", "mean zero-variance share"], series.map((s, i) => [s.name, mean(s.points.map((p) => p.y)), mean(zeroSeries[i].points.map((p) => p.y))]));
  printTable("Stages (wall seconds on this machine)", ["stage", "steps", "seconds", "first loss", "last loss"], timing);
  const svg = join(out, "train-curves.svg");
  writeFileSync(svg, lineChart(`GRPO at toy scale: episode reward per step (tiny Qwen3-shaped model, ${gym})`, "GRPO step", "mean episode reward", series));
  writeFileSync(join(out, "valid-calls.svg"), lineChart("Valid interact_with_env calls per assistant turn", "GRPO step", "valid-call rate", successSeries));
  console.log(`\ncurves: ${svg} (and valid-calls.svg); runs in ${out}`);
}
