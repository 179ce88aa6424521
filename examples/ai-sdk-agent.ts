/**
 * An AI SDK agent with a tool of its own, evaluated on IntentionGym with the offline simulated user.
 *
 *   npm run build && npx tsx examples/ai-sdk-agent.ts
 *
 * The model here is the AI SDK's MockLanguageModelV3, so the example runs offline: each turn it consults its own
 * `checklist` tool for the next clarifying question, then asks it through `interact_with_env`. In an app, pass any
 * AI SDK model instead — e.g. `openai("gpt-4o-mini")` from `@ai-sdk/openai` — and keep everything else.
 */
import { pathToFileURL } from "node:url";
import { jsonSchema, tool, type ModelMessage } from "ai";
import { MockLanguageModelV3 } from "ai/test";
import { evaluate, type EvalResult } from "userrl";
import { aiSdkAgent } from "userrl/ai";

const QUESTIONS = [
  "What budget do you have in mind?",
  "How long should it take?",
  "When do you need it?",
  "Where will it take place?",
  "What is your level of experience?",
  "Who is it for?",
];

/** The agent's own tool: the next question it has not asked yet (it counts the moves already made). */
const checklist = tool({
  description: "The next clarifying question to ask, or DONE.",
  inputSchema: jsonSchema<Record<string, never>>({ type: "object", properties: {} }),
  execute: async (_input, { messages }: { messages: ModelMessage[] }) => {
    const asked = messages.filter((m) => m.role === "assistant" && Array.isArray(m.content) && m.content.some((p) => p.type === "tool-call" && p.toolName === "interact_with_env")).length;
    return QUESTIONS[asked] ?? "DONE";
  },
});

/** A stand-in for a real model: consult the checklist, then ask what it says (or finish). */
function checklistModel(): MockLanguageModelV3 {
  let calls = 0;
  return new MockLanguageModelV3({
    doGenerate: async ({ prompt }) => {
      const last = prompt.at(-1);
      const advice = last?.role === "tool" ? last.content.find((p) => p.type === "tool-result" && p.toolName === "checklist") : undefined;
      const next = advice?.type === "tool-result" && (advice.output.type === "text" || advice.output.type === "json") ? String(advice.output.value) : undefined;
      const call =
        next === undefined
          ? { toolName: "checklist", input: "{}" }
          : { toolName: "interact_with_env", input: JSON.stringify(next === "DONE" ? { choice: "finish", content: "" } : { choice: "action", content: next }) };
      return {
        content: [{ type: "tool-call", toolCallId: `call-${++calls}`, ...call }],
        finishReason: { unified: "tool-calls", raw: "tool_calls" },
        usage: { inputTokens: { total: 50, noCache: 50, cacheRead: 0, cacheWrite: 0 }, outputTokens: { total: 12, text: 12, reasoning: 0 } },
        warnings: [],
      };
    },
  });
}

/** The agent as userrl evaluates it: the model, its own tools, and the name recorded on the run. */
export function checklistAgent() {
  return aiSdkAgent(checklistModel(), { tools: { checklist }, name: "checklist-agent" });
}

export async function main(out = "runs/example-ai-sdk"): Promise<EvalResult> {
  const summary = await evaluate({
    gyms: ["intention"],
    agent: checklistAgent(),
    user: "offline",
    limit: 5,
    out,
    onEvent: (e) => {
      if (e.type === "episode") console.log(`${e.gym}/${e.taskId}: score ${e.score.toFixed(2)} (${e.endReason}, ${e.turns} turns)`);
    },
  });
  console.log(`IntentionGym score ${summary.gyms.intention.score.toFixed(3)} over ${summary.episodes} episodes; report: ${summary.report}`);
  return summary;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
