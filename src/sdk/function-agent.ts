/**
 * A plain async function as the agent: `(messages, tools, turn) => reply`. It sees the conversation and the one tool
 * in OpenAI's chat format, so a function that calls any OpenAI-compatible client can return its answer as is.
 */
import { INTERACT_TOOL, type ToolSpec } from "../core/action.js";
import type { AgentSession, AgentView, GymDefinition, Task } from "../core/types.js";
import type { AgentFactory } from "../agents/resolve.js";
import { toolCallMessage } from "../agents/message.js";
import { parseCompletion, toWireMessages } from "../models/openai.js";

/** A message of the conversation in OpenAI's chat format. */
export type WireMessage = ReturnType<typeof toWireMessages>[number];

/**
 * What the function returns:
 * - `{ choice, content }`: one `interact_with_env` call;
 * - an OpenAI assistant message `{ content, tool_calls }` or a whole chat completion `{ choices, usage }` (its usage is recorded);
 * - a string: a reply without a tool call (the episode ends, as for any agent; Hermes `<tool_call>` text is understood).
 */
export type FunctionReply =
  | string
  | { choice: string; content: string }
  | { role?: "assistant"; content?: string | null; tool_calls?: unknown[]; reasoning_content?: string }
  | { choices: unknown[]; usage?: unknown };

export interface FunctionTurn {
  gym: string;
  taskId: string;
  /** 1-based index of this turn, and the most the episode allows. */
  turn: number;
  maxTurns: number;
  signal?: AbortSignal;
}

export type AgentFunction = (messages: WireMessage[], tools: ToolSpec[], turn: FunctionTurn) => FunctionReply | Promise<FunctionReply>;

/** An in-process agent from a function; `name` is recorded as the run's agent (default `function:<function name>`). */
export function functionAgent(fn: AgentFunction, options: { name?: string } = {}): AgentFactory {
  return {
    spec: options.name ?? `function:${fn.name || "agent"}`,
    start: (gym, task) => new FunctionSession(fn, gym, task),
    close: async () => {},
  };
}

class FunctionSession implements AgentSession {
  constructor(
    private readonly fn: AgentFunction,
    private readonly gym: GymDefinition<unknown>,
    private readonly task: Task<unknown>,
  ) {}

  async act(view: AgentView) {
    const started = performance.now();
    const reply = await this.fn(toWireMessages(view.messages), [INTERACT_TOOL], {
      gym: this.gym.name,
      taskId: this.task.id,
      turn: view.turn,
      maxTurns: view.maxTurns,
      signal: view.signal,
    });
    const latencyMs = performance.now() - started;
    if (isAction(reply)) return { message: toolCallMessage(reply.choice, reply.content), latencyMs };
    const r = parseCompletion(completionOf(reply), latencyMs);
    const usage = typeof reply === "object" && "choices" in reply && reply.usage ? r.usage : undefined;
    return {
      message: { role: "assistant" as const, content: r.text, reasoning: r.reasoning, toolCalls: r.toolCalls },
      usage,
      latencyMs,
      finishReason: r.finishReason === "unknown" ? undefined : r.finishReason,
    };
  }
}

function isAction(r: FunctionReply): r is { choice: string; content: string } {
  return typeof r === "object" && r !== null && typeof (r as { choice?: unknown }).choice === "string" && typeof (r as { content?: unknown }).content === "string";
}

/** The reply as a chat completion body, so one parser (the OpenAI model's) reads every form. */
function completionOf(r: FunctionReply): unknown {
  if (typeof r === "string") return { choices: [{ message: { content: r } }] };
  if (typeof r !== "object" || r === null || Array.isArray(r)) {
    throw new Error(`the agent function returned ${r === null ? "null" : Array.isArray(r) ? "an array" : typeof r}; expected { choice, content }, an assistant message, a chat completion or a string`);
  }
  return "choices" in r ? r : { choices: [{ message: r }] };
}
