/**
 * One call that does what `userrl run` does, for the library, the CLI, `sft collect` and training alike: choose
 * the gyms (`all` as configured), resolve agent and simulated user from their specs, run or resume the rollouts
 * into a run directory, and close what it opened. Printing and Ctrl-C stay with the caller (hooks).
 */
import { resolveAgent, resolveUser, type AgentFactory } from "../agents/resolve.js";
import type { Compat, Mode, PersonaView, Split } from "../core/types.js";
import { cannotRun, resolveGyms } from "../gyms/index.js";
import { DEFAULT_LOCAL_MODEL, expandLocalAlias } from "../models/local/catalog.js";
import { rerunSimFaults, type RerunSummary } from "../audit/rerun.js";
import { parsePersona } from "../personas/spec.js";
import { runBatch, validateConfig, type Progress, type RunConfig, type RunSummary } from "./runner.js";
import { RunStore } from "./store.js";

export interface RunRequest {
  /** Gym names, or `all`. */
  gyms: string[];
  /** An agent spec (`baseline`, `human`, a gym's named agent, a model spec), or an agent already resolved. */
  agent: string | AgentFactory;
  /** The simulated user's spec (default: `defaultUserSpec(gyms)`). */
  user?: string;
  /** A different model spec for judge roles. */
  judge?: string;
  /** The run directory: created, or resumed when it exists. */
  out: string;
  split: Split;
  limit?: number;
  taskIds?: string[];
  samples: number;
  concurrency: number;
  mode: Mode;
  compat: Compat;
  maxTurns: number;
  seed: number;
  prompts: "own" | "dataset";
  /** Agent sampling temperature (default: 0 in eval mode, the model's own in train mode). */
  temperature?: number;
  /** Agent tokens per turn. */
  maxTokens?: number;
  /** Gym-specific options, by gym name. */
  gymOptions?: Record<string, Record<string, unknown>>;
  /** Time limit of one gym reset or step, its simulated users included (default 300 s). */
  stepTimeoutMs?: number;
  /** The simulated user's persona: a spec (`terse+impatient:turns=2`, a persona file) or a parsed one; default cooperative. */
  persona?: string | PersonaView;
  /** After the run, audit it and play each episode the simulator audit flags once more, in its place. */
  rerunSimFaults?: boolean;
}

/** What a run did; `simFaultReruns` only with `rerunSimFaults`. */
export type RolloutsSummary = RunSummary & { simFaultReruns?: RerunSummary };

export interface RunHooks {
  /** Stops the run cleanly: finished episodes are kept, the rest run on the next call. */
  signal?: AbortSignal;
  onProgress?: (p: Progress) => void;
  /** Lines for a person (e.g. which gyms `all` left out). */
  note?: (line: string) => void;
}

/** The user when none is given: the offline user where every gym has one, the default local model where none has, else `auto` (per gym). */
export function defaultUserSpec(gyms: readonly string[]): string {
  const chosen = resolveGyms(gyms);
  if (chosen.every((g) => g.offline)) return "offline";
  return chosen.some((g) => g.offline) ? "auto" : DEFAULT_LOCAL_MODEL;
}

/**
 * The gyms a run plays. `all` means every gym that can run as configured — with the offline user, the gyms that
 * have one; and only gyms that have what they need (e.g. a search provider) — named explicitly, so a resumed run
 * sees the same list; `note` hears what was left out. Gyms named one by one are kept, and one that cannot run
 * fails the run's preflight with its own message. `hasJudge`: a judge model is given (`--judge`).
 */
export function gymsToRun(
  gyms: readonly string[],
  user: string,
  gymOptions: Record<string, Record<string, unknown>> = {},
  note: (line: string) => void = () => {},
  hasJudge = false,
): string[] {
  if (!gyms.includes("all")) return [...gyms];
  const skipped: string[] = [];
  const playable = resolveGyms(["all"]).filter((g) => {
    const why = cannotRun(g, user, gymOptions[g.name], hasJudge);
    if (why) skipped.push(`${g.name} (${why})`);
    return !why;
  });
  if (skipped.length) note(`all: skipped ${skipped.join("; ")}`);
  return [...new Set([...playable.map((g) => g.name), ...gyms.filter((g) => g !== "all")])];
}

/** Run (or resume) the rollouts of `request` into `request.out`; the summary says what finished, failed and is left. */
export async function runRollouts(request: RunRequest, hooks: RunHooks = {}): Promise<RolloutsSummary> {
  const userSpec = expandLocalAlias(request.user ?? defaultUserSpec(request.gyms));
  const gymOptions = request.gymOptions ?? {};
  const gyms = gymsToRun(request.gyms, userSpec, gymOptions, hooks.note, request.judge !== undefined);
  const given = typeof request.agent === "string" ? undefined : request.agent;
  const agentSpec = given?.spec ?? expandLocalAlias(request.agent as string);
  const config: RunConfig = {
    gyms,
    split: request.split,
    limit: request.limit,
    taskIds: request.taskIds,
    samples: request.samples,
    concurrency: agentSpec === "human" ? 1 : request.concurrency,
    agent: agentSpec,
    user: userSpec,
    mode: request.mode,
    compat: request.compat,
    maxTurns: request.maxTurns,
    seed: request.seed,
    prompts: request.prompts,
    gymOptions,
    ...(request.stepTimeoutMs !== undefined ? { stepTimeoutMs: request.stepTimeoutMs } : {}),
    ...personaField(request.persona),
  };
  validateConfig(config); // every option and gym option, before anything is loaded or created
  const temperature = request.temperature ?? (request.mode === "eval" ? 0 : undefined);
  const agent = given ?? (await resolveAgent(agentSpec, { temperature, maxTokens: request.maxTokens }));
  const user = await resolveUser(userSpec, { judgeSpec: request.judge }).catch(async (err: unknown) => {
    if (!given) await agent.close();
    throw err;
  });
  const store = new RunStore(request.out);
  try {
    const summary = await runBatch(config, { store, agent, user, signal: hooks.signal, onProgress: hooks.onProgress });
    if (!request.rerunSimFaults || summary.aborted) return summary;
    return { ...summary, simFaultReruns: await rerunSimFaults(config, { store, agent, user, signal: hooks.signal }) };
  } finally {
    store.close();
    // An agent the caller resolved stays the caller's to close.
    if (!given) await agent.close();
    await user.close();
  }
}

/** The run config's persona field: absent for the cooperative default, so such runs are stored as before. */
function personaField(spec: string | PersonaView | undefined): Pick<RunConfig, "persona"> {
  const persona = typeof spec === "object" ? spec : parsePersona(spec);
  return persona ? { persona } : {};
}
