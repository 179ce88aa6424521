/**
 * The batch runner: tasks × samples, run concurrently, stored as they finish, resumable.
 * Re-running the same command on the same run directory skips every finished episode; episodes that
 * failed (model errors, aborts) are run again.
 */
import { createHash, randomUUID } from "node:crypto";
import { setMaxListeners } from "node:events";
import { setImmediate as yieldToEventLoop } from "node:timers/promises";
import { COMPAT_VALUES, type Compat, type GymDefinition, type Mode, type PersonaView, type Split, type Task, type Trajectory } from "../core/types.js";
import { personaMismatch } from "../personas/run.js";
import { DataStore } from "../data/store.js";
import { GYMS, resolveGyms } from "../gyms/index.js";
import type { AgentFactory, UserFactory } from "../agents/resolve.js";
import { runEpisode } from "./episode.js";
import { episodeKey, RunStore, storedOutcome } from "./store.js";

export interface RunConfig {
  gyms: string[];
  split: Split;
  /** First N tasks of each gym's split. */
  limit?: number;
  /** Only these task ids (of the chosen gyms). */
  taskIds?: string[];
  samples: number;
  concurrency: number;
  agent: string;
  user: string;
  mode: Mode;
  compat: Compat;
  maxTurns: number;
  seed: number;
  prompts: "own" | "dataset";
  /** Gym-specific options, by gym name. */
  gymOptions?: Record<string, Record<string, unknown>>;
  /** The simulated user's persona (src/personas/); absent = cooperative. */
  persona?: PersonaView;
  /** Time limit of one gym reset or step, its simulated users included (default 300 s). */
  stepTimeoutMs?: number;
}

export const DEFAULT_RUN: Omit<RunConfig, "gyms" | "agent" | "user"> = {
  split: "test",
  samples: 1,
  concurrency: 8,
  mode: "eval",
  compat: "fixed",
  maxTurns: 16,
  seed: 42,
  prompts: "own",
};

export interface Job {
  key: string;
  gym: GymDefinition<unknown>;
  task: Task<unknown>;
  sample: number;
}

export interface Progress {
  total: number;
  finished: number;
  skipped: number;
  errors: number;
  running: number;
  meanReward: number;
  last?: Trajectory;
}

export interface RunSummary {
  runId: string;
  runDir: string;
  /** Finished episodes of this command's job list (old and new). */
  episodes: number;
  newEpisodes: number;
  skipped: number;
  errors: number;
  /** The first few failures of this command (episode key and why), so the console can say why. */
  failures: { key: string; error: string }[];
  pending: number;
  aborted: boolean;
  meanReward: number;
  gyms: Record<string, { episodes: number; meanReward: number }>;
}

const FAILURES_KEPT = 5;

export interface RunDeps {
  store: RunStore;
  agent: AgentFactory;
  user: UserFactory;
  data?: DataStore;
  signal?: AbortSignal;
  onProgress?: (p: Progress) => void;
}

/** Settings that must not change when a run directory is resumed. */
const PINNED: (keyof RunConfig)[] = ["agent", "user", "mode", "compat", "maxTurns", "seed", "prompts", "split"];

export function episodeSeed(base: number, gym: string, taskId: string, sample: number): number {
  const h = createHash("sha256").update(`${base}/${gym}/${taskId}/${sample}`).digest();
  return h.readUInt32BE(0);
}

export async function planJobs(config: RunConfig, data: DataStore): Promise<Job[]> {
  const jobs: Job[] = [];
  const wanted = config.taskIds ? new Set(config.taskIds) : undefined;
  const found = new Set<string>();
  for (const gym of resolveGyms(config.gyms)) {
    let tasks = (await gym.tasks(data)).filter((t) => t.split === config.split);
    if (wanted) {
      tasks = tasks.filter((t) => wanted.has(t.id));
      tasks.forEach((t) => found.add(t.id));
    }
    if (config.limit !== undefined) tasks = tasks.slice(0, config.limit);
    for (const task of tasks) {
      for (let s = 0; s < config.samples; s++) jobs.push({ key: episodeKey(gym.name, task.id, s), gym, task, sample: s });
    }
  }
  if (wanted) {
    const missing = [...wanted].filter((id) => !found.has(id));
    if (missing.length) throw new Error(`no ${config.split} task with id ${missing.map((m) => `"${m}"`).join(", ")} in ${config.gyms.join(", ")}`);
  }
  return jobs;
}

