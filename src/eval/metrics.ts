/**
 * Per-episode metrics, as the paper (and the reference's `analyze.py`) computes them.
 *
 * - binary gyms (Function, Telepathy, Tau, Search) and sum gyms (Turtle, Persuade, Intention): the sum of
 *   turn rewards (binary gyms pay 1 once, on success);
 * - Travel: choice correctness per aspect — the best answer reward per aspect (1.0 best, 0.8 correct, 0
 *   wrong), summed and divided by the number of aspects; search and elicitation rewards do not count.
 *
 * Choices the paper leaves open, written down:
 * - effective turns = the 1-based index of the last turn with a non-zero reward (0 when no turn paid);
 * - time-weighted performance = Σ_t r_t / t over 1-based turns, i.e. weight 1/(i+1) with i counted from 0,
 *   so a reward on the first turn counts in full.
 */
import type { MetricKind, Trajectory, TurnRecord } from "../core/types.js";

export function totalReward(t: Pick<Trajectory, "turns">): number {
  return t.turns.reduce((s, x) => s + x.reward, 0);
}

/** Number of travel aspects from a task id such as `flight:2-37|hotel:2-9` (one `aspect:…` part each). */
export function travelAspects(taskId: string): number {
  const parts = taskId.split("|").filter((p) => /^[a-z_]+:/i.test(p.trim()));
  return Math.max(1, parts.length);
}

/** The aspect an answer is about: the option id's initial (`H11` → `H`). */
function answerKey(turn: TurnRecord, compat: Trajectory["compat"]): string | undefined {
  if (compat === "userrl-2025") {
    // analyze.py keys by the raw content's first character, so `[answer] H11` lands in a bogus "[" group.
    const raw = turn.toolArgs?.content ?? turn.action?.content ?? "";
    return raw.length ? raw[0] : undefined;
  }
  const content = (turn.action?.content ?? "").replace(/^\s*\[answer\]\s*/i, "").trim();
  const m = /[A-Za-z]/.exec(content);
  return m ? m[0].toUpperCase() : undefined;
}

export function travelScore(t: Pick<Trajectory, "turns" | "taskId" | "compat">): number {
  const best = new Map<string, number>();
  for (const turn of t.turns) {
    if (turn.action?.choice !== "answer" || !(turn.action.content ?? "").trim()) continue;
    const key = answerKey(turn, t.compat);
    if (key === undefined) continue;
    best.set(key, Math.max(best.get(key) ?? -Infinity, turn.reward));
  }
  let sum = 0;
  for (const v of best.values()) sum += v;
  return sum / travelAspects(t.taskId);
}

export function episodeScore(t: Pick<Trajectory, "turns" | "taskId" | "compat">, metric: MetricKind): number {
  return metric === "travel" ? travelScore(t) : totalReward(t);
}

export function effectiveTurns(t: Pick<Trajectory, "turns">): number {
  for (let i = t.turns.length - 1; i >= 0; i--) if (t.turns[i].reward !== 0) return i + 1;
  return 0;
}

export function timeWeighted(t: Pick<Trajectory, "turns">): number {
  return t.turns.reduce((s, x, i) => s + x.reward / (i + 1), 0);
}

/** C(n, k) as a float (small n: the sample counts of one task). */
function choose(n: number, k: number): number {
  if (k < 0 || k > n) return 0;
  let c = 1;
  for (let i = 1; i <= k; i++) c = (c * (n - k + i)) / i;
  return c;
}

/**
 * pass^k of one task with `successes` of `trials`: the chance that k trials drawn from them all succeed,
 * C(c, k) / C(n, k) — tau-bench's unbiased estimator of "every one of k tries works".
 */
export function passHatK(trials: number, successes: number, k: number): number {
  return k > trials ? 0 : choose(successes, k) / choose(trials, k);
}

/** The chance that two different trials of one task disagree (one succeeds, one fails): 2c(n−c) / (n(n−1)). */
export function flipRate(trials: number, successes: number): number {
  return trials < 2 ? 0 : (2 * successes * (trials - successes)) / (trials * (trials - 1));
}

/** pass@k of one task: the chance that at least one of k trials drawn from them succeeds, 1 − C(n−c, k) / C(n, k). */
export function passAtK(trials: number, successes: number, k: number): number {
  return k > trials ? 0 : 1 - choose(trials - successes, k) / choose(trials, k);
}
