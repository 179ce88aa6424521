/** Small helpers for agents that build their own assistant messages (baselines, humans, oracles). */
import { INTERACT_TOOL_NAME } from "../core/action.js";
import type { AgentView } from "../core/types.js";
import { newToolCallId } from "../models/reply-text.js";
import type { ChatMessage } from "../models/types.js";

/** An assistant message with one `interact_with_env` call and, optionally, a visible thought. */
export function toolCallMessage(choice: string, content: string, thought = ""): ChatMessage {
  return {
    role: "assistant",
    content: thought,
    toolCalls: [{ id: newToolCallId(), name: INTERACT_TOOL_NAME, arguments: JSON.stringify({ choice, content }) }],
  };
}

/** The gym's feedback inside an observation, without the `Reward: …` line training mode appends. */
export function feedbackOf(observation: string): string {
  return observation.replace(/\nReward: [^\n]*$/, "");
}

/** The environment's latest feedback (the last tool message, without its reward line), if any. */
export function lastFeedback(view: AgentView): string | undefined {
  for (let i = view.messages.length - 1; i >= 0; i--) {
    const m = view.messages[i];
    if (m.role === "tool") return feedbackOf(m.content);
    if (m.role === "assistant") continue;
    return undefined;
  }
  return undefined;
}

/** The choice and content of the agent's own latest tool call, if any. */
export function lastToolArgs(view: AgentView): { choice: string; content: string } | undefined {
  for (let i = view.messages.length - 1; i >= 0; i--) {
    const m = view.messages[i];
    if (m.role !== "assistant" || !m.toolCalls?.length) continue;
    try {
      const a = JSON.parse(m.toolCalls[0].arguments) as { choice?: unknown; content?: unknown };
      return { choice: String(a.choice ?? ""), content: String(a.content ?? "") };
    } catch {
      return undefined;
    }
  }
  return undefined;
}