export function validateConfig(c: RunConfig): void {
  if (!Number.isInteger(c.samples) || c.samples < 1) throw new Error(`--samples must be a positive integer (got ${c.samples})`);
  if (!Number.isInteger(c.concurrency) || c.concurrency < 1) throw new Error(`--concurrency must be a positive integer (got ${c.concurrency})`);
  if (!Number.isInteger(c.maxTurns) || c.maxTurns < 1) throw new Error(`--max-turns must be a positive integer (got ${c.maxTurns})`);
  if (c.stepTimeoutMs !== undefined && !(Number.isFinite(c.stepTimeoutMs) && c.stepTimeoutMs > 0)) throw new Error(`--step-timeout must be a positive number of seconds (got ${c.stepTimeoutMs / 1000})`);
  if (c.limit !== undefined && (!Number.isInteger(c.limit) || c.limit < 0)) throw new Error(`--limit must be a non-negative integer (got ${c.limit})`);
  if (c.split !== "train" && c.split !== "test") throw new Error(`--split must be train or test (got ${c.split})`);
  if (!COMPAT_VALUES.includes(c.compat)) throw new Error(`--compat must be one of ${COMPAT_VALUES.join(", ")} (got ${c.compat})`);
  if (c.mode !== "train" && c.mode !== "eval") throw new Error(`--mode must be train or eval (got ${c.mode})`);
  checkGymOptions(c.gymOptions);
}

/**
 * Every gym option checked against its gym (`GymDefinition.checkOptions`) before the first episode: an
 * unknown gym or key, a value out of range or a data file that is not there stops the run with one line,
 * instead of failing every episode alike (or being ignored).
 */
export function checkGymOptions(gymOptions: Readonly<Record<string, Readonly<Record<string, unknown>>>> = {}): void {
  const problems: string[] = [];
  for (const [name, options] of Object.entries(gymOptions)) {
    const gym = GYMS.get(name);
    const problem = gym ? gym.checkOptions?.(options) : `gym option for unknown gym "${name}" (known: ${[...GYMS.keys()].join(", ")})`;
    if (problem) problems.push(problem);
  }
  if (problems.length) throw new Error(problems.join("; "));
}

export async function runBatch(config: RunConfig, deps: RunDeps): Promise<RunSummary> {
  validateConfig(config);
  // Every in-flight model call of every concurrent episode listens to the run's signal: many listeners is the design.
  if (deps.signal) setMaxListeners(0, deps.signal);
  const data = deps.data ?? DataStore.default();
  const { store } = deps;
  store.claimWriter();
  const existing = store.run();
  if (existing) {
    for (const k of PINNED) {
      const before = existing.config[k];
      if (before !== undefined && JSON.stringify(before) !== JSON.stringify(config[k])) {
        throw new Error(
          `${store.dir} holds a run with ${k}=${JSON.stringify(before)}, not ${JSON.stringify(config[k])}; ` +
            `resume with the same settings or choose another --out directory`,
        );
      }
    }
    const personaProblem = personaMismatch(store.dir, existing.config.persona, config.persona);
    if (personaProblem) throw new Error(personaProblem);
  }
  const run = store.ensureRun(`run-${randomUUID()}`, { ...config });
  if (existing) {
    const prev = existing.config as Partial<RunConfig>;
    store.updateConfig({ ...config, gyms: [...new Set([...(prev.gyms ?? []), ...config.gyms])] });
  }
  const jobs = await planJobs(config, data);
  await preflight(jobs, deps, config.gymOptions ?? {});
  const done = store.doneKeys();
  const todo = jobs.filter((j) => !done.has(j.key));
  const progress: Progress = { total: jobs.length, finished: 0, skipped: jobs.length - todo.length, errors: 0, running: 0, meanReward: 0 };
  let rewardSum = 0;
  const failures: RunSummary["failures"] = [];
  deps.onProgress?.({ ...progress });

  const runOne = async (job: Job) => {
    let traj: Trajectory;
    try {
      traj = await playJob(config, deps, run.id, job, episodeSeed(config.seed, job.gym.name, job.task.id, job.sample));
    } catch (err) {
      progress.errors++;
      store.logEvent("episode_error", { key: job.key, error: (err as Error).message });
      throw err;
    }
    // Interrupted: whatever the episode returned was cut short (a user call cancelled mid-step), so it is
    // dropped, not stored, and the resume plays it again.
    if (traj.endReason === "aborted" || deps.signal?.aborted) return;
    const { status, error } = storedOutcome(traj);
    store.saveEpisode(traj, status, error);
    if (status === "error") {
      progress.errors++;
      if (failures.length < FAILURES_KEPT) failures.push({ key: job.key, error: error ?? traj.endReason });
    }
    else {
      progress.finished++;
      rewardSum += traj.totalReward;
      progress.meanReward = rewardSum / progress.finished;
    }
    progress.last = traj;
    deps.onProgress?.({ ...progress });
  };

  // A fixed pool of workers pulling from the queue keeps at most `concurrency` episodes in flight.
  let next = 0;
  let fatal: unknown;
  const worker = async () => {
    while (next < todo.length && !deps.signal?.aborted && !fatal) {
      const job = todo[next++];
      progress.running++;
      try {
        await runOne(job);
      } catch (err) {
        // Configuration errors (no offline user, unknown agent) hit every job alike: stop early.
        fatal = err;
      } finally {
        progress.running--;
      }
      // An agent and gym that never wait on I/O (the baseline, an in-process function) would otherwise run the
      // whole batch in microtasks: timers, Ctrl-C and abort signals get their turn between episodes.
      await yieldToEventLoop();
    }
  };
  await Promise.all(Array.from({ length: Math.min(config.concurrency, Math.max(1, todo.length)) }, worker));
  if (fatal) throw fatal;

  const summary = summarize(store, jobs);
  return {
    runId: run.id,
    runDir: store.dir,
    ...summary,
    newEpisodes: progress.finished,
    skipped: progress.skipped,
    errors: progress.errors,
    failures,
    aborted: deps.signal?.aborted ?? false,
  };
}

