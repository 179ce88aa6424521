/**
 * TelepathyGym in the simulator-cost benchmark: ten moves per episode like the reference's run
 * (yes/no questions, two wrong guesses, then the right name). The right name is settled by the
 * clear-hit rule, so it costs no judge call.
 */
import type { Task } from "../../src/core/types.js";
import { filler, pick, type CostCase } from "./types.js";

export const telepathyCost: CostCase = {
  gym: "telepathy",
  layouts: { default: {} },
  actions: (task: Task<unknown>, episode) => {
    const title = (task.payload as { title: string }).title;
    return Array.from({ length: 10 }, (_, i) => {
      if (i === 9) return `[answer] ${title}`;
      if (i === 3 || i === 6) return `[answer] ${filler(episode * 19 + i, 2)}`;
      return `[action] Is it ${filler(episode * 23 + i, pick(episode + i, 5, 9))}?`;
    });
  },
  reply: ({ episode, call, messages }) => {
    const isJudge = messages.some((m) => m.content.includes('"judgment"'));
    const thought = filler(episode * 7 + call, pick(episode * 13 + call, 15, 40));
    if (isJudge) return "```json\n" + JSON.stringify({ thought, judgment: "No", feedback: "Not quite. Keep asking!" }) + "\n```";
    return "```json\n" + JSON.stringify({ thought, response: pick(episode * 3 + call, 0, 1) ? "Yes" : "No" }) + "\n```";
  },
  reference: { stepsPerEpisode: 10, callsPerStep: 1, promptTokensPerEpisode: 4_148, stepLatencyMs: (107.8 / (20 * 10)) * 1000 },
};
