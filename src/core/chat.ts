/**
 * ChatModel: the one interface every LLM in the system goes through — agent, simulated user, judge.
 */
import type { ToolSpec } from "./action.js";

export type Role = "system" | "user" | "assistant" | "tool";

export interface ToolCall {
  id: string;
  name: string;
  /** The arguments exactly as the model produced them (a JSON string, possibly malformed). */
  arguments: string;
}

export interface ChatMessage {
  role: Role;
  content: string;
  /** Reasoning text the model produced separately from its visible reply (`<think>` / reasoning_content). */
  reasoning?: string;
  toolCalls?: ToolCall[];
  /** For role "tool": the id of the call this message answers. */
  toolCallId?: string;
}

export interface ChatOptions {
  tools?: ToolSpec[];
  toolChoice?: "auto" | "required" | "none";
  temperature?: number;
  topP?: number;
  maxTokens?: number;
  seed?: number;
  stop?: string[];
  /** Ask for a JSON object reply where the backend supports it. */
  json?: boolean;
  /**
   * The JSON schema of the reply, sent as structured output (`response_format: json_schema`) by models built
   * with it switched on (`openai:…?structured=1`); other models ignore it.
   */
  jsonSchema?: { name: string; schema: Record<string, unknown> };
  /** Request token log-probabilities of the sampled tokens. */
  logprobs?: boolean;
  /** Per-call timeout; the retry wrapper applies it to each attempt. */
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Bypass (read and write) the response cache for this call. */
  noCache?: boolean;
}

export interface Usage {
  promptTokens: number;
  completionTokens: number;
  /** Prompt tokens served from a prefix cache, when the server reports it. */
  cachedPromptTokens?: number;
}

export type FinishReason = "stop" | "length" | "tool_calls" | "content_filter" | "error" | "unknown";

export interface TokenLogprob {
  token: string;
  tokenId?: number;
  logprob: number;
}

export interface ChatResult {
  text: string;
  reasoning?: string;
  toolCalls: ToolCall[];
  finishReason: FinishReason;
  usage: Usage;
  /** Wall time of the call as the caller saw it (retries included). */
  latencyMs: number;
  /** True when the reply came from the persistent response cache. */
  cached?: boolean;
  /** Sampled token ids and their log-probabilities, when the backend provides them. */
  tokenIds?: number[];
  logprobs?: TokenLogprob[];
  /** Model name reported by the backend. */
  model?: string;
}

export interface ChatModel {
  /** The spec string the model was built from (recorded on every trajectory). */
  readonly spec: string;
  chat(messages: readonly ChatMessage[], options?: ChatOptions): Promise<ChatResult>;
  close?(): Promise<void>;
}

export const ZERO_USAGE: Usage = Object.freeze({ promptTokens: 0, completionTokens: 0 });

export function addUsage(a: Usage, b: Usage | undefined): Usage {
  if (!b) return a;
  return {
    promptTokens: a.promptTokens + b.promptTokens,
    completionTokens: a.completionTokens + b.completionTokens,
    cachedPromptTokens:
      a.cachedPromptTokens === undefined && b.cachedPromptTokens === undefined
        ? undefined
        : (a.cachedPromptTokens ?? 0) + (b.cachedPromptTokens ?? 0),
  };
}

/** A model call failed in a way the caller should see (after retries). */
export class ModelError extends Error {
  /** Server-requested wait before retrying (Retry-After), when given. */
  retryAfterMs?: number;
  constructor(
    message: string,
    readonly kind: "timeout" | "http" | "network" | "malformed" | "aborted" | "unavailable" | "other",
    readonly status?: number,
    readonly retryable = false,
  ) {
    super(message);
    this.name = "ModelError";
  }
}

/**
 * Errors a role call must pass on instead of answering with its fallback: a cancelled run, and a model that
 * cannot be had at all (`unavailable`: it failed to load), where every later call would fail the same way.
 */
export function mustPropagate(err: unknown): err is ModelError {
  return err instanceof ModelError && (err.kind === "aborted" || err.kind === "unavailable");
}
