/**
 * `userrl/ai`: the Vercel AI SDK side (the `ai` package is an optional peer; only this entry loads it).
 *
 * - `aiSdkAgent(model | agent)`: an AI SDK language model, or an AI SDK agent with tools of its own, as an
 *   in-process agent for `evaluate()`. Each gym turn is one AI SDK generation: the agent's own tools run inside it,
 *   and the turn's move is its `interact_with_env` call (a tool without `execute`, which ends the generation).
 * - `gymTools(...)`: a gym episode as AI SDK tools, for an app's existing agent loop, with a session that scores it.
 */
import {
  generateText,
  jsonSchema,
  stepCountIs,
  tool,
  type Agent,
  type GenerateTextResult,
  type LanguageModel,
  type LanguageModelUsage,
  type ModelMessage,
  type Tool,
  type ToolSet,
} from "ai";
import { INTERACT_TOOL, INTERACT_TOOL_NAME } from "../core/action.js";
import type { AgentReply, AgentSession, AgentView } from "../core/types.js";
import type { AgentFactory } from "../agents/resolve.js";
import type { ChatMessage, FinishReason, ToolCall, Usage } from "../models/types.js";
import { startGymSession, type GymSession, type GymSessionOptions } from "./gym-session.js";

type InteractInput = { choice: string; content: string };
const interactSchema = jsonSchema<InteractInput>(INTERACT_TOOL.function.parameters as Parameters<typeof jsonSchema>[0]);

/**
 * The `interact_with_env` tool for an AI SDK agent you build yourself (`new ToolLoopAgent({ tools: { …yours,
 * interact_with_env: interactTool } })`). It has no `execute`: calling it ends the agent's generation, and the gym
 * plays the move. Its input is not validated here, so a malformed move is judged by the gym, as for every agent.
 */
export const interactTool: Tool<InteractInput, never> = tool({ description: INTERACT_TOOL.function.description, inputSchema: interactSchema });

export interface AiSdkAgentOptions {
  /** Recorded as the run's agent (default `ai-sdk:<provider>/<model id>`, or `ai-sdk-agent:<agent id>`). */
  name?: string;
  /** Tools of the agent's own, run inside its turn (with a language model; an AI SDK agent brings its own). */
  tools?: ToolSet;
  /** Text added after the gym's system prompt (with a language model). */
  instructions?: string;
  /** Model calls allowed in one gym turn, own tool rounds included (default 8; with a language model). */
  maxSteps?: number;
  temperature?: number;
  maxOutputTokens?: number;
}

// Any AI SDK agent, whatever its tools and call options (its results are read through the common fields only).
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyAgent = Agent<never, any, any>;
type Generation = GenerateTextResult<ToolSet, never>;

function isAgent(x: unknown): x is AnyAgent {
  return typeof x === "object" && x !== null && (x as { version?: unknown }).version === "agent-v1" && typeof (x as { generate?: unknown }).generate === "function";
}

function defaultName(source: LanguageModel | AnyAgent): string {
  if (isAgent(source)) return `ai-sdk-agent:${source.id ?? "agent"}`;
  if (typeof source === "string") return `ai-sdk:${source}`;
  return `ai-sdk:${source.provider}/${source.modelId}`;
}

/** An AI SDK language model or agent as an in-process agent for `evaluate()` (and `expectAgent`). */
export function aiSdkAgent(source: LanguageModel | AnyAgent, options: AiSdkAgentOptions = {}): AgentFactory {
  if (isAgent(source)) {
    if (!source.tools || !(INTERACT_TOOL_NAME in source.tools)) {
      throw new Error(`the AI SDK agent has no ${INTERACT_TOOL_NAME} tool; add \`${INTERACT_TOOL_NAME}: interactTool\` (from userrl/ai) to its tools`);
    }
    if (options.tools || options.instructions || options.maxSteps || options.temperature !== undefined || options.maxOutputTokens) {
      throw new Error("aiSdkAgent: tools, instructions, maxSteps, temperature and maxOutputTokens belong to the AI SDK agent's own settings");
    }
  } else if (options.tools && INTERACT_TOOL_NAME in options.tools) {
    throw new Error(`aiSdkAgent: ${INTERACT_TOOL_NAME} is the gym's tool; name your own tools otherwise`);
  }
  const tools: ToolSet = { ...options.tools, [INTERACT_TOOL_NAME]: interactTool };
  const generate = (system: string, messages: ModelMessage[], signal?: AbortSignal): PromiseLike<Generation> =>
    isAgent(source)
      ? source.generate({ messages: [{ role: "system", content: system }, ...messages], abortSignal: signal })
      : generateText({
          model: source,
          system: options.instructions ? `${system}\n\n${options.instructions}` : system,
          messages,
          tools,
          stopWhen: stepCountIs(options.maxSteps ?? 8),
          temperature: options.temperature,
          maxOutputTokens: options.maxOutputTokens,
          abortSignal: signal,
        });
  return { spec: options.name ?? defaultName(source), start: () => new AiSdkSession(generate), close: async () => {} };
}

