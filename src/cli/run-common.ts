/**
 * What `userrl run`, `eval` and `sft collect` share: the rollout flags, Ctrl-C handling (first: stop cleanly and
 * keep what finished; second: quit now) and the progress bar around `runRollouts` (rollout/run.ts) or
 * `evaluate` (eval/evaluate.ts), which do the work.
 */
import type { Command } from "commander";
import type { Mode, Split } from "../core/types.js";
import type { RerunSummary } from "../audit/rerun.js";
import { PERSONA_HELP } from "../personas/help.js";
import { runRollouts, type RolloutsSummary, type RunRequest } from "../rollout/run.js";
import { DEFAULT_RUN, type RunSummary } from "../rollout/runner.js";
import { progressPrinter } from "./progress.js";
import { choiceOption, floatOption, intOption, parseGymOptions } from "./util.js";

export { defaultUserSpec, gymsToRun } from "../rollout/run.js";

/** The parsed flags: `runRollouts`' request as the flags name it (`--task`, `--gym-option`), and `--json`. */
export interface RunOptions extends Omit<RunRequest, "gyms" | "agent" | "taskIds" | "gymOptions" | "stepTimeoutMs"> {
  agent: string;
  task?: string[];
  /** `--step-timeout`, in seconds. */
  stepTimeout?: number;
  gymOption?: string[];
  json?: boolean;
}

/** The rollout options; with `fixedMode` the command has no --mode (evaluation always runs in eval mode). */
export function addRunOptions(cmd: Command, defaults: { mode: Mode; fixedMode?: boolean; split?: Split }): Command {
  cmd
    .requiredOption("--agent <spec>", "baseline | human | a gym agent (e.g. oracle) | a model spec (openai:<model>[@url], local:<gguf>, scripted:<file>)")
    .option("--user <spec>", "simulated user: offline (deterministic) | local (the default local model) | a model spec for every user/judge role (default: offline where the gym has an offline user, else local)")
    .option("--judge <spec>", "a different model spec for judge roles")
    .option("--split <split>", "train | test", choiceOption("--split", ["train", "test"] as const), defaults.split ?? DEFAULT_RUN.split)
    .option("--limit <n>", "first N tasks of each gym", intOption("--limit", 0))
    .option("--task <id...>", "only these task ids")
    .option("--samples <k>", "episodes per task (a GRPO group / pass@k)", intOption("--samples", 1), DEFAULT_RUN.samples)
    .option("--concurrency <c>", "episodes in flight at once", intOption("--concurrency", 1), DEFAULT_RUN.concurrency)
    .requiredOption("--out <dir>", "run directory (created, or resumed when it exists)")
    .option("--compat <c>", "fixed (reference bugs fixed) | userrl-2025 (reference behaviour)", choiceOption("--compat", ["fixed", "userrl-2025"] as const), DEFAULT_RUN.compat)
    .option("--max-turns <n>", "agent turns per episode", intOption("--max-turns", 1), DEFAULT_RUN.maxTurns)
    .option("--seed <n>", "base seed", intOption("--seed", 0), DEFAULT_RUN.seed)
    .option("--prompts <p>", "own (our prompts) | dataset (the reference's prompts from the parquet rows)", choiceOption("--prompts", ["own", "dataset"] as const), DEFAULT_RUN.prompts)
    .option("--temperature <t>", "agent sampling temperature (0 to 2)", floatOption("--temperature", { min: 0, max: 2 }))
    .option("--max-tokens <n>", "agent tokens per turn (default 2048)", intOption("--max-tokens", 1))
    .option("--step-timeout <s>", "time limit of one gym step, simulated users included, in seconds (default 300)", floatOption("--step-timeout", { min: 0.001 }))
    .option("--gym-option <gym.key=value...>", "gym-specific options, e.g. search.search=bm25:corpus.jsonl or tau.showPolicy=true")
    .option("--json", "print the summary as JSON")
    .option("--persona <spec>", PERSONA_HELP)
    .option("--rerun-sim-faults", "after the run, audit it and play each episode the simulator audit flags once more, as a new sample in its place (see userrl audit)");
  if (!defaults.fixedMode) {
    cmd.option("--mode <mode>", "eval: bare feedback, evaluation rewards | train: `Reward:` lines, training rewards", choiceOption("--mode", ["train", "eval"] as const), defaults.mode);
  }
  return cmd;
}

/** The exit code of a run or evaluation: 130 interrupted, 1 when episodes failed (they run again on resume), else 0. */
export function runExitCode(s: Pick<RunSummary, "aborted" | "errors">): number {
  return s.aborted ? 130 : s.errors > 0 ? 1 : 0;
}

/** One line per failure kind, for the console after a run. */
export function failureLines(s: Pick<RunSummary, "errors" | "failures">): string[] {
  if (!s.errors) return [];
  const seen = new Set<string>();
  const lines = [`${s.errors} episode(s) failed and will run again on the next invocation; e.g.:`];
  for (const f of s.failures) {
    if (seen.has(f.error)) continue;
    seen.add(f.error);
    lines.push(`  ${f.key}: ${f.error}`);
  }
  return lines;
}

/** What `--rerun-sim-faults` did, in one line (none without the flag). */
export function simFaultLines(s: { simFaultReruns?: RerunSummary; runDir: string }): string[] {
  const r = s.simFaultReruns;
  if (!r) return [];
  return [
    `simulator audit: ${r.flagged} episode(s) flagged; ${r.rerun} re-run as new samples in their place${r.stillFaulty ? ` (${r.stillFaulty} flagged again)` : ""}. Details: userrl audit ${s.runDir}`,
  ];
}

/** Run `fn` with a signal that the first Ctrl-C aborts (finished episodes are kept); a second Ctrl-C quits at once. */
export async function interruptible<T>(fn: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  let interrupts = 0;
  const onSigint = () => {
    interrupts++;
    if (interrupts === 1) {
      process.stderr.write("\nStopping: finished episodes are kept; run the same command again to resume. (Ctrl-C again quits now.)\n");
      controller.abort(new Error("interrupted"));
    } else process.exit(130);
  };
  process.on("SIGINT", onSigint);
  try {
    return await fn(controller.signal);
  } finally {
    process.off("SIGINT", onSigint);
  }
}

/** `runRollouts`' request from the command's gyms and flags. */
export function runRequest(requested: string[], options: RunOptions): RunRequest {
  const { task, gymOption, stepTimeout, json: _json, ...rest } = options;
  return {
    ...rest,
    gyms: requested,
    taskIds: task,
    gymOptions: parseGymOptions(gymOption),
    ...(stepTimeout !== undefined ? { stepTimeoutMs: stepTimeout * 1000 } : {}),
  };
}

/** Lines for the person at the console (e.g. which gyms `all` left out). */
export const noteLine = (line: string): void => void process.stderr.write(`${line}\n`);

/** `userrl run` (and `sft collect`): `runRollouts` with Ctrl-C handling and a progress bar. */
export async function executeRun(requested: string[], options: RunOptions): Promise<RolloutsSummary> {
  const bar = progressPrinter(requested.join("+"));
  try {
    return await interruptible((signal) => runRollouts(runRequest(requested, options), { signal, onProgress: (p) => bar.update(p), note: noteLine }));
  } finally {
    bar.done();
  }
}
