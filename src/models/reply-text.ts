/**
 * Parsing of raw model text: `<think>` blocks and Hermes/Qwen `<tool_call>{json}</tool_call>` calls,
 * for backends that return tool calls inside the text (local models, servers without a tool parser).
 */
import type { ToolCall } from "./types.js";

export interface SplitThinking {
  reasoning?: string;
  text: string;
}

/** Separate `<think>…</think>` from the visible text (an unclosed `<think>` is all reasoning). */
export function splitThinking(raw: string): SplitThinking {
  const close = raw.lastIndexOf("</think>");
  if (close >= 0) {
    const before = raw.slice(0, close);
    const open = before.lastIndexOf("<think>");
    const reasoning = (open >= 0 ? before.slice(open + 7) : before).trim();
    return { reasoning, text: raw.slice(close + 8).trimStart() };
  }
  const open = raw.indexOf("<think>");
  if (open >= 0) return { reasoning: raw.slice(open + 7).trim(), text: raw.slice(0, open).trim() };
  return { text: raw };
}

let counter = 0;
export function newToolCallId(): string {
  counter = (counter + 1) % 1e9;
  return `call_${Date.now().toString(36)}${counter.toString(36)}`;
}

export interface TextToolCalls {
  /** Text before the first `<tool_call>`, trimmed. */
  text: string;
  toolCalls: ToolCall[];
  /** Set when a `<tool_call>` block was present but unusable. */
  error?: string;
}

const OPEN = "<tool_call>";
const CLOSE = "</tool_call>";

/**
 * Extract `<tool_call>` blocks. Each block holds `{"name": …, "arguments": {…}}` (or `parameters`).
 * A block that is not valid JSON, or has no closing tag, is reported as an error — the reference
 * ends the episode on it.
 */
export function parseTextToolCalls(raw: string): TextToolCalls {
  const first = raw.indexOf(OPEN);
  if (first < 0) return { text: raw.trim(), toolCalls: [] };
  const text = raw.slice(0, first).trim();
  const toolCalls: ToolCall[] = [];
  // indexOf rather than a lazy regex: a reply with many unclosed `<tool_call>` tags stays linear.
  for (let open = first; open >= 0; ) {
    const close = raw.indexOf(CLOSE, open + OPEN.length);
    if (close < 0) break;
    const body = raw.slice(open + OPEN.length, close);
    open = raw.indexOf(OPEN, close + CLOSE.length);
    let obj: unknown;
    try {
      obj = JSON.parse(body.trim());
    } catch {
      return { text, toolCalls: [], error: "a <tool_call> block is not valid JSON" };
    }
    for (const item of Array.isArray(obj) ? obj : [obj]) {
      if (!item || typeof item !== "object") continue;
      const rec = item as Record<string, unknown>;
      if (typeof rec.name !== "string") continue;
      const args = rec.parameters || rec.arguments || {};
      toolCalls.push({
        id: newToolCallId(),
        name: rec.name,
        arguments: typeof args === "string" ? args : JSON.stringify(args),
      });
    }
  }
  if (toolCalls.length === 0) return { text, toolCalls, error: "no complete <tool_call> block" };
  return { text, toolCalls };
}
