/** The terminal report: one row per gym, the averages, and the paper's reference rows beside them. */
import { PAPER_ROWS, type PaperGym } from "./paper.js";
import { count, fixed } from "./format.js";
import { describeSignal } from "../credit/signal.js";
import type { EvaluatedRun } from "./load.js";

/** The paper's rows printed beside the run's scores. */
const REFERENCE_MODELS = ["GPT-4o", "Qwen3-8B (Equalized/R2G)"];

const f = (x: number, d = 4): string => fixed(x, d);

function table(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (r: string[]) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join("  ");
  return [line(headers), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line)].join("\n");
}

export function textReport(r: EvaluatedRun): string {
  const s = r.summary;
  const refs = PAPER_ROWS.filter((p) => REFERENCE_MODELS.includes(p.model));
  const totalW = Object.values(s.weights).reduce((a, b) => a + b, 0);
  const rows = Object.values(s.gyms).map((g) => [
    g.gym,
    String(g.n),
    f(g.score),
    `±${f(g.stderr)}`,
    `[${f(g.ci95[0], 3)}, ${f(g.ci95[1], 3)}]`,
    `±${f(g.noiseFloor, 3)}`,
    g.passAtK.k > 1 ? `${f(g.passAtK.max)} (k=${g.passAtK.k})` : "–",
    `${((100 * g.n) / totalW).toFixed(1)}%`,
    f(g.effectiveTurns, 2),
    f(g.timeWeighted),
    ...refs.map((p) => (g.gym in p.scores ? f(p.scores[g.gym as PaperGym]) : "–")),
  ]);
  const out = [
    `run ${r.dir}`,
    `agent ${r.agent} · simulated user ${r.user} · mode ${r.mode} · compat ${r.compat} · ${s.episodes} episodes`,
    "",
    table(["gym", "tasks", "score", "stderr", "95% CI", "noise floor", "pass@k max", "weight", "eff. turns", "time-w.", ...refs.map((p) => `paper: ${p.model}`)], rows),
    "",
    `micro-average (task-weighted): ${f(s.microAverage)} ±${f(s.microAverageStderr)}   mean over gyms: ${f(s.meanOverGyms)}`,
    `effective turns: ${f(s.effectiveTurns, 2)}   time-weighted: ${f(s.timeWeighted)}`,
    "noise floor: the smallest score difference against another run of this size and variance that a test detects 80% of the time (two-sided α = 0.05).",
  ];
  const reliable = Object.values(s.gyms).filter((g) => g.reliability);
  if (reliable.length) {
    out.push(
      "",
      "reliability of the binary gyms (success = a positive score; pass^k: every one of k tries succeeds, pass@k: at least one does):",
      table(
        ["gym", "k", "pass^1", "pass^k", "pass@k", "flip rate", "flaky tasks"],
        reliable.map(({ gym, n, reliability: r }) => [gym, String(r!.k), f(r!.passHatK[0]), f(r!.passHatK[r!.k - 1]), f(r!.passAtK[r!.k - 1]), f(r!.flipRate), `${r!.flakyTasks} of ${n}`]),
      ),
    );
  }
  if (s.signal) {
    out.push("", "GRPO signal (a group = the samples of one task; equal scores give every sample a zero advantage):");
    for (const g of Object.values(s.gyms)) if (g.signal) out.push(`  ${g.gym}: ${describeSignal(g.signal)}`);
    out.push(`  overall: ${describeSignal(s.signal)}`);
  }
  out.push(
    "",
    "cost per episode (mean):",
    table(
      ["gym", "agent calls", "agent tokens in / out", "user calls", "user tokens in / out", "seconds"],
      Object.values(s.gyms).map((g) => [
        g.gym,
        f(g.usage.agentCalls, 1),
        `${count(g.usage.agentPromptTokens)} / ${count(g.usage.agentCompletionTokens)}`,
        f(g.usage.userCalls, 1),
        `${count(g.usage.userPromptTokens)} / ${count(g.usage.userCompletionTokens)}`,
        f(g.usage.seconds, 1),
      ]),
    ),
    `tokens in all: agent ${count(s.usage.agentPromptTokens)} in / ${count(s.usage.agentCompletionTokens)} out; ` +
      `simulated user and judges ${count(s.usage.userPromptTokens)} in / ${count(s.usage.userCompletionTokens)} out`,
  );
  for (const g of Object.values(s.gyms)) {
    if (g.groups) out.push("", `${g.gym} by group: ` + Object.entries(g.groups).map(([k, v]) => `${k} ${f(v.score, 3)} (n=${v.n})`).join(", "));
  }
  return out.join("\n");
}
