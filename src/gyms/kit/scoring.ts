/** The two common ways a gym scores an episode for reports; a gym with its own metric writes a GymScoring. */
import type { GymScoring, Trajectory } from "../../core/types.js";

function totalReward(t: Pick<Trajectory, "turns">): number {
  return t.turns.reduce((s, x) => s + x.reward, 0);
}

/** Success pays 1 once: the score is the reward total, 0 or 1, and pass^k applies. */
export function binaryScoring(note: string): GymScoring {
  return { score: totalReward, binary: true, note };
}

/** The score is the sum of the turn rewards. */
export function sumScoring(note: string): GymScoring {
  return { score: totalReward, binary: false, note };
}
