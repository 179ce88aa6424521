/** PersuadeGym in the simulator-cost benchmark: compact history (default) against the reference's full resend. */
import { STANCES } from "../../src/gyms/persuade/stance.js";
import { filler, pick, type CostCase } from "./types.js";

const STEPS = 10;

/** The stance after call `call` of episode `episode`: a seeded walk up the ladder with setbacks. */
function stanceAt(episode: number, call: number): string {
  let level = 0;
  for (let k = 0; k <= call; k++) level = Math.min(6, Math.max(0, level + [0, 1, 1, -1, 0, 1][pick(episode * 100 + k, 0, 5)]));
  return STANCES[level];
}

export const persuadeCost: CostCase = {
  gym: "persuade",
  layouts: { compact: { history: "compact" }, full: { history: "full" } },
  // About 550-character arguments, as the reference's scripted agent sent.
  actions: (_task, episode) => Array.from({ length: STEPS }, (_, i) => `[answer] Argument ${i + 1}: ${filler(episode * 31 + i, 92)}.`),
  reply: ({ episode, call }) =>
    "```json\n" +
    JSON.stringify({
      thought: filler(episode * 7 + call, pick(episode * 13 + call, 15, 60)),
      response: filler(episode * 11 + call + 1, pick(episode * 17 + call, 80, 140)),
      stance: stanceAt(episode, call),
    }) +
    "\n```",
  reference: { stepsPerEpisode: 9.35, callsPerStep: 1, promptTokensPerEpisode: 16_440, stepLatencyMs: (63.32 / (20 * 9.35)) * 1000 },
};
