/** Small trajectory builders for the stats tests. */
import { parseBracketAction } from "../../src/core/action.js";
import type { Trajectory } from "../../src/core/types.js";

/** A one-turn trajectory of `task` (sample `sample`) that earned `reward`, with optional agent tokens. */
export function scored(task: string, sample: number, reward: number, agentTokens = 0, gym = "g"): Trajectory {
  const a = parseBracketAction("[answer] x");
  return {
    id: `${task}#${sample}`, runId: "r", gym, taskId: task, split: "test", groupId: task, sample, seed: sample, agentSpec: "a", userSpec: "u",
    mode: "eval", compat: "fixed", messages: [],
    turns: [{ turn: 1, action: a, toolArgs: { choice: "answer", content: "x" }, feedback: "", reward, done: true, truncated: false, info: {} }],
    endReason: "done", totalReward: reward, startedAt: "", durationMs: 0,
    agentUsage: { promptTokens: agentTokens, completionTokens: 0 }, userUsage: { promptTokens: 0, completionTokens: 0 },
  };
}

/** Trajectories for tasks given as their per-sample rewards: `{ t1: [1, 0, 1], … }`. */
export function tasks(byTask: Record<string, number[]>, agentTokens = 0): Trajectory[] {
  return Object.entries(byTask).flatMap(([task, rs]) => rs.map((r, i) => scored(task, i, r, agentTokens)));
}