/**
 * One episode of an AI SDK agent. It keeps the AI SDK's own message history (its own tool calls and results stay
 * in the conversation from turn to turn) and adds the gym's observations as the results of its moves.
 */
class AiSdkSession implements AgentSession {
  private system = "";
  private readonly history: ModelMessage[] = [];
  /** Messages of the episode's list already in `history`. */
  private seen = 0;
  /** Moves of the last turn beyond the first, which the gym does not play: they get a result saying so. */
  private unplayed: string[] = [];

  constructor(private readonly generate: (system: string, messages: ModelMessage[], signal?: AbortSignal) => PromiseLike<Generation>) {}

  async act(view: AgentView): Promise<AgentReply> {
    for (const m of view.messages.slice(this.seen)) this.take(m);
    const started = performance.now();
    const result = await this.generate(this.system, this.history, view.signal);
    const latencyMs = performance.now() - started;
    this.history.push(...result.response.messages);
    const moves = result.toolCalls.filter((c) => c.toolName === INTERACT_TOOL_NAME);
    this.unplayed = moves.slice(1).map((c) => c.toolCallId);
    // The episode's list gains this turn's assistant message, which `history` already holds.
    this.seen = view.messages.length + 1;
    const toolCalls: ToolCall[] = moves.map((c) => ({ id: c.toolCallId, name: INTERACT_TOOL_NAME, arguments: JSON.stringify(c.input ?? {}) }));
    const own = result.steps.flatMap((s) =>
      s.content.flatMap((p) =>
        p.type === "tool-result" || p.type === "tool-error"
          ? [{ tool: p.toolName, input: jsonValue(p.input), ...(p.type === "tool-result" ? { output: jsonValue(p.output) } : { error: String(p.error) }) }]
          : [],
      ),
    );
    return {
      message: { role: "assistant", content: result.text, reasoning: result.reasoningText || undefined, toolCalls },
      usage: usageOf(result.totalUsage),
      latencyMs,
      finishReason: finishReasonOf(result.finishReason),
      info: { agentSteps: result.steps.length, ...(own.length ? { agentTools: own } : {}) },
    };
  }

  /** One message of the episode into the AI SDK's form. */
  private take(m: ChatMessage): void {
    if (m.role === "system") this.system = m.content;
    else if (m.role === "user") this.history.push({ role: "user", content: m.content });
    else if (m.role === "tool") {
      const result = (toolCallId: string, value: string) => ({ type: "tool-result" as const, toolCallId, toolName: INTERACT_TOOL_NAME, output: { type: "text" as const, value } });
      this.history.push({
        role: "tool",
        content: [
          result(m.toolCallId ?? "", m.content),
          ...this.unplayed.map((id) => result(id, `Not played: only the first ${INTERACT_TOOL_NAME} call of a turn is played.`)),
        ],
      });
      this.unplayed = [];
    }
    // Assistant messages are this session's own replies, already in `history`.
  }
}

function usageOf(u: LanguageModelUsage): Usage {
  return { promptTokens: u.inputTokens ?? 0, completionTokens: u.outputTokens ?? 0, cachedPromptTokens: u.inputTokenDetails?.cacheReadTokens };
}

function finishReasonOf(r: string): FinishReason {
  const known: Record<string, FinishReason> = { stop: "stop", length: "length", "tool-calls": "tool_calls", "content-filter": "content_filter", error: "error" };
  return known[r] ?? "unknown";
}

/** A value as JSON can hold it (tool inputs and outputs are recorded on the turn). */
function jsonValue(x: unknown): unknown {
  try {
    return x === undefined ? null : JSON.parse(JSON.stringify(x));
  } catch {
    return String(x);
  }
}

/**
 * A gym episode as AI SDK tools for an app's own agent loop: give the model `tools` (beside its own), `session.system`
 * and `session.prompt`; stop when `session.done`; `await session.finish()` scores the episode.
 */
export async function gymTools(options: GymSessionOptions): Promise<{ tools: { [INTERACT_TOOL_NAME]: Tool<InteractInput, string> }; session: GymSession }> {
  const session = await startGymSession(options);
  const interact = tool({
    description: INTERACT_TOOL.function.description,
    inputSchema: interactSchema,
    execute: (input: InteractInput) => session.step(input),
  });
  return { tools: { [INTERACT_TOOL_NAME]: interact }, session };
}
