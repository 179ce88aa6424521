/**
 * GuessGym's tasks: generated, not downloaded. Each task is a secret whole number in 1..max, drawn from the
 * kit's seeded generator, so every machine and every run gets the same tasks (same ids, same secrets).
 */
import type { Split, Task } from "../../core/types.js";
import { Rng } from "../kit/random.js";

export interface GuessPayload {
  /** The number the user thinks of. */
  secret: number;
  /** The range is 1..max (told to the agent). */
  max: number;
}

/** Tasks per split, and the ranges they use (a 1..1000 task needs 10 yes/no questions, within 16 turns). */
const COUNTS: Record<Split, number> = { train: 60, test: 20 };
const RANGES = [20, 100, 1000] as const;

function generate(): Task<GuessPayload>[] {
  const out: Task<GuessPayload>[] = [];
  for (const split of ["train", "test"] as const) {
    const rng = new Rng(`guess/${split}`);
    for (let i = 0; i < COUNTS[split]; i++) {
      const max = RANGES[i % RANGES.length];
      out.push({ id: `guess-${split}-${String(i + 1).padStart(3, "0")}`, gym: "guess", split, payload: { secret: rng.int(1, max), max } });
    }
  }
  return out;
}

let cached: Task<GuessPayload>[] | undefined;

/** Every task of both splits (the gym needs no data files). */
export function guessTasks(): Task<GuessPayload>[] {
  cached ??= generate();
  return cached;
}
