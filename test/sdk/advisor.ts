/**
 * A deterministic AI SDK agent for tests: a mock language model with a tool of its own, `advisor`, which runs the
 * gym's scripted baseline on the conversation so far. Each gym turn the model first calls `advisor`, then plays
 * the advised move through `interact_with_env` — so its scores must equal the baseline's, move for move.
 */
import { tool, jsonSchema, type ModelMessage, type ToolSet } from "ai";
import { MockLanguageModelV3 } from "ai/test";
import type { LanguageModelV3CallOptions, LanguageModelV3GenerateResult } from "@ai-sdk/provider";
import type { AgentSession, GymDefinition, Task } from "../../src/core/types.js";
import type { ChatMessage } from "../../src/models/types.js";

/** The conversation as the gym's agents see it: advisor calls left out. */
function chatMessages(system: string, messages: ModelMessage[]): ChatMessage[] {
  const out: ChatMessage[] = [{ role: "system", content: system }];
  for (const m of messages) {
    if (m.role === "user") out.push({ role: "user", content: typeof m.content === "string" ? m.content : "" });
    if (m.role === "assistant" && Array.isArray(m.content)) {
      const calls = m.content.filter((p) => p.type === "tool-call" && p.toolName === "interact_with_env");
      if (calls.length)
        out.push({ role: "assistant", content: "", toolCalls: calls.map((c) => ({ id: (c as { toolCallId: string }).toolCallId, name: "interact_with_env", arguments: JSON.stringify((c as { input: unknown }).input) })) });
    }
    if (m.role === "tool") {
      for (const p of m.content) {
        if (p.type === "tool-result" && p.toolName === "interact_with_env" && p.output.type === "text") out.push({ role: "tool", content: p.output.value, toolCallId: p.toolCallId });
      }
    }
  }
  return out;
}

export interface AdvisedAgent {
  model: MockLanguageModelV3;
  tools: ToolSet;
  /** The advisor's calls, one per gym turn. */
  advice: number;
}

/** Episodes must run one at a time (concurrency 1): a conversation without moves starts a new baseline. */
export function advisedAgent(gym: GymDefinition<unknown>, tasks: Task<unknown>[]): AdvisedAgent {
  let baseline: AgentSession | undefined;
  const state: AdvisedAgent = {
    advice: 0,
    tools: {
      advisor: tool({
        description: "Suggests the next move.",
        inputSchema: jsonSchema<Record<string, never>>({ type: "object", properties: {} }),
        execute: async (_input, { messages }) => {
          state.advice++;
          const system = gym.systemPrompt(tasks[0]);
          const chat = chatMessages(system, messages);
          if (!chat.some((m) => m.role === "assistant")) {
            const first = chat.find((m) => m.role === "user")?.content;
            const task = tasks.find((t) => gym.firstMessage(t) === first) ?? tasks[0];
            baseline = gym.baseline(task, 0);
          }
          const turn = chat.filter((m) => m.role === "assistant").length + 1;
          const reply = await baseline!.act({ messages: chat, turn, maxTurns: 16 });
          return JSON.parse(reply.message.toolCalls![0].arguments) as { choice: string; content: string };
        },
      }),
    },
    model: new MockLanguageModelV3({
      doGenerate: async (options: LanguageModelV3CallOptions): Promise<LanguageModelV3GenerateResult> => {
        const last = options.prompt.at(-1)!;
        const advice = last.role === "tool" ? last.content.find((p) => p.type === "tool-result" && p.toolName === "advisor") : undefined;
        const call =
          advice && advice.type === "tool-result" && advice.output.type === "json"
            ? { toolName: "interact_with_env", input: JSON.stringify(advice.output.value) }
            : { toolName: "advisor", input: "{}" };
        return {
          content: [{ type: "tool-call", toolCallId: `call-${Math.random().toString(36).slice(2)}`, ...call }],
          finishReason: { unified: "tool-calls", raw: "tool_calls" },
          usage: { inputTokens: { total: 10, noCache: 10, cacheRead: undefined, cacheWrite: undefined }, outputTokens: { total: 5, text: 5, reasoning: undefined } },
          warnings: [],
        };
      },
    }),
  };
  return state;
}
