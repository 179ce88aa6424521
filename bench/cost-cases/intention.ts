/**
 * IntentionGym in the simulator-cost benchmark: the lean layout (default: each role gets what it needs,
 * both calls at once) against the reference's layout (whole task in both prompts, calls in turn).
 * The judge's reply at step k depends only on the episode and k, so coverage and rewards are the
 * same in both layouts.
 */
import { filler, pick, type CostCase } from "./types.js";

const STEPS = 10;

/** The step number the scripted agent wrote into its latest question ("(#k)"). */
function stepOf(messages: { content: string }[]): number {
  const text = messages.map((m) => m.content).join("\n");
  let k = 0;
  for (const m of text.matchAll(/\(#(\d+)\)/g)) k = Math.max(k, Number(m[1]));
  return k;
}

export const intentionCost: CostCase = {
  gym: "intention",
  layouts: { lean: { layout: "lean" }, reference: { layout: "reference" } },
  // About 70-character questions, as the reference's scripted agent asked.
  actions: (_task, episode) => Array.from({ length: STEPS }, (_, i) => `[action] Could you tell me about ${filler(episode * 37 + i, 7)} (#${i + 1})?`),
  reply: ({ episode, messages }) => {
    const k = stepOf(messages);
    const isJudge = messages.some((m) => m.content.includes("covered_detail_indices"));
    if (isJudge) {
      // Mostly one detail per question, sometimes none, sometimes two (the bundling penalty).
      const roll = pick(episode * 53 + k, 0, 9);
      const indices = roll < 5 ? [] : roll < 6 ? [0, 1] : [0];
      return JSON.stringify({ analysis: filler(episode * 3 + k, pick(episode + k, 10, 25)), is_task_related: indices.length > 0, covered_detail_indices: indices });
    }
    // About 300-character replies, as in the reference's run.
    return JSON.stringify({ thought: filler(episode * 5 + k, pick(episode * 7 + k, 10, 20)), response: filler(episode * 11 + k, pick(episode * 13 + k, 45, 65)) });
  },
  reference: { stepsPerEpisode: 7.0, callsPerStep: 2, promptTokensPerEpisode: 10_697, stepLatencyMs: (127.41 / (20 * 7.0)) * 1000 },
};
