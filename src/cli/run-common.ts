/**
 * What `userrl run` and `userrl eval` share: the rollout options, resolving agent and user,
 * Ctrl-C handling (first: stop cleanly and keep what finished; second: quit now) and the progress bar.
 */
import type { Command } from "commander";
import { resolveAgent, resolveUser } from "../agents/resolve.js";
import type { Compat, Mode, Split } from "../core/types.js";
import { cannotRun, resolveGyms } from "../gyms/index.js";
import { DEFAULT_LOCAL_MODEL, expandLocalAlias } from "../models/local/catalog.js";
import { DEFAULT_RUN, runBatch, validateConfig, type RunConfig, type RunSummary } from "../rollout/runner.js";
import { RunStore } from "../rollout/store.js";
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
    .option("--json", "print the summary as JSON");
  if (!defaults.fixedMode) {
    cmd.option("--mode <mode>", "eval: bare feedback, evaluation rewards | train: `Reward:` lines, training rewards", choiceOption("--mode", ["train", "eval"] as const), defaults.mode);
  }
  return cmd;
}

/** `--user` when not given: the offline user where every gym has one, the default local model where none has, else `auto` (per gym). */
export function defaultUserSpec(gyms: readonly string[]): string {
  const chosen = resolveGyms(gyms);
  if (chosen.every((g) => g.offlineUser)) return "offline";
  return chosen.some((g) => g.offlineUser) ? "auto" : DEFAULT_LOCAL_MODEL;
}

/** The exit code of a run or evaluation: 130 interrupted, 1 when episodes failed (they run again on resume), else 0. */
export function runExitCode(s: Pick<RunSummary, "aborted" | "errors">): number {
  return s.aborted ? 130 : s.errors > 0 ? 1 : 0;
}

/** One line per failure kind, for the console after a run. */
export function failureLines(s: RunSummary): string[] {
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
 * The gyms a run plays. `all` means every gym that can run as configured — with the offline user, the gyms that
 * have one; and only gyms that have what they need (e.g. SearchGym's search provider) — named explicitly, so a
 * resumed run sees the same list; `note` hears what was left out. Gyms named one by one are kept, and one that
 * cannot run fails the run's preflight with its own message.
 */
export function gymsToRun(
  gyms: readonly string[],
  user: string,
  gymOptions: Record<string, Record<string, unknown>> = {},
  note: (line: string) => void = () => {},
): string[] {
  if (!gyms.includes("all")) return [...gyms];
  const skipped: string[] = [];
  const playable = resolveGyms(["all"]).filter((g) => {
    const why = cannotRun(g, user, gymOptions[g.name]);
    if (why) skipped.push(`${g.name} (${why})`);
    return !why;
  });
  if (skipped.length) note(`all: skipped ${skipped.join("; ")}`);
  return [...new Set([...playable.map((g) => g.name), ...gyms.filter((g) => g !== "all")])];
}

export async function executeRun(requested: string[], options: RunOptions): Promise<RunSummary> {
  const userSpec = expandLocalAlias(options.user ?? defaultUserSpec(requested));
  const gymOptions = parseGymOptions(options.gymOption);
  const gyms = gymsToRun(requested, userSpec, gymOptions, (line) => process.stderr.write(`${line}\n`));
  const o = { ...options, agent: expandLocalAlias(options.agent), user: userSpec };
  const config: RunConfig = {
    gyms,
    split: o.split,
    limit: o.limit,
    taskIds: o.task,
    samples: o.samples,
    concurrency: o.agent === "human" ? 1 : o.concurrency,
    agent: o.agent,
    user: o.user,
    mode: o.mode,
    compat: o.compat,
    maxTurns: o.maxTurns,
    seed: o.seed,
    prompts: o.prompts,
    gymOptions,
    ...(o.stepTimeout !== undefined ? { stepTimeoutMs: o.stepTimeout * 1000 } : {}),
  };
  validateConfig(config); // before anything is loaded or created
  const agent = await resolveAgent(o.agent, { temperature: o.temperature ?? (o.mode === "eval" ? 0 : undefined), maxTokens: o.maxTokens });
  const user = await resolveUser(o.user, { judgeSpec: o.judge });
  const store = new RunStore(o.out);
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
  const bar = progressPrinter(gyms.join("+"));
  try {
    return await runBatch(config, { store, agent, user, signal: controller.signal, onProgress: (p) => bar.update(p) });
  } finally {
    bar.done();
    process.off("SIGINT", onSigint);
    store.close();
    await agent.close();
    await user.close();
  }
}