/** One episode of a job with this seed, as the run plays it (its user roles, gym options and persona). */
export async function playJob(config: RunConfig, deps: Pick<RunDeps, "agent" | "user" | "signal">, runId: string, job: Job, seed: number): Promise<Trajectory> {
  const ctx = {
    mode: config.mode,
    compat: config.compat,
    maxSteps: config.maxTurns,
    seed,
    user: deps.user.roles(job.gym),
    options: config.gymOptions?.[job.gym.name] ?? {},
    signal: deps.signal,
    ...(config.persona ? { persona: config.persona } : {}),
  };
  const agent = deps.agent.start(job.gym, job.task, seed);
  try {
    return await runEpisode({
      gym: job.gym,
      task: job.task,
      agent,
      ctx,
      maxTurns: config.maxTurns,
      prompts: config.prompts,
      id: `${runId}/${job.key}`,
      runId,
      groupId: `${job.gym.name}/${job.task.id}`,
      sample: job.sample,
      agentSpec: config.agent,
      stepTimeoutMs: config.stepTimeoutMs,
    });
  } finally {
    await agent.close?.();
  }
}

/**
 * Check, before any episode runs, that every chosen gym can be played with this agent and user
 * (e.g. `--user offline` on a gym without an offline user, `--agent oracle` on a gym without one),
 * and report all problems at once.
 */
async function preflight(jobs: readonly Job[], deps: Pick<RunDeps, "agent" | "user">, gymOptions: Record<string, Record<string, unknown>>): Promise<void> {
  const firstJob = new Map<string, Job>();
  for (const j of jobs) if (!firstJob.has(j.gym.name)) firstJob.set(j.gym.name, j);
  const problems: string[] = [];
  for (const job of firstJob.values()) {
    try {
      const missing = job.gym.missing?.(gymOptions[job.gym.name] ?? {});
      if (missing) throw new Error(missing);
      deps.user.roles(job.gym);
      const session = deps.agent.start(job.gym, job.task, 0);
      await session.close?.();
    } catch (err) {
      problems.push((err as Error).message);
    }
  }
  if (problems.length) throw new Error(problems.length === 1 ? problems[0] : `cannot run:\n  ${problems.join("\n  ")}`);
}

function summarize(store: RunStore, jobs: Job[]): Pick<RunSummary, "episodes" | "pending" | "meanReward" | "gyms"> {
  const wanted = new Set(jobs.map((j) => j.key));
  const rows = store.episodes({ status: "done" }).filter((r) => wanted.has(r.key));
  const gyms: RunSummary["gyms"] = {};
  for (const r of rows) {
    const g = (gyms[r.gym] ??= { episodes: 0, meanReward: 0 });
    g.meanReward = (g.meanReward * g.episodes + r.totalReward) / (g.episodes + 1);
    g.episodes++;
  }
  const total = rows.reduce((s, r) => s + r.totalReward, 0);
  return { episodes: rows.length, pending: jobs.length - rows.length, meanReward: rows.length ? total / rows.length : 0, gyms };
}
