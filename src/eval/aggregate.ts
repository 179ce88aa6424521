/**
 * From stored trajectories to the paper's numbers: per-gym score (mean over tasks of the mean over samples,
 * as `analyze.py`), pass@k average and max, standard errors and bootstrap intervals over tasks, the
 * task-weighted micro-average (weights = tasks evaluated per gym, so Travel weighs heavily) and the plain
 * mean over gyms, effective turns and time-weighted performance.
 */
import { mean, stderr } from "../core/stats.js";
import type { GymScoring, Trajectory } from "../core/types.js";
import { agentTokensOf, groupSignal, type GroupSignal } from "../credit/signal.js";
import { effectiveTurns, flipRate, passAtK, passHatK, timeWeighted } from "./metrics.js";
import { runNoiseFloor } from "./noise.js";

export interface TaskScores {
  taskId: string;
  /** Score of each sample, by sample index order. */
  scores: number[];
  mean: number;
  max: number;
  /** Binary gyms with several samples: the chance two samples of this task disagree. */
  flipRate?: number;
}

/** How reliably a binary gym's tasks are solved when each is tried k times (`--samples k`, k > 1). */
export interface Reliability {
  /** The largest k every task has samples for. */
  k: number;
  /** pass^j for j = 1 … k (index j − 1): every one of j tries succeeds (tau-bench's reliability). */
  passHatK: number[];
  /** pass@j for j = 1 … k: at least one of j tries succeeds. */
  passAtK: number[];
  /** Mean over tasks of the chance that two tries of a task disagree. */
  flipRate: number;
  /** Tasks with both successes and failures among their samples. */
  flakyTasks: number;
}

export interface GymEval {
  gym: string;
  /** Success is 0/1 (the gym's scoring): pass^k applies. */
  binary: boolean;
  /** How the gym's score is computed, in one sentence (from its scoring). */
  note: string;
  /** Tasks evaluated (the gym's weight in the micro-average). */
  n: number;
  episodes: number;
  /** Mean over tasks of the mean over samples (the paper's metric). */
  score: number;
  /** Standard error over tasks. */
  stderr: number;
  /** 95% percentile-bootstrap interval over tasks. */
  ci95: [number, number];
  /** pass@k with k = the largest number of samples of a task: mean of per-task averages and of per-task maxima. */
  passAtK: { k: number; avg: number; max: number };
  /** Binary gyms with several samples per task: pass^k, pass@k by k, and flip rates. */
  reliability?: Reliability;
  /**
   * Minimum detectable difference (80% power, two-sided α = 0.05) against an unpaired run of the same size
   * and variance: score differences below it are noise.
   */
  noiseFloor: number;
  /** With several samples per task: groups (a task's samples) where every sample scored the same. */
  signal?: GroupSignal;
  /** Share of episodes with a positive score. */
  successRate: number;
  effectiveTurns: number;
  timeWeighted: number;
  meanTurns: number;
  /** Mean reward at each turn index (episodes that ended earlier count 0). */
  rewardByTurn: number[];
  /** Episodes by effective turns (index = turns), over episodes with a positive score. */
  turnsHistogram: number[];
  /** What the episodes cost, per episode on average. */
  usage: GymUsage;
  /** Sub-scores by the gym's task groups (e.g. Travel's variants), when it has them. */
  groups?: Record<string, { n: number; score: number; stderr: number }>;
  tasks: TaskScores[];
}

/** Model use per episode (means over the gym's episodes): the agent's calls and the simulated user's and judges'. */
export interface GymUsage {
  agentCalls: number;
  agentPromptTokens: number;
  agentCompletionTokens: number;
  userCalls: number;
  userPromptTokens: number;
  userCompletionTokens: number;
  /** Wall time of an episode, seconds. */
  seconds: number;
}

/** Tokens over every episode of the run. */
export interface UsageTotals {
  agentPromptTokens: number;
  agentCompletionTokens: number;
  userPromptTokens: number;
  userCompletionTokens: number;
}

