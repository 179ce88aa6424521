/**
 * SFT exports of trajectories in three formats:
 * - `sharegpt`: LLaMA-Factory's ShareGPT with tools (`conversations` of human / function_call / observation /
 *   gpt turns, `system`, `tools` as a JSON string), as the paper's cold start used;
 * - `openai`: OpenAI fine-tuning JSONL (`messages` with `tool_calls` and `tool` replies, plus `tools`);
 * - `trl`: the conversational format TRL's SFTTrainer and Hugging Face chat templates take (`messages` with
 *   `tool_calls[].function.arguments` as objects and `reasoning_content`, plus `tools`).
 * Every record ends with an assistant turn: a trailing environment reply (the episode ended on it) is dropped.
 */
import { INTERACT_TOOL } from "../core/action.js";
import type { Trajectory } from "../core/types.js";
import type { ChatMessage } from "../models/types.js";

export const SFT_FORMATS = ["sharegpt", "openai", "trl"] as const;
export type SftFormat = (typeof SFT_FORMATS)[number];

/** The messages up to the last assistant turn. */
function trimmed(messages: readonly ChatMessage[]): ChatMessage[] {
  let end = messages.length;
  while (end > 0 && messages[end - 1].role !== "assistant") end--;
  return messages.slice(0, end);
}

function parseArgs(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}

export function toShareGpt(t: Trajectory): Record<string, unknown> {
  const msgs = trimmed(t.messages);
  const system = msgs.find((m) => m.role === "system")?.content ?? "";
  const conversations: { from: string; value: string }[] = [];
  for (const m of msgs) {
    if (m.role === "system") continue;
    if (m.role === "user") conversations.push({ from: "human", value: m.content });
    else if (m.role === "tool") conversations.push({ from: "observation", value: m.content });
    else if (m.toolCalls?.length) {
      // LLaMA-Factory's function_call turn holds only the call; visible text before it is not representable.
      const c = m.toolCalls[0];
      conversations.push({ from: "function_call", value: JSON.stringify({ name: c.name, arguments: parseArgs(c.arguments) }) });
    } else conversations.push({ from: "gpt", value: m.content });
  }
  return { conversations, system, tools: JSON.stringify([INTERACT_TOOL.function]) };
}

export function toOpenAI(t: Trajectory): Record<string, unknown> {
  const messages = trimmed(t.messages).map((m) => {
    if (m.role === "assistant" && m.toolCalls?.length) {
      return {
        role: "assistant",
        content: m.content || null,
        tool_calls: m.toolCalls.map((c) => ({ id: c.id, type: "function", function: { name: c.name, arguments: c.arguments } })),
      };
    }
    if (m.role === "tool") return { role: "tool", tool_call_id: m.toolCallId ?? "", content: m.content };
    return { role: m.role, content: m.content };
  });
  return { messages, tools: [INTERACT_TOOL] };
}

export function toTrl(t: Trajectory): Record<string, unknown> {
  const messages = trimmed(t.messages).map((m) => {
    const out: Record<string, unknown> = { role: m.role, content: m.content };
    if (m.role === "assistant") {
      if (m.reasoning) out.reasoning_content = m.reasoning;
      if (m.toolCalls?.length) {
        out.tool_calls = m.toolCalls.map((c) => ({ type: "function", function: { name: c.name, arguments: parseArgs(c.arguments) } }));
      }
    }
    return out;
  });
  return { messages, tools: [INTERACT_TOOL] };
}

export function toSft(t: Trajectory, format: SftFormat): Record<string, unknown> {
  return format === "sharegpt" ? toShareGpt(t) : format === "openai" ? toOpenAI(t) : toTrl(t);
}

/** LLaMA-Factory's `dataset_info.json` entry for a ShareGPT export. */
export function llamaFactoryDatasetInfo(name: string, file: string): Record<string, unknown> {
  return {
    [name]: {
      file_name: file,
      formatting: "sharegpt",
      columns: { messages: "conversations", system: "system", tools: "tools" },
    },
  };
}
