/**
 * A stored conversation → training tokens: render it ONCE with the model's chat template, tokenize, and
 * split at the message-start token into per-turn assistant spans and a loss mask
 * (spec/platform-notes.md §5: rendering turn by turn is wrong for Qwen3, whose template drops earlier
 * `<think>` blocks once a new user turn follows; special tokens are hard tokenizer boundaries, so
 * tokenizing message by message equals tokenizing the whole text).
 *
 * An assistant span covers everything the assistant message rendered to after its header
 * (`<|im_start|>assistant\n`), including the closing `<|im_end|>\n`, as the reference trains on them
 * (spec/pipeline.md §2.5). System, user and tool messages and headers have loss mask 0.
 */
import { INTERACT_TOOL, type ToolSpec } from "../core/action.js";
import type { ChatMessage } from "../models/types.js";
import type { ChatTokenizer } from "./chat-tokenizer.js";
import type { TurnSpan } from "./tokens.js";

export interface ConversationTokens {
  /** The rendered text. */
  text: string;
  inputIds: number[];
  /** 1 on assistant tokens, 0 elsewhere. */
  lossMask: number[];
  /** One span per assistant message, in order. */
  assistantSpans: TurnSpan[];
}

export interface RenderOptions {
  /** The tools the agent was offered (default: `interact_with_env`). */
  tools?: readonly ToolSpec[];
}

/** The messages in the shape Hugging Face chat templates expect. */
export function templateMessages(messages: readonly ChatMessage[]): Record<string, unknown>[] {
  return messages.map((m) => {
    const out: Record<string, unknown> = { role: m.role, content: m.content };
    if (m.reasoning !== undefined) out.reasoning_content = m.reasoning;
    if (m.toolCalls?.length) {
      out.tool_calls = m.toolCalls.map((c) => ({ id: c.id, type: "function", function: { name: c.name, arguments: argumentsValue(c.arguments) } }));
    }
    if (m.toolCallId !== undefined) out.tool_call_id = m.toolCallId;
    return out;
  });
}

/** Templates serialise object arguments themselves (`tojson`); text that is not a JSON object stays as given. */
function argumentsValue(raw: string): unknown {
  try {
    const v: unknown = JSON.parse(raw);
    if (v !== null && typeof v === "object" && !Array.isArray(v)) return v;
  } catch {
    /* keep the raw text */
  }
  return raw;
}

export function renderConversation(tok: ChatTokenizer, messages: readonly ChatMessage[], opts: RenderOptions = {}): string {
  const tools = opts.tools ?? [INTERACT_TOOL];
  try {
    return tok.template.render({
      messages: templateMessages(messages),
      ...(tools.length ? { tools } : {}),
      add_generation_prompt: false,
      ...tok.specialTokens,
    });
  } catch (err) {
    throw new Error(`the chat template of ${tok.source} failed to render the conversation: ${(err as Error).message}`);
  }
}

export function tokenizeConversation(tok: ChatTokenizer, messages: readonly ChatMessage[], opts: RenderOptions = {}): ConversationTokens {
  const text = renderConversation(tok, messages, opts);
  const inputIds: number[] = [];
  const lossMask: number[] = [];
  const assistantSpans: TurnSpan[] = [];
  for (const segment of splitMessages(text, tok.turnStart)) {
    const ids = tok.encode(segment.text);
    const start = inputIds.length;
    for (const id of ids) inputIds.push(id);
    if (segment.role === "assistant") {
      const body = start + headerTokens(tok, segment.text.slice(0, segment.headerChars), ids);
      for (let j = start; j < body; j++) lossMask.push(0);
      for (let j = body; j < inputIds.length; j++) lossMask.push(1);
      assistantSpans.push({ start: body, end: inputIds.length });
    } else for (let j = start; j < inputIds.length; j++) lossMask.push(0);
  }
  const expected = messages.filter((m) => m.role === "assistant").length;
  if (assistantSpans.length !== expected) {
    throw new Error(
      `the chat template rendered ${assistantSpans.length} assistant message(s) for ${expected} in the conversation ` +
        `(does a message contain "${tok.turnStart}" as text, or does the template drop messages?)`,
    );
  }
  return { text, inputIds, lossMask, assistantSpans };
}

interface Segment {
  text: string;
  /** "" for text before the first message-start token. */
  role: string;
  /** Characters of the header: the start token, the role line and the newlines after it. */
  headerChars: number;
}

/** Cut the rendered text before every message-start token. */
function splitMessages(text: string, turnStart: string): Segment[] {
  const cuts: number[] = [];
  for (let i = text.indexOf(turnStart); i >= 0; i = text.indexOf(turnStart, i + turnStart.length)) cuts.push(i);
  const segments: Segment[] = [];
  if (cuts.length === 0 || cuts[0] > 0) segments.push({ text: text.slice(0, cuts[0] ?? text.length), role: "", headerChars: 0 });
  cuts.forEach((from, k) => {
    const seg = text.slice(from, cuts[k + 1] ?? text.length);
    const lineEnd = seg.indexOf("\n", turnStart.length);
    const roleLine = seg.slice(turnStart.length, lineEnd < 0 ? seg.length : lineEnd);
    // Llama-3 style headers close the role with a special token: `<|start_header_id|>assistant<|end_header_id|>`.
    const role = roleLine.replace(/<\|[^|]*\|>/g, "").trim();
    let headerChars = lineEnd < 0 ? seg.length : lineEnd;
    while (seg[headerChars] === "\n") headerChars++;
    segments.push({ text: seg, role, headerChars });
  });
  return segments;
}

/**
 * How many of a segment's tokens belong to its header. Usually the header tokenizes on its own to a prefix
 * of the segment; when a merge crosses the boundary, the token that holds the header's end counts as header.
 */
function headerTokens(tok: ChatTokenizer, header: string, segmentIds: number[]): number {
  const own = tok.encode(header);
  if (own.length <= segmentIds.length && own.every((id, i) => segmentIds[i] === id)) return own.length;
  for (let h = 1; h <= segmentIds.length; h++) {
    if (tok.tokenizer.decode(segmentIds.slice(0, h), { skip_special_tokens: false }).length >= header.length) return h;
  }
  return segmentIds.length;
}
