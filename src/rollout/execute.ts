/**
 * A run from what a person or program says (gym names, agent and user specs, settings) to stored episodes: the
 * defaults, `all`, resolving agent and user, the store, the batch. `userrl run`, `userrl eval` (through
 * `evaluate`) and the library share it; the CLI adds only Ctrl-C handling and the progress bar.
 */
import { resolveAgent, resolveUser, type AgentFactory } from "../agents/resolve.js";
import type { Compat, Mode, Split } from "../core/types.js";
import { cannotRun, resolveGyms } from "../gyms/index.js";
import { DEFAULT_LOCAL_MODEL, expandLocalAlias } from "../models/local/catalog.js";
import { DEFAULT_RUN, runBatch, type Progress, type RunConfig, type RunSummary } from "./runner.js";
import { RunStore } from "./store.js";

export interface ExecuteOptions {
  /** Gym names, or `all`. */
  gyms: readonly string[];
  /** A spec (`baseline`, a model spec, …) or an in-process agent; its `spec` is recorded as the run's agent. */
  agent: string | AgentFactory;
  user?: string;
  judge?: string;
  out: string;
  split?: Split;
  limit?: number;
  taskIds?: string[];
  samples?: number;
  concurrency?: number;
  mode?: Mode;
  compat?: Compat;
  maxTurns?: number;
  seed?: number;
  prompts?: "own" | "dataset";
  /** Sampling temperature of a spec agent (default 0 in eval mode). */
  temperature?: number;
  /** Tokens per turn of a spec agent. */
  maxTokens?: number;
  gymOptions?: Record<string, Record<string, unknown>>;
  signal?: AbortSignal;
  onProgress?: (p: Progress) => void;
  /** Lines worth telling the person running it (e.g. what `all` left out). */
  onNote?: (line: string) => void;
}

/** The user spec when none is given: the offline user where every gym has one, the default local model where none has, else `auto` (per gym). */
export function defaultUserSpec(gyms: readonly string[]): string {
  const chosen = resolveGyms(gyms);
  if (chosen.every((g) => g.offlineUser)) return "offline";
  return chosen.some((g) => g.offlineUser) ? "auto" : DEFAULT_LOCAL_MODEL;
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

export async function executeRun(o: ExecuteOptions): Promise<RunSummary> {
  const userSpec = expandLocalAlias(o.user ?? defaultUserSpec(o.gyms));
  const gymOptions = o.gymOptions ?? {};
  const gyms = gymsToRun(o.gyms, userSpec, gymOptions, o.onNote);
  const mode = o.mode ?? DEFAULT_RUN.mode;
  const agentSpec = typeof o.agent === "string" ? expandLocalAlias(o.agent) : o.agent.spec;
  const config: RunConfig = {
    gyms,
    split: o.split ?? DEFAULT_RUN.split,
    limit: o.limit,
    taskIds: o.taskIds,
    samples: o.samples ?? DEFAULT_RUN.samples,
    concurrency: agentSpec === "human" ? 1 : (o.concurrency ?? DEFAULT_RUN.concurrency),
    agent: agentSpec,
    user: userSpec,
    mode,
    compat: o.compat ?? DEFAULT_RUN.compat,
    maxTurns: o.maxTurns ?? DEFAULT_RUN.maxTurns,
    seed: o.seed ?? DEFAULT_RUN.seed,
    prompts: o.prompts ?? DEFAULT_RUN.prompts,
    gymOptions,
  };
  const agent =
    typeof o.agent === "string"
      ? await resolveAgent(agentSpec, { temperature: o.temperature ?? (mode === "eval" ? 0 : undefined), maxTokens: o.maxTokens })
      : o.agent;
  try {
    const user = await resolveUser(userSpec, { judgeSpec: o.judge });
    try {
      const store = new RunStore(o.out);
      try {
        return await runBatch(config, { store, agent, user, signal: o.signal, onProgress: o.onProgress });
      } finally {
        store.close();
      }
    } finally {
      await user.close();
    }
  } finally {
    // An in-process agent belongs to its caller, who may evaluate it again.
    if (typeof o.agent === "string") await agent.close?.();
  }
}
