/**
 * The credit lab: synthetic gyms where the true value of every turn is known, to see which credit assignment
 * ranks good turns above bad ones. A task needs `need` useful moves (questions that uncover something); each
 * turn the policy makes a useful move, a useless one, or — where offered — a shortcut the gym rewards at once
 * but that moves nothing forward. True turn value: 1 for a useful move, 0 otherwise.
 *
 * Scenarios: `delayed` (reward 1 only once the task is done, after `need` exploratory turns), `partial` (also 0.2
 * for each useful move as it happens), `noisy` (partial, plus Gaussian noise σ = 0.3 on every reward), `shortcut`
 * (delayed, plus a move rewarded 0.3 that is worth nothing).
 *
 * A method's score: the Spearman rank correlation, over every turn of a training batch (`groups` GRPO groups
 * of `groupSize` samples), between the advantage each turn's tokens receive (c_t · N · K / E, one token per turn)
 * and the turn's true value; averaged over batches. Each sample of a group plays with its own policy strength
 * (P(useful) uniform in [0.15, 0.85]), so groups carry signal.
 */
import { mean, stderr } from "../core/stats.js";
import { Rng } from "../gyms/kit/random.js";
import { computeGroupAdvantages, type CreditGroupInput } from "./advantages.js";
import { DEFAULT_GAMMA, lookAheadValue, TRAJECTORY_SCORE_METHODS, TURN_LEVEL_METHODS, type TrajectoryScoreMethod, type TurnLevelMethod } from "./methods.js";

export const LAB_SCENARIOS = ["delayed", "partial", "noisy", "shortcut"] as const;
export type LabScenario = (typeof LAB_SCENARIOS)[number];

export interface LabOptions {
  scenarios: readonly LabScenario[];
  /** Useful moves a task needs (the exploratory turns before the final reward). */
  need: number;
  /** Turn limit: 2·need + 2 unless given. */
  maxTurns?: number;
  groupSize: number;
  /** Groups per training batch. */
  groups: number;
  batches: number;
  seed: number;
  gamma: number;
  /** LookAhead: turns sampled after a turn, and how many futures are averaged. */
  lookAheadTurns: number;
  lookAheadSamples: number;
}

export const DEFAULT_LAB: LabOptions = {
  scenarios: LAB_SCENARIOS,
  need: 4,
  groupSize: 8,
  groups: 16,
  batches: 40,
  seed: 1,
  gamma: DEFAULT_GAMMA,
  lookAheadTurns: 3,
  lookAheadSamples: 4,
};

export interface LabMethod {
  turnLevel: TurnLevelMethod;
  trajectoryScore: TrajectoryScoreMethod;
  normByStd: boolean;
}

export interface LabResult extends LabMethod {
  scenario: LabScenario;
  /** Mean rank correlation over batches, and its standard error. */
  rho: number;
  stderr: number;
}

type Move = "useful" | "useless" | "shortcut";

interface Policy {
  useful: number;
  shortcut: number;
}

interface State {
  progress: number;
  turn: number;
}

const SHORTCUT_REWARD = 0.3;
const PARTIAL_REWARD = 0.2;
const NOISE_SD = 0.3;

/** Every turn-level × trajectory method, with and without the std division of GRPO. */
export function labMethods(): LabMethod[] {
  return TURN_LEVEL_METHODS.flatMap((turnLevel) =>
    TRAJECTORY_SCORE_METHODS.flatMap((trajectoryScore) => [true, false].map((normByStd) => ({ turnLevel, trajectoryScore, normByStd }))),
  );
}

/** One synthetic gym: its moves' rewards and when an episode ends. */
class LabGym {
  constructor(
    readonly scenario: LabScenario,
    readonly need: number,
    readonly maxTurns: number,
  ) {}

  move(policy: Policy, rng: Rng): Move {
    const u = rng.next();
    return u < policy.useful ? "useful" : u < policy.useful + policy.shortcut ? "shortcut" : "useless";
  }

