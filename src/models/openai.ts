/**
 * ChatModel over any OpenAI-compatible `/chat/completions` endpoint (OpenAI, vLLM, SGLang, llama.cpp
 * server, the project's fake server). One SDK client — and so one keep-alive connection pool — per
 * endpoint and key, shared by every model object in the process. Retries are the wrapper's job
 * (`withRetry`), so the SDK's own retries are off.
 */
import OpenAI from "openai";
import { httpFetch } from "./http-fetch.js";
import { parseTextToolCalls, splitThinking } from "./reply-text.js";
import type { ChatMessage, ChatModel, ChatOptions, ChatResult, FinishReason, TokenLogprob, ToolCall } from "./types.js";
import { ModelError } from "./types.js";

export interface OpenAIModelOptions {
  model: string;
  baseURL: string;
  apiKey?: string;
  spec?: string;
  /** Default sampling options merged under each call's options. */
  defaults?: ChatOptions;
  /** Send earlier reasoning back as `<think>…</think>` before the content (the reference does for non-GPT models). */
  keepReasoning?: boolean;
  /** Send a call's `jsonSchema` as structured output (for endpoints that support `response_format: json_schema`). */
  structured?: boolean;
}

const clients = new Map<string, OpenAI>();

function clientFor(baseURL: string, apiKey: string): OpenAI {
  const key = `${baseURL}\u0000${apiKey}`;
  let c = clients.get(key);
  if (!c) {
    c = new OpenAI({ baseURL, apiKey, maxRetries: 0, timeout: 600_000, fetch: httpFetch });
    clients.set(key, c);
  }
  return c;
}

type WireMessage = OpenAI.Chat.Completions.ChatCompletionMessageParam;

export function toWireMessages(messages: readonly ChatMessage[], keepReasoning = false): WireMessage[] {
  const out: WireMessage[] = [];
  let lastCallIds: string[] = [];
  let toolIndex = 0;
  for (const m of messages) {
    if (m.role === "system") out.push({ role: "system", content: m.content });
    else if (m.role === "user") out.push({ role: "user", content: m.content });
    else if (m.role === "assistant") {
      const content = keepReasoning && m.reasoning ? `<think>${m.reasoning}</think>${m.content}` : m.content;
      const calls = m.toolCalls ?? [];
      lastCallIds = calls.map((c) => c.id);
      toolIndex = 0;
      out.push(
        calls.length
          ? {
              role: "assistant",
              content: content || null,
              tool_calls: calls.map((c) => ({ id: c.id, type: "function", function: { name: c.name, arguments: c.arguments } })),
            }
          : { role: "assistant", content },
      );
    } else {
      const id = m.toolCallId ?? lastCallIds[toolIndex] ?? `call_${toolIndex}`;
      toolIndex++;
      out.push({ role: "tool", tool_call_id: id, content: m.content });
    }
  }
  return out;
}

function finishReasonOf(x: unknown): FinishReason {
  return x === "stop" || x === "length" || x === "tool_calls" || x === "content_filter" ? x : "unknown";
}

export class OpenAIChatModel implements ChatModel {
  readonly spec: string;
  private readonly client: OpenAI;

  constructor(private readonly opts: OpenAIModelOptions) {
    this.spec = opts.spec ?? `openai:${opts.model}@${opts.baseURL}`;
    this.client = clientFor(opts.baseURL, opts.apiKey ?? "none");
  }

  get model(): string {
    return this.opts.model;
  }

  get endpoint(): string {
    return this.opts.baseURL;
  }

  async chat(messages: readonly ChatMessage[], callOptions: ChatOptions = {}): Promise<ChatResult> {
    const options = { ...this.opts.defaults, ...callOptions };
    const started = performance.now();
    const body: OpenAI.Chat.Completions.ChatCompletionCreateParamsNonStreaming = {
      model: this.opts.model,
      messages: toWireMessages(messages, this.opts.keepReasoning),
    };
    if (options.tools?.length) {
      body.tools = options.tools as OpenAI.Chat.Completions.ChatCompletionTool[];
      if (options.toolChoice) body.tool_choice = options.toolChoice;
    }
    if (options.temperature !== undefined) body.temperature = options.temperature;
    if (options.topP !== undefined) body.top_p = options.topP;
    if (options.maxTokens !== undefined) body.max_tokens = options.maxTokens;
    if (options.seed !== undefined) body.seed = options.seed;
    if (options.stop?.length) body.stop = options.stop;
    if (this.opts.structured && options.jsonSchema) {
      body.response_format = { type: "json_schema", json_schema: { name: options.jsonSchema.name, schema: options.jsonSchema.schema, strict: false } };
    } else if (options.json) body.response_format = { type: "json_object" };
    if (options.logprobs) body.logprobs = true;

    let completion: OpenAI.Chat.Completions.ChatCompletion;
    try {
      completion = await this.client.chat.completions.create(body, {
        signal: options.signal,
        ...(options.timeoutMs !== undefined ? { timeout: Math.max(1, Math.round(options.timeoutMs)) } : {}),
      });
    } catch (err) {
      throw classifyError(err);
    }
    return parseCompletion(completion, performance.now() - started);
  }
}