export interface EvalSummary {
  gyms: Record<string, GymEval>;
  /** Σ_e w_e·score_e / Σ_e w_e with w_e = tasks evaluated in gym e (as `analyze.py`, over the gyms that ran). */
  microAverage: number;
  microAverageStderr: number;
  meanOverGyms: number;
  weights: Record<string, number>;
  effectiveTurns: number;
  timeWeighted: number;
  episodes: number;
  usage: UsageTotals;
  /** Over every gym's groups, when any task has several samples. */
  signal?: GroupSignal;
}

function sum(xs: readonly number[]): number {
  return xs.reduce((a, b) => a + b, 0);
}

/** A small seeded PRNG (mulberry32) so bootstrap intervals are reproducible. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function bootstrapCI(xs: readonly number[], resamples = 2000, seed = 7): [number, number] {
  if (xs.length === 0) return [0, 0];
  if (xs.length === 1) return [xs[0], xs[0]];
  const r = rng(seed);
  const means = new Float64Array(resamples);
  for (let b = 0; b < resamples; b++) {
    let s = 0;
    for (let i = 0; i < xs.length; i++) s += xs[Math.floor(r() * xs.length)];
    means[b] = s / xs.length;
  }
  means.sort();
  return [means[Math.floor(0.025 * resamples)], means[Math.min(resamples - 1, Math.floor(0.975 * resamples))]];
}

export function evaluateGym(gym: string, scoring: GymScoring, trajectories: readonly Trajectory[]): GymEval {
  const byTask = new Map<string, Trajectory[]>();
  for (const t of trajectories) {
    const list = byTask.get(t.taskId) ?? [];
    list.push(t);
    byTask.set(t.taskId, list);
  }
  const tasks: TaskScores[] = [];
  for (const [taskId, list] of byTask) {
    list.sort((a, b) => a.sample - b.sample);
    const scores = list.map((t) => scoring.score(t));
    tasks.push({ taskId, scores, mean: mean(scores), max: Math.max(...scores) });
  }
  tasks.sort((a, b) => (a.taskId < b.taskId ? -1 : 1));
  const reliability = scoring.binary ? reliabilityOf(tasks) : undefined;
  const multiSample = tasks.some((t) => t.scores.length > 1);
  const taskMeans = tasks.map((t) => t.mean);
  const maxTurns = Math.max(0, ...trajectories.map((t) => t.turns.length));
  const rewardByTurn = Array.from({ length: maxTurns }, (_, i) => mean(trajectories.map((t) => t.turns[i]?.reward ?? 0)));
  const histogram = Array.from({ length: maxTurns + 1 }, () => 0);
  for (const t of trajectories) if (scoring.score(t) > 0) histogram[effectiveTurns(t)]++;
  const groups: NonNullable<GymEval["groups"]> = {};
  const grouped = new Map<string, number[]>();
  for (const t of tasks) {
    const g = scoring.group?.(t.taskId);
    if (g) grouped.set(g, [...(grouped.get(g) ?? []), t.mean]);
  }
  for (const [g, xs] of [...grouped].sort()) groups[g] = { n: xs.length, score: mean(xs), stderr: stderr(xs) };
  return {
    gym,
    binary: scoring.binary,
    note: scoring.note,
    n: tasks.length,
    episodes: trajectories.length,
    score: mean(taskMeans),
    stderr: stderr(taskMeans),
    ci95: bootstrapCI(taskMeans),
    passAtK: { k: Math.max(0, ...tasks.map((t) => t.scores.length)), avg: mean(taskMeans), max: mean(tasks.map((t) => t.max)) },
    ...(reliability ? { reliability } : {}),
    noiseFloor: runNoiseFloor(stderr(taskMeans)),
    ...(multiSample ? { signal: groupSignal(tasks.map((t) => t.scores), agentTokensOf(trajectories)) } : {}),
    successRate: mean(trajectories.map((t) => (scoring.score(t) > 0 ? 1 : 0))),
    effectiveTurns: mean(trajectories.map(effectiveTurns)),
    timeWeighted: mean(trajectories.map(timeWeighted)),
    meanTurns: mean(trajectories.map((t) => t.turns.length)),
    rewardByTurn,
    turnsHistogram: histogram,
    usage: usageOf(trajectories),
    ...(grouped.size ? { groups } : {}),
    tasks,
  };
}

/** pass^k and flip rates over tasks (success = a positive score); undefined unless every task has ≥ 2 samples. */
function reliabilityOf(tasks: TaskScores[]): Reliability | undefined {
  const k = Math.min(...tasks.map((t) => t.scores.length));
  if (!tasks.length || k < 2) return undefined;
  const counts = tasks.map((t) => ({ n: t.scores.length, c: t.scores.filter((x) => x > 0).length }));
  tasks.forEach((t, i) => (t.flipRate = flipRate(counts[i].n, counts[i].c)));
  const ks = Array.from({ length: k }, (_, j) => j + 1);
  return {
    k,
    passHatK: ks.map((j) => mean(counts.map(({ n, c }) => passHatK(n, c, j)))),
    passAtK: ks.map((j) => mean(counts.map(({ n, c }) => passAtK(n, c, j)))),
    flipRate: mean(tasks.map((t) => t.flipRate!)),
    flakyTasks: counts.filter(({ n, c }) => c > 0 && c < n).length,
  };
}


