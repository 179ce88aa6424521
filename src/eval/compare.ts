/**
 * Compare two evaluated runs gym by gym: the difference in score with its standard error (paired over the
 * tasks both runs share, else unpaired), a 95% interval, and whether the runs were judged by the same
 * simulated user (a "train with one simulator, evaluate with another" transfer comparison when not).
 */
import { microAverage, type GymUsage } from "./aggregate.js";
import { count } from "./format.js";
import type { EvaluatedRun } from "./load.js";
import { minimumDetectableDifference, withinNoise } from "./noise.js";

export interface GymDelta {
  gym: string;
  a: number;
  b: number;
  delta: number;
  stderr: number;
  ci95: [number, number];
  /** |delta| > 1.96 stderr. */
  significant: boolean;
  /** Minimum detectable difference at 80% power (two-sided α = 0.05) for this comparison's standard error. */
  noiseFloor: number;
  /** |delta| is below the noise floor: the runs cannot be told apart at this task count and variance. */
  withinNoise: boolean;
  paired: boolean;
  tasks: number;
  /** How many turns each run took to its last reward, and what its agent spent (tokens per episode). */
  effectiveTurns: { a: number; b: number };
  agentTokens: { a: number; b: number };
}

export interface Comparison {
  a: { dir: string; agent: string; user: string };
  b: { dir: string; agent: string; user: string };
  sameUser: boolean;
  gyms: GymDelta[];
  microAverage: { a: number; b: number; delta: number; stderr: number; noiseFloor: number; withinNoise: boolean };
}

function pairedStats(xs: number[]): { mean: number; stderr: number } {
  const n = xs.length;
  const mean = xs.reduce((s, x) => s + x, 0) / Math.max(1, n);
  if (n < 2) return { mean, stderr: 0 };
  const v = xs.reduce((s, x) => s + (x - mean) ** 2, 0) / (n - 1);
  return { mean, stderr: Math.sqrt(v / n) };
}

const agentTokens = (u: GymUsage): number => u.agentPromptTokens + u.agentCompletionTokens;

export function compareRuns(A: EvaluatedRun, B: EvaluatedRun): Comparison {
  const gyms: GymDelta[] = [];
  for (const gym of Object.keys(A.summary.gyms)) {
    const ga = A.summary.gyms[gym];
    const gb = B.summary.gyms[gym];
    if (!gb) continue;
    const bTasks = new Map(gb.tasks.map((t) => [t.taskId, t.mean]));
    const diffs = ga.tasks.filter((t) => bTasks.has(t.taskId)).map((t) => bTasks.get(t.taskId)! - t.mean);
    const paired = diffs.length === ga.n && diffs.length === gb.n && diffs.length > 1;
    const { stderr } = paired ? pairedStats(diffs) : { stderr: Math.sqrt(ga.stderr ** 2 + gb.stderr ** 2) };
    const delta = gb.score - ga.score;
    const noiseFloor = minimumDetectableDifference(stderr);
    gyms.push({
      gym,
      a: ga.score,
      b: gb.score,
      delta,
      stderr,
      ci95: [delta - 1.96 * stderr, delta + 1.96 * stderr],
      significant: stderr > 0 ? Math.abs(delta) > 1.96 * stderr : delta !== 0,
      noiseFloor,
      withinNoise: withinNoise(delta, noiseFloor),
      paired,
      tasks: paired ? diffs.length : Math.min(ga.n, gb.n),
      effectiveTurns: { a: ga.effectiveTurns, b: gb.effectiveTurns },
      agentTokens: { a: agentTokens(ga.usage), b: agentTokens(gb.usage) },
    });
  }
  // Micro-averages over the gyms both runs have, with the same weights on both sides.
  const weights = Object.fromEntries(gyms.map((g) => [g.gym, Math.min(A.summary.gyms[g.gym].n, B.summary.gyms[g.gym].n)]));
  const ma = microAverage(gyms.map((g) => A.summary.gyms[g.gym]), weights);
  const mb = microAverage(gyms.map((g) => B.summary.gyms[g.gym]), weights);
  const wsum = Object.values(weights).reduce((a, b) => a + b, 0) || 1;
  const dStderr = Math.sqrt(gyms.reduce((s, g) => s + (weights[g.gym] * g.stderr) ** 2, 0)) / wsum;
  const dFloor = minimumDetectableDifference(dStderr);
  return {
    a: { dir: A.dir, agent: A.agent, user: A.user },
    b: { dir: B.dir, agent: B.agent, user: B.user },
    sameUser: A.user === B.user,
    gyms,
    microAverage: {
      a: ma.value,
      b: mb.value,
      delta: mb.value - ma.value,
      stderr: dStderr,
      noiseFloor: dFloor,
      withinNoise: withinNoise(mb.value - ma.value, dFloor),
    },
  };
}

export function compareText(c: Comparison): string {
  const f = (x: number) => (Number.isFinite(x) ? x.toFixed(4) : "–");
  const sign = (x: number) => (x >= 0 ? `+${f(x)}` : f(x));
  const lines = [
    `A: ${c.a.dir}  (agent ${c.a.agent}, simulated user ${c.a.user})`,
    `B: ${c.b.dir}  (agent ${c.b.agent}, simulated user ${c.b.user})`,
    c.sameUser ? "Both runs were judged by the same simulated user." : "NOTE: the runs were judged by different simulated users (a transfer comparison); differences mix agent and simulator effects.",
    "",
  ];
  const rows = c.gyms.map((g) => [
    g.gym,
    f(g.a),
    f(g.b),
    sign(g.delta),
    `±${f(g.stderr)}`,
    `[${f(g.ci95[0])}, ${f(g.ci95[1])}]`,
    g.paired ? "paired" : "unpaired",
    g.significant ? "yes" : "no",
    `±${f(g.noiseFloor)}`,
    g.withinNoise ? "within noise" : "beyond noise",
    `${g.effectiveTurns.a.toFixed(2)} → ${g.effectiveTurns.b.toFixed(2)}`,
    `${count(g.agentTokens.a)} → ${count(g.agentTokens.b)}`,
  ]);
  const headers = ["gym", "A", "B", "B − A", "stderr", "95% CI", "test", "significant", "noise floor", "verdict", "eff. turns A → B", "agent tokens/ep A → B"];
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (r: string[]) => r.map((x, i) => (i === 0 ? x.padEnd(widths[i]) : x.padStart(widths[i]))).join("  ");
  lines.push(line(headers), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line));
  const m = c.microAverage;
  lines.push(
    "",
    `micro-average over shared gyms: A ${f(m.a)}  B ${f(m.b)}  B − A ${sign(m.delta)} ±${f(m.stderr)}  noise floor ±${f(m.noiseFloor)} (${m.withinNoise ? "within noise" : "beyond noise"})`,
    "noise floor: the smallest difference this comparison detects 80% of the time (two-sided α = 0.05); smaller ones are marked within noise.",
  );
  return lines.join("\n");
}
