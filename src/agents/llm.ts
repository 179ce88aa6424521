/** The LLM agent: any ChatModel, tool calling with `interact_with_env`. */
import { INTERACT_TOOL } from "../core/action.js";
import type { AgentReply, AgentSession, AgentView } from "../core/types.js";
import type { ChatModel } from "../models/types.js";

export interface LlmAgentOptions {
  temperature?: number;
  /** Per-turn generation budget (the reference's evaluation uses 2048). */
  maxTokens?: number;
  toolChoice?: "auto" | "required";
  /** Ask for token log-probabilities (recorded on each turn). */
  logprobs?: boolean;
}

export class LlmAgent implements AgentSession {
  constructor(
    private readonly model: ChatModel,
    private readonly opts: LlmAgentOptions = {},
  ) {}

  async act(view: AgentView): Promise<AgentReply> {
    const r = await this.model.chat(view.messages, {
      tools: [INTERACT_TOOL],
      toolChoice: this.opts.toolChoice ?? "auto",
      temperature: this.opts.temperature,
      maxTokens: this.opts.maxTokens ?? 2048,
      logprobs: this.opts.logprobs,
      signal: view.signal,
    });
    return {
      message: { role: "assistant", content: r.text, reasoning: r.reasoning, toolCalls: r.toolCalls },
      usage: r.usage,
      latencyMs: r.latencyMs,
      finishReason: r.finishReason,
      tokenIds: r.tokenIds,
      logprobs: r.logprobs,
    };
  }
}
