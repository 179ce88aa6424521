/**
 * Look-ahead credit for stored gym episodes (CollabLLM's multiturn-aware reward): for each turn t < T, replay
 * the episode's first t agent replies into a fresh episode, let a policy play `turns` more turns against the
 * same simulated user, and average the discounted rewards of those futures over `samples` tries; the value is
 * r_t plus that mean (`lookAheadValue`). The last turn has no future. Cost per trajectory of T turns:
 * (T − 1) · samples episodes of up to t + turns agent turns each — with offline users, environment steps only.
 */
import type { AgentFactory } from "../agents/resolve.js";
import type { Trajectory } from "../core/types.js";
import { getGym } from "../gyms/index.js";
import { replayAgent, type ReplaySource } from "../rollout/replay.js";
import { DEFAULT_GAMMA, lookAheadValue } from "./methods.js";

export interface LookAheadSettings {
  /** Turns the policy plays after each turn (the horizon). */
  turns: number;
  /** Futures averaged per turn. */
  samples: number;
  gamma: number;
}

export const DEFAULT_LOOK_AHEAD: LookAheadSettings = { turns: 3, samples: 4, gamma: DEFAULT_GAMMA };

export interface LookAheadCost {
  /** Episodes played to sample futures, and the agent turns and environment steps they took. */
  episodes: number;
  agentTurns: number;
}

/** Per-turn look-ahead values of one stored trajectory; adds what the sampling cost to `cost`. */
export async function lookAheadValues(
  t: Trajectory,
  replay: ReplaySource,
  policy: AgentFactory,
  o: LookAheadSettings = DEFAULT_LOOK_AHEAD,
  cost: LookAheadCost = { episodes: 0, agentTurns: 0 },
): Promise<number[]> {
  const gym = getGym(t.gym);
  const values: number[] = [];
  for (let turn = 1; turn <= t.turns.length; turn++) {
    const reward = t.turns[turn - 1].reward;
    const futures: number[][] = [];
    if (turn < t.turns.length && o.turns > 0) {
      for (let s = 0; s < o.samples; s++) {
        // Each future gets its own policy seed; the simulated user keeps the episode's.
        const session = policy.start(gym, replay.task(t), t.seed + 7919 * (s + 1));
        const fresh = await replay.play(t, replayAgent(t, { turns: turn, then: session }), {
          runId: `${t.runId}/look-ahead`,
          id: `${t.id}/look-ahead/${turn}/${s}`,
          maxTurns: Math.min(replay.maxTurns, turn + o.turns),
        });
        await session.close?.();
        cost.episodes++;
        cost.agentTurns += fresh.turns.length;
        futures.push(fresh.turns.slice(turn).map((r) => r.reward));
      }
    }
    values.push(lookAheadValue(reward, futures, o.gamma));
  }
  return values;
}
