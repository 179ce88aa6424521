/**
 * What `userrl run` and `userrl eval` share: the rollout options,
 * Ctrl-C handling (first: stop cleanly and keep what finished; second: quit now) and the progress bar.
 */
import type { Command } from "commander";
import type { Compat, Mode, Split } from "../core/types.js";
import { executeRun as runEpisodes, type ExecuteOptions } from "../rollout/execute.js";
import { DEFAULT_RUN, type RunSummary } from "../rollout/runner.js";
export { defaultUserSpec, gymsToRun } from "../rollout/execute.js";
import { progressPrinter } from "./progress.js";
import { choiceOption, floatOption, intOption, parseGymOptions } from "./util.js";

export interface RunOptions {
  agent: string;
  user?: string;
  judge?: string;
  split: Split;
  limit?: number;
  task?: string[];
  samples: number;
  concurrency: number;
  out: string;
  mode: Mode;
  compat: Compat;
  maxTurns: number;
  seed: number;
  prompts: "own" | "dataset";
  temperature?: number;
  maxTokens?: number;
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
    .option("--temperature <t>", "agent sampling temperature", floatOption("--temperature"))
    .option("--max-tokens <n>", "agent tokens per turn (default 2048)", intOption("--max-tokens", 1))
    .option("--gym-option <gym.key=value...>", "gym-specific options, e.g. search.search=bm25:corpus.jsonl or tau.showPolicy=true")
    .option("--json", "print the summary as JSON");
  if (!defaults.fixedMode) {
    cmd.option("--mode <mode>", "eval: bare feedback, evaluation rewards | train: `Reward:` lines, training rewards", choiceOption("--mode", ["train", "eval"] as const), defaults.mode);
  }
  return cmd;
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

/**
 * Run `fn` with a signal that the first Ctrl-C aborts (finished episodes are kept); a second Ctrl-C quits at once.
 */
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

/** The library's run settings from the command's options. */
export function executeOptions(requested: string[], o: RunOptions): Omit<ExecuteOptions, "signal" | "onProgress"> {
  return {
    gyms: requested,
    agent: o.agent,
    user: o.user,
    judge: o.judge,
    out: o.out,
    split: o.split,
    limit: o.limit,
    taskIds: o.task,
    samples: o.samples,
    concurrency: o.concurrency,
    mode: o.mode,
    compat: o.compat,
    maxTurns: o.maxTurns,
    seed: o.seed,
    prompts: o.prompts,
    temperature: o.temperature,
    maxTokens: o.maxTokens,
    gymOptions: parseGymOptions(o.gymOption),
    onNote: (line) => process.stderr.write(`${line}\n`),
  };
}

/** `userrl run` (and the commands that roll out like it): the library's run with Ctrl-C handling and a progress bar. */
export async function executeRun(requested: string[], options: RunOptions): Promise<RunSummary> {
  const bar = progressPrinter(requested.join("+"));
  try {
    return await interruptible((signal) => runEpisodes({ ...executeOptions(requested, options), signal, onProgress: (p) => bar.update(p) }));
  } finally {
    bar.done();
  }
}
