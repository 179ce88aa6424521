/**
 * TauGym in the simulator-cost benchmark: the LLM customer (tau-bench's design: the whole conversation is sent
 * at every turn). Ten moves per episode: six messages to the customer, between them a tool listing and three
 * tool calls, which cost no model call. The reference's TauGym was not measured (spec/reference-perf.md).
 */
import type { Task } from "../../src/core/types.js";
import { filler, pick, type CostCase } from "./types.js";

export const tauCost: CostCase = {
  gym: "tau",
  layouts: { default: {} },
  actions: (task: Task<unknown>, episode) => {
    const userId = (task.payload as { userId: string }).userId;
    const say = (i: number) => `[action] ${filler(episode * 31 + i, pick(episode + i, 12, 30))}?`;
    return [
      say(0),
      say(1),
      "[search] tools",
      `[answer] {"name": "get_user_details", "arguments": {"user_id": "${userId}"}}`,
      say(2),
      `[answer] {"name": "get_user_details", "arguments": {"user_id": "${userId}"}}`,
      say(3),
      say(4),
      `[answer] {"name": "calculate", "arguments": {"expression": "${pick(episode, 10, 99)} * 2"}}`,
      say(5),
    ];
  },
  // The customer answers in a sentence or two and never ends the conversation early.
  reply: ({ episode, call }) => filler(episode * 11 + call, pick(episode * 5 + call, 15, 45)),
};
