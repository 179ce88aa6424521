/** Read a run directory into what the evaluation needs: trajectories by gym, and who played and judged. */
import type { GymScoring, Trajectory } from "../core/types.js";
import { GYMS } from "../gyms/index.js";
import { RunStore, type RunRecord } from "../rollout/store.js";
import { summarize, type EvalSummary } from "./aggregate.js";
import { totalReward } from "./metrics.js";

export interface EvaluatedRun {
  dir: string;
  run: RunRecord;
  agent: string;
  /** The simulated user (and judge) that scored the run — what transfer comparisons are about. */
  user: string;
  mode: string;
  compat: string;
  summary: EvalSummary;
  trajectories: Map<string, Trajectory[]>;
}

/** A run may hold a gym this version no longer registers: it scores by the sum of its turn rewards. */
const UNREGISTERED: GymScoring = { score: totalReward, binary: false, note: "Not a registered gym: the sum of the turn rewards." };

/** How reports score an episode of `gym`: its definition's scoring. */
export function scoringOf(gym: string): GymScoring {
  return GYMS.get(gym)?.scoring ?? UNREGISTERED;
}

export function evaluateRun(dir: string): EvaluatedRun {
  const store = RunStore.open(dir);
  try {
    const run = store.run();
    if (!run) throw new Error(`${store.dir} holds no run yet`);
    const byGym = new Map<string, Trajectory[]>();
    for (const t of store.trajectories()) {
      const list = byGym.get(t.gym) ?? [];
      list.push(t);
      byGym.set(t.gym, list);
    }
    const summary = summarize(new Map([...byGym].map(([g, ts]) => [g, { scoring: scoringOf(g), trajectories: ts }])));
    const cfg = run.config as Record<string, unknown>;
    const first = byGym.values().next().value?.[0];
    return {
      dir: store.dir,
      run,
      agent: String(cfg.agent ?? first?.agentSpec ?? "?"),
      user: String(first?.userSpec ?? cfg.user ?? "?"),
      mode: String(cfg.mode ?? first?.mode ?? "?"),
      compat: String(cfg.compat ?? first?.compat ?? "?"),
      summary,
      trajectories: byGym,
    };
  } finally {
    store.close();
  }
}
