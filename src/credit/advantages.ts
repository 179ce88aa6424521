/**
 * The credit service's one entry point: groups of finished trajectories (turn rewards, optionally each
 * turn's loss-token count) → per-trajectory score, normalised advantage, turn credits and per-turn token
 * advantages. The environment server, the CLI and the RL export all go through here.
 */
import { normaliseGroup, DEFAULT_EPS } from "./grpo.js";
import {
  DEFAULT_EM_K,
  DEFAULT_GAMMA,
  TRAJECTORY_SCORE_METHODS,
  TURN_LEVEL_METHODS,
  trajectoryScore,
  turnCredits,
  type TrajectoryScoreMethod,
  type TurnLevelMethod,
} from "./methods.js";
import { scaleTurnAdvantages } from "./tokens.js";

export type CreditId = string | number;

export interface CreditOptions {
  turnLevel: TurnLevelMethod;
  trajectoryScore: TrajectoryScoreMethod;
  /** Discount for R2G credits and scores (default 0.8). */
  gamma?: number;
  /** k of the EM mapping (default 2). */
  emK?: number;
  /** Divide by the group's std (default true, as the reference). */
  normByStd?: boolean;
  /** ε added to the std (default 1e-6). */
  eps?: number;
}

/** The paper's best setting (Equalized turns, R2G trajectory score). */
export const DEFAULT_CREDIT_OPTIONS: Required<CreditOptions> = {
  turnLevel: "Equalized",
  trajectoryScore: "R2G",
  gamma: DEFAULT_GAMMA,
  emK: DEFAULT_EM_K,
  normByStd: true,
  eps: DEFAULT_EPS,
};

export interface CreditTrajectoryInput {
  id: CreditId;
  /** r_1 … r_T, one per assistant turn (0 for a turn that executed nothing). */
  rewards: readonly number[];
  /** Loss-mask tokens of each turn (same length as rewards); without it every turn counts as one token. */
  turnTokens?: readonly number[];
  /** Each turn's look-ahead value (same length as rewards): required by the LookAhead turn-level method. */
  lookAhead?: readonly number[];
}

export interface CreditGroupInput {
  id: CreditId;
  trajectories: readonly CreditTrajectoryInput[];
}

export interface TrajectoryCredit {
  id: CreditId;
  group: CreditId;
  /** S: the trajectory score. */
  score: number;
  /** N: the group-normalised score. */
  advantage: number;
  /** c_t per turn. */
  credits: number[];
  /** The advantage each loss token of turn t carries (c_t·N·K/E, or 0 when E = 0). */
  tokenAdvantages: number[];
  /** E: Σ n_t·c_t. */
  creditMass: number;
  /** K: tokens with non-zero credit. */
  creditTokens: number;
}

export interface GroupSummary {
  id: CreditId;
  size: number;
  mean: number;
  std: number;
}

export interface CreditResult {
  groups: GroupSummary[];
  /** In input order, group by group. */
  trajectories: TrajectoryCredit[];
}

/** Fill in defaults and reject options the formulas cannot use. */
export function resolveCreditOptions(options: Partial<CreditOptions> = {}): Required<CreditOptions> {
  const o = { ...DEFAULT_CREDIT_OPTIONS, ...stripUndefined(options) };
  if (!TURN_LEVEL_METHODS.includes(o.turnLevel)) throw new RangeError(`turnLevel must be one of ${TURN_LEVEL_METHODS.join(", ")} (got "${o.turnLevel}")`);
  if (!TRAJECTORY_SCORE_METHODS.includes(o.trajectoryScore)) {
    throw new RangeError(`trajectoryScore must be one of ${TRAJECTORY_SCORE_METHODS.join(", ")} (got "${o.trajectoryScore}")`);
  }
  if (!Number.isFinite(o.gamma)) throw new RangeError(`gamma must be a finite number (got ${o.gamma})`);
  if (!Number.isFinite(o.emK) || o.emK <= 0) throw new RangeError(`emK must be a positive number (got ${o.emK})`);
  if (!Number.isFinite(o.eps) || o.eps < 0) throw new RangeError(`eps must be a non-negative number (got ${o.eps})`);
  return o;
}

export function computeGroupAdvantages(groups: readonly CreditGroupInput[], options: Partial<CreditOptions> = {}): CreditResult {
  const o = resolveCreditOptions(options);
  const result: CreditResult = { groups: [], trajectories: [] };
  for (const group of groups) {
    for (const t of group.trajectories) checkTrajectory(group.id, t);
    const scores = group.trajectories.map((t) => trajectoryScore(t.rewards, o.trajectoryScore, o));
    const { mean, std, normalised } = normaliseGroup(scores, o);
    result.groups.push({ id: group.id, size: scores.length, mean, std });
    group.trajectories.forEach((t, i) => {
      const credits = turnCredits(t.rewards, o.turnLevel, { ...o, lookAhead: t.lookAhead });
      const counts = t.turnTokens ?? t.rewards.map(() => 1);
      const scaled = scaleTurnAdvantages(credits, counts, normalised[i]);
      result.trajectories.push({
        id: t.id,
        group: group.id,
        score: scores[i],
        advantage: normalised[i],
        credits,
        tokenAdvantages: scaled.perTurn,
        creditMass: scaled.creditMass,
        creditTokens: scaled.creditTokens,
      });
    });
  }
  return result;
}

function checkTrajectory(group: CreditId, t: CreditTrajectoryInput): void {
  const where = `trajectory ${JSON.stringify(t.id)} of group ${JSON.stringify(group)}`;
  if (!t.rewards.every(Number.isFinite)) throw new RangeError(`${where}: every reward must be a finite number`);
  if (t.lookAhead !== undefined && (t.lookAhead.length !== t.rewards.length || !t.lookAhead.every(Number.isFinite))) {
    throw new RangeError(`${where}: lookAhead must hold one finite number per reward`);
  }
  if (t.turnTokens === undefined) return;
  if (t.turnTokens.length !== t.rewards.length) {
    throw new RangeError(`${where}: turnTokens has ${t.turnTokens.length} entries but rewards has ${t.rewards.length}`);
  }
  if (!t.turnTokens.every((n) => Number.isInteger(n) && n >= 0)) throw new RangeError(`${where}: turnTokens must be non-negative integers`);
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
