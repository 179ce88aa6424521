/** TurtleGym in the simulator-cost benchmark: questions and answers, as the reference's scripted agent mixed them. */
import { JUDGE_SYSTEM } from "../../src/gyms/turtle/roles.js";
import type { TurtlePayload } from "../../src/gyms/turtle/index.js";
import { filler, pick, type CostCase } from "./types.js";

/** Answers on moves 4, 7 and 10 (the last a full answer), questions otherwise. */
const PLAN = ["q", "q", "q", "a", "q", "q", "a", "q", "q", "a"] as const;

export const turtleCost: CostCase = {
  gym: "turtle",
  layouts: { default: {} },
  actions: (_task, episode) =>
    PLAN.map((m, i) =>
      m === "q" ? `[action] Is it true that ${filler(episode * 41 + i, 10)}?` : `[answer] ${filler(episode * 43 + i, 140)}.`,
    ),
  reply: ({ task, episode, call, messages }) => {
    const body =
      messages[0].content === JUDGE_SYSTEM
        ? {
            // Each answer covers more: half of the first point, then the first fully, then everything.
            scores: (task.payload as TurtlePayload).criteria.map((_, i) => {
              const stage = call < 4 ? 0 : call < 7 ? 1 : 2;
              return { point: i + 1, thought: filler(episode * 5 + call + i, pick(call + i, 15, 60)), score: stage === 2 ? 1 : i === 0 ? [0.5, 1][stage] : 0 };
            }),
          }
        : { thought: filler(episode * 3 + call, pick(episode + call, 15, 60)), response: ["Yes", "No", "Maybe"][pick(episode * 7 + call, 0, 2)] };
    return "```json\n" + JSON.stringify(body) + "\n```";
  },
  reference: { stepsPerEpisode: 9.7, callsPerStep: 1, promptTokensPerEpisode: 6_406, stepLatencyMs: (65.2 / 194) * 1000 },
};
