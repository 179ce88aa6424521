/**
 * A scripted ChatModel: replies come from a list (or a function), never from a network.
 * Used by tests, demos and scripted simulated users.
 */
import { z } from "zod";
import { readJsonFile } from "../core/validate.js";
import { newToolCallId } from "./reply-text.js";
import type { ChatMessage, ChatModel, ChatOptions, ChatResult, ToolCall } from "./types.js";
import { ModelError } from "./types.js";

/** One scripted reply: plain text, or a structured reply with tool calls. */
export type ScriptedReply =
  | string
  | {
      text?: string;
      reasoning?: string;
      /** Shorthand for one `interact_with_env` call. */
      tool?: { choice: string; content: string };
      toolCalls?: { name: string; arguments: string | Record<string, unknown> }[];
      finishReason?: ChatResult["finishReason"];
      /** Simulated latency before the reply. */
      delayMs?: number;
      /** Throw this error instead of replying. */
      error?: string;
    };

export type ScriptFn = (messages: readonly ChatMessage[], options: ChatOptions, call: number) => ScriptedReply | Promise<ScriptedReply>;

const replySchema: z.ZodType<ScriptedReply> = z.union([
  z.string(),
  z
    .object({
      text: z.string().optional(),
      reasoning: z.string().optional(),
      tool: z.object({ choice: z.string(), content: z.string() }).optional(),
      toolCalls: z
        .array(z.object({ name: z.string(), arguments: z.union([z.string(), z.record(z.string(), z.unknown())]) }))
        .optional(),
      finishReason: z.enum(["stop", "length", "tool_calls", "content_filter", "error", "unknown"]).optional(),
      delayMs: z.number().nonnegative().optional(),
      error: z.string().optional(),
    })
    .strict(),
]);

export const scriptFileSchema = z.union([
  z.array(replySchema),
  z.object({ replies: z.array(replySchema), loop: z.boolean().optional() }).strict(),
]);

export interface ScriptedModelOptions {
  /** Start again from the first reply when the list runs out (default: throw). */
  loop?: boolean;
  spec?: string;
}

/** Rough token count for usage figures of models that do not tokenize (4 characters a token). */
export function approxTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

export class ScriptedModel implements ChatModel {
  readonly spec: string;
  private calls = 0;
  /** Every request the model received, for assertions in tests. */
  readonly requests: { messages: ChatMessage[]; options: ChatOptions }[] = [];

  constructor(
    private readonly script: readonly ScriptedReply[] | ScriptFn,
    private readonly opts: ScriptedModelOptions = {},
  ) {
    this.spec = opts.spec ?? "scripted";
  }

  static fromFile(path: string, spec = `scripted:${path}`): ScriptedModel {
    const parsed = readJsonFile(path, scriptFileSchema, "script");
    return Array.isArray(parsed)
      ? new ScriptedModel(parsed, { spec })
      : new ScriptedModel(parsed.replies, { spec, loop: parsed.loop });
  }

  get callCount(): number {
    return this.calls;
  }

  async chat(messages: readonly ChatMessage[], options: ChatOptions = {}): Promise<ChatResult> {
    const started = performance.now();
    const index = this.calls++;
    this.requests.push({ messages: messages.map((m) => ({ ...m })), options: { ...options, signal: undefined } });
    let reply: ScriptedReply;
    if (typeof this.script === "function") reply = await this.script(messages, options, index);
    else {
      const list = this.script;
      if (list.length === 0) throw new ModelError("scripted model has no replies", "other");
      if (index >= list.length && !this.opts.loop) {
        throw new ModelError(`scripted model ran out of replies after ${list.length} calls`, "other");
      }
      reply = list[index % list.length];
    }
    if (typeof reply !== "string") {
      if (reply.delayMs) await delay(reply.delayMs, options.signal);
      if (reply.error) throw new ModelError(reply.error, "other");
    }
    const text = typeof reply === "string" ? reply : (reply.text ?? "");
    const toolCalls: ToolCall[] = [];
    if (typeof reply !== "string") {
      if (reply.tool) {
        toolCalls.push({ id: newToolCallId(), name: "interact_with_env", arguments: JSON.stringify(reply.tool) });
      }
      for (const tc of reply.toolCalls ?? []) {
        toolCalls.push({
          id: newToolCallId(),
          name: tc.name,
          arguments: typeof tc.arguments === "string" ? tc.arguments : JSON.stringify(tc.arguments),
        });
      }
    }
    const promptText = messages.map((m) => m.content).join("\n");
    return {
      text,
      reasoning: typeof reply === "string" ? undefined : reply.reasoning,
      toolCalls,
      finishReason: (typeof reply !== "string" && reply.finishReason) || (toolCalls.length ? "tool_calls" : "stop"),
      usage: { promptTokens: approxTokens(promptText), completionTokens: approxTokens(text) },
      latencyMs: performance.now() - started,
    };
  }
}

function delay(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener(
      "abort",
      () => {
        clearTimeout(t);
        reject(new ModelError("aborted", "aborted"));
      },
      { once: true },
    );
  });
}
