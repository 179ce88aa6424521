/**
 * One gym's entry in the simulator-cost benchmark (`npm run bench -- simulator-cost`). A case scripts
 * the same episodes for every prompt layout it compares: the agent's actions and the simulator's
 * replies depend only on the task, the episode and the call index, never on the layout, so rewards
 * must come out identical and only the prompts (their size) differ.
 */
import type { Task } from "../../src/core/types.js";

export interface CostRequest {
  task: Task<unknown>;
  /** Index of the episode in the case (0-based). */
  episode: number;
  /** Index of this simulator call within the episode (0-based). */
  call: number;
  messages: { role: string; content: string }[];
}

/** The reference's figures for the gym (spec/reference-perf.md §1–2, 200 ms fake latency, c=1). */
export interface ReferenceCost {
  stepsPerEpisode: number;
  callsPerStep: number;
  promptTokensPerEpisode: number;
  /** Wall time per step at c=1 (wall / steps), stalls included. */
  stepLatencyMs: number;
}

export interface CostCase {
  gym: string;
  /** Prompt layouts to compare, each a `ctx.options` object; the first is the gym's default. */
  layouts: Record<string, Record<string, unknown>>;
  /** How many test tasks to play (the first N of the test split; default 20, as the reference did). */
  tasks?: number;
  /** The scripted agent's moves for one episode, in the bracket form (`[action] …`). */
  actions(task: Task<unknown>, episode: number): string[];
  /** The simulator's reply text for one request. */
  reply(req: CostRequest): string;
  /** The reference's figures, where it was measured. */
  reference?: ReferenceCost;
}

/** Deterministic filler text of `n` words (seeded), for simulator replies of realistic size. */
export function filler(seed: number, n: number): string {
  const words = ["the", "argument", "point", "evidence", "however", "consider", "people", "cost", "fair", "really", "still", "think", "school", "because", "that", "would", "not", "clear", "reason", "money", "players", "I", "see", "your", "concern"];
  let x = (seed * 2654435761) >>> 0;
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    out.push(words[x % words.length]);
  }
  return out.join(" ");
}

/** A deterministic integer in [lo, hi] from a seed. */
export function pick(seed: number, lo: number, hi: number): number {
  const x = (Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) >>> 0) % (hi - lo + 1);
  return lo + x;
}