  /** Play one move: its reward, and the state after it (done when the task is complete or out of turns). */
  step(s: State, m: Move, rng: Rng): { reward: number; next: State; done: boolean } {
    const progress = s.progress + (m === "useful" ? 1 : 0);
    const solved = progress >= this.need;
    let reward = solved ? 1 : 0;
    if (m === "useful" && this.scenario !== "delayed" && this.scenario !== "shortcut") reward += PARTIAL_REWARD;
    if (m === "shortcut") reward += SHORTCUT_REWARD;
    if (this.scenario === "noisy") reward += NOISE_SD * gaussian(rng);
    const next = { progress, turn: s.turn + 1 };
    return { reward, next, done: solved || next.turn >= this.maxTurns };
  }

  policy(rng: Rng): Policy {
    const useful = rng.uniform(0.15, 0.85);
    return { useful, shortcut: this.scenario === "shortcut" ? rng.uniform(0, 1 - useful) : 0 };
  }
}

interface LabEpisode {
  rewards: number[];
  values: number[];
  lookAhead: number[];
}

function playEpisode(gym: LabGym, o: LabOptions, rng: Rng): LabEpisode {
  const policy = gym.policy(rng);
  const ep: LabEpisode = { rewards: [], values: [], lookAhead: [] };
  let state: State = { progress: 0, turn: 0 };
  for (;;) {
    const m = gym.move(policy, rng);
    const { reward, next, done } = gym.step(state, m, rng);
    ep.rewards.push(reward);
    ep.values.push(m === "useful" ? 1 : 0);
    // Forward-sample the same policy from the state after this turn, as look-ahead credit does with a gym.
    const futures = done ? [] : Array.from({ length: o.lookAheadSamples }, () => rollForward(gym, policy, next, o.lookAheadTurns, rng));
    ep.lookAhead.push(lookAheadValue(reward, futures, o.gamma));
    if (done) return ep;
    state = next;
  }
}

function rollForward(gym: LabGym, policy: Policy, from: State, turns: number, rng: Rng): number[] {
  const rewards: number[] = [];
  let s = from;
  for (let k = 0; k < turns; k++) {
    const r = gym.step(s, gym.move(policy, rng), rng);
    rewards.push(r.reward);
    if (r.done) break;
    s = r.next;
  }
  return rewards;
}

/** Run the lab: every method on every scenario, on the same seeded batches. */
export function runCreditLab(options: Partial<LabOptions> = {}, methods: readonly LabMethod[] = labMethods()): LabResult[] {
  const o = { ...DEFAULT_LAB, ...options };
  checkLab(o);
  const results: LabResult[] = [];
  for (const scenario of o.scenarios) {
    const gym = new LabGym(scenario, o.need, o.maxTurns ?? 2 * o.need + 2);
    const rng = new Rng(`credit-lab:${scenario}:${o.need}:${o.seed}`);
    const batches = Array.from({ length: o.batches }, () =>
      Array.from({ length: o.groups }, () => Array.from({ length: o.groupSize }, () => playEpisode(gym, o, rng))),
    );
    for (const m of methods) {
      const rhos = batches.map((batch) => batchCorrelation(batch, m, o.gamma));
      results.push({ scenario, ...m, rho: mean(rhos), stderr: stderr(rhos) });
    }
  }
  return results;
}

function batchCorrelation(batch: LabEpisode[][], m: LabMethod, gamma: number): number {
  const groups: CreditGroupInput[] = batch.map((g, gi) => ({ id: gi, trajectories: g.map((e, i) => ({ id: i, rewards: e.rewards, lookAhead: e.lookAhead })) }));
  const result = computeGroupAdvantages(groups, { ...m, gamma });
  const advantages = result.trajectories.flatMap((t) => t.tokenAdvantages);
  const values = batch.flatMap((g) => g.flatMap((e) => e.values));
  return spearman(advantages, values);
}