/** Turn a completion body into a ChatResult, validating its shape (malformed bodies are errors). */
export function parseCompletion(completion: unknown, latencyMs: number): ChatResult {
  const c = completion as Record<string, unknown> | null;
  const choices = c && Array.isArray(c.choices) ? c.choices : null;
  const choice = choices?.[0] as Record<string, unknown> | undefined;
  const message = choice?.message as Record<string, unknown> | undefined;
  if (!message || typeof message !== "object") {
    throw new ModelError("the server's reply has no choices[0].message", "malformed", undefined, true);
  }
  const rawContent = typeof message.content === "string" ? message.content : "";
  const split = splitThinking(rawContent);
  let reasoning =
    typeof message.reasoning_content === "string"
      ? message.reasoning_content
      : typeof message.reasoning === "string"
        ? message.reasoning
        : split.reasoning;
  let text = split.text;
  let toolCalls: ToolCall[] = [];
  if (Array.isArray(message.tool_calls)) {
    for (const tc of message.tool_calls as Record<string, unknown>[]) {
      const fn = tc?.function as Record<string, unknown> | undefined;
      if (!fn || typeof fn.name !== "string") continue;
      const args = fn.arguments;
      toolCalls.push({
        id: typeof tc.id === "string" ? tc.id : `call_${toolCalls.length}`,
        name: fn.name,
        arguments: typeof args === "string" ? args : JSON.stringify(args ?? {}),
      });
    }
  }
  if (toolCalls.length === 0 && text.includes("<tool_call>")) {
    // Servers without a tool-call parser return the model's Hermes-format text.
    const parsed = parseTextToolCalls(text);
    if (parsed.toolCalls.length) {
      toolCalls = parsed.toolCalls;
      text = parsed.text;
    }
  }
  const usageRaw = (c?.usage ?? {}) as Record<string, unknown>;
  const details = usageRaw.prompt_tokens_details as Record<string, unknown> | undefined;
  const logprobContent = (choice?.logprobs as Record<string, unknown> | undefined)?.content;
  const logprobs: TokenLogprob[] | undefined = Array.isArray(logprobContent)
    ? (logprobContent as Record<string, unknown>[]).map((l) => ({ token: String(l.token ?? ""), logprob: Number(l.logprob) }))
    : undefined;
  if (reasoning === "") reasoning = undefined;
  return {
    text,
    reasoning,
    toolCalls,
    finishReason: finishReasonOf(choice?.finish_reason),
    usage: {
      promptTokens: Number(usageRaw.prompt_tokens ?? 0) || 0,
      completionTokens: Number(usageRaw.completion_tokens ?? 0) || 0,
      cachedPromptTokens: typeof details?.cached_tokens === "number" ? details.cached_tokens : undefined,
    },
    latencyMs,
    logprobs,
    model: typeof c?.model === "string" ? c.model : undefined,
  };
}

/** Map SDK and network errors onto ModelError with a retry hint and the Retry-After delay. */
export function classifyError(err: unknown): ModelError {
  if (err instanceof ModelError) return err;
  if (err instanceof OpenAI.APIUserAbortError) return new ModelError("the call was cancelled", "aborted");
  if (err instanceof OpenAI.APIConnectionTimeoutError) return new ModelError("the call timed out", "timeout", undefined, true);
  if (err instanceof OpenAI.APIConnectionError) {
    return new ModelError(`cannot reach the model server: ${err.message}`, "network", undefined, true);
  }
  if (err instanceof OpenAI.APIError) {
    const status = err.status ?? 0;
    const retryable = status === 408 || status === 409 || status === 429 || status >= 500;
    const e = new ModelError(`the model server answered HTTP ${status}: ${err.message}`, "http", status, retryable);
    e.retryAfterMs = retryAfterMs(err.headers);
    return e;
  }
  if (err instanceof SyntaxError) return new ModelError(`malformed reply: ${err.message}`, "malformed", undefined, true);
  const name = (err as Error)?.name;
  if (name === "AbortError") return new ModelError("the call was cancelled", "aborted");
  return new ModelError(`model call failed: ${(err as Error)?.message ?? String(err)}`, "other", undefined, true);
}

/** Retry-After (seconds or HTTP date) or retry-after-ms, in milliseconds. */
export function retryAfterMs(headers: Headers | undefined): number | undefined {
  if (!headers) return undefined;
  const ms = headers.get("retry-after-ms");
  if (ms && Number.isFinite(Number(ms))) return Math.max(0, Number(ms));
  const v = headers.get("retry-after");
  if (!v) return undefined;
  if (Number.isFinite(Number(v))) return Math.max(0, Number(v) * 1000);
  const date = Date.parse(v);
  return Number.isFinite(date) ? Math.max(0, date - Date.now()) : undefined;
}