function usageTotals(trajectories: readonly Trajectory[]): UsageTotals {
  const total = (f: (t: Trajectory) => number | undefined) => sum(trajectories.map((t) => f(t) ?? 0));
  return {
    agentPromptTokens: total((t) => t.agentUsage?.promptTokens),
    agentCompletionTokens: total((t) => t.agentUsage?.completionTokens),
    userPromptTokens: total((t) => t.userUsage?.promptTokens),
    userCompletionTokens: total((t) => t.userUsage?.completionTokens),
  };
}

function usageOf(trajectories: readonly Trajectory[]): GymUsage {
  const n = Math.max(1, trajectories.length);
  const tokens = usageTotals(trajectories);
  return {
    agentCalls: sum(trajectories.map((t) => t.turns.filter((r) => r.usage).length)) / n,
    agentPromptTokens: tokens.agentPromptTokens / n,
    agentCompletionTokens: tokens.agentCompletionTokens / n,
    userCalls: sum(trajectories.map((t) => t.turns.reduce((k, r) => k + (r.roleCalls?.length ?? 0), 0))) / n,
    userPromptTokens: tokens.userPromptTokens / n,
    userCompletionTokens: tokens.userCompletionTokens / n,
    seconds: sum(trajectories.map((t) => t.durationMs)) / 1000 / n,
  };
}

/** The task-weighted micro-average over the given per-gym results (and its standard error). */
export function microAverage(gyms: readonly Pick<GymEval, "gym" | "n" | "score" | "stderr">[], weights?: Record<string, number>): { value: number; stderr: number } {
  let wsum = 0;
  let acc = 0;
  let varAcc = 0;
  for (const g of gyms) {
    const w = weights?.[g.gym] ?? g.n;
    wsum += w;
    acc += w * g.score;
    varAcc += w * w * g.stderr * g.stderr;
  }
  return wsum ? { value: acc / wsum, stderr: Math.sqrt(varAcc) / wsum } : { value: 0, stderr: 0 };
}

export function summarize(byGym: ReadonlyMap<string, { scoring: GymScoring; trajectories: readonly Trajectory[] }>): EvalSummary {
  const gyms: Record<string, GymEval> = {};
  for (const [gym, { scoring, trajectories }] of byGym) if (trajectories.length) gyms[gym] = evaluateGym(gym, scoring, trajectories);
  const list = Object.values(gyms);
  const micro = microAverage(list);
  const all = [...byGym.values()].flatMap((x) => x.trajectories);
  const usage = usageTotals(all);
  const withSignal = list.filter((g) => g.signal);
  return {
    gyms,
    microAverage: micro.value,
    microAverageStderr: micro.stderr,
    meanOverGyms: mean(list.map((g) => g.score)),
    weights: Object.fromEntries(list.map((g) => [g.gym, g.n])),
    effectiveTurns: mean(list.map((g) => g.effectiveTurns)),
    timeWeighted: mean(list.map((g) => g.timeWeighted)),
    episodes: all.length,
    usage,
    ...(withSignal.length ? { signal: groupSignal(withSignal.flatMap((g) => g.tasks.map((t) => t.scores)), sum(withSignal.map((g) => g.signal!.agentTokens))) } : {}),
  };
}