/** Spearman's ρ with average ranks for ties; 0 when either side is constant (no ranking at all). */
export function spearman(xs: readonly number[], ys: readonly number[]): number {
  const rx = ranks(xs);
  const ry = ranks(ys);
  const mx = mean(rx);
  const my = mean(ry);
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < rx.length; i++) {
    sxy += (rx[i] - mx) * (ry[i] - my);
    sxx += (rx[i] - mx) ** 2;
    syy += (ry[i] - my) ** 2;
  }
  return sxx > 0 && syy > 0 ? sxy / Math.sqrt(sxx * syy) : 0;
}

function ranks(xs: readonly number[]): number[] {
  const order = xs.map((x, i) => [x, i] as const).sort((a, b) => a[0] - b[0]);
  const out = new Array<number>(xs.length);
  for (let i = 0; i < order.length; ) {
    let j = i;
    while (j + 1 < order.length && order[j + 1][0] === order[i][0]) j++;
    for (let k = i; k <= j; k++) out[order[k][1]] = (i + j) / 2;
    i = j + 1;
  }
  return out;
}

/** Standard normal draw (Box–Muller). */
function gaussian(rng: Rng): number {
  return Math.sqrt(-2 * Math.log(1 - rng.next())) * Math.cos(2 * Math.PI * rng.next());
}

function checkLab(o: LabOptions): void {
  const positive = { need: o.need, groupSize: o.groupSize, groups: o.groups, batches: o.batches, lookAheadSamples: o.lookAheadSamples };
  for (const [k, v] of Object.entries(positive)) if (!Number.isInteger(v) || v < 1) throw new RangeError(`${k} must be a positive integer (got ${v})`);
  if (!Number.isInteger(o.lookAheadTurns) || o.lookAheadTurns < 0) throw new RangeError(`lookAheadTurns must be a non-negative integer (got ${o.lookAheadTurns})`);
  if (o.maxTurns !== undefined && (!Number.isInteger(o.maxTurns) || o.maxTurns < o.need)) throw new RangeError(`maxTurns must be an integer ≥ need (got ${o.maxTurns})`);
  for (const s of o.scenarios) if (!LAB_SCENARIOS.includes(s)) throw new RangeError(`unknown scenario "${s}" (expected ${LAB_SCENARIOS.join(", ")})`);
  if (!Number.isFinite(o.gamma)) throw new RangeError(`gamma must be a finite number (got ${o.gamma})`);
}

/** Methods ranked by their mean ρ over the scenarios given (best first). */
export function rankMethods(results: readonly LabResult[]): { method: LabMethod; rho: number }[] {
  const by = new Map<string, { method: LabMethod; rhos: number[] }>();
  for (const r of results) {
    const key = labMethodName(r);
    const e = by.get(key) ?? { method: { turnLevel: r.turnLevel, trajectoryScore: r.trajectoryScore, normByStd: r.normByStd }, rhos: [] };
    e.rhos.push(r.rho);
    by.set(key, e);
  }
  return [...by.values()].map((e) => ({ method: e.method, rho: mean(e.rhos) })).sort((a, b) => b.rho - a.rho);
}

export function labMethodName(m: LabMethod): string {
  return `${m.turnLevel}/${m.trajectoryScore}${m.normByStd ? "" : " (no std)"}`;
}

/** The lab's results as one row per method (best mean first): ρ per scenario, then the mean over them. */
export function labTable(results: readonly LabResult[]): { headers: string[]; rows: string[][] } {
  const scenarios = [...new Set(results.map((r) => r.scenario))];
  const rows = rankMethods(results).map(({ method, rho }) => [
    labMethodName(method),
    ...scenarios.map((s) => {
      const r = results.find((x) => x.scenario === s && labMethodName(x) === labMethodName(method))!;
      return `${r.rho.toFixed(3)} ±${r.stderr.toFixed(3)}`;
    }),
    rho.toFixed(3),
  ]);
  return { headers: ["method (turn level / trajectory)", ...scenarios, "mean"], rows };
}
