/**
 * A plain async function as the agent: it hands the conversation and the tool, in OpenAI's chat format, to any
 * OpenAI-compatible client and returns the completion as is (its token usage is recorded).
 *
 *   npm run build && npx tsx examples/function-agent.ts
 *
 * To stay offline, the client here talks to userrl's fake OpenAI-compatible server, which answers every turn with
 * `interact_with_env({"choice": "answer", "content": "0"})`. Point `baseURL` at your model server (vLLM, OpenAI, …)
 * to evaluate a real model the same way.
 */
import { pathToFileURL } from "node:url";
import OpenAI from "openai";
import { evaluate, functionAgent, startFakeServer, type EvalResult } from "userrl";

export async function main(out = "runs/example-function-agent"): Promise<EvalResult> {
  const server = await startFakeServer({ port: 0 });
  try {
    const client = new OpenAI({ baseURL: server.url, apiKey: "not-needed" });
    const agent = functionAgent(async (messages, tools) => client.chat.completions.create({ model: "my-model", messages, tools, temperature: 0 }), {
      name: "my-function-agent",
    });
    const summary = await evaluate({ gyms: ["function"], agent, limit: 5, out });
    const g = summary.gyms.function;
    console.log(`FunctionGym score ${g.score.toFixed(3)} over ${g.n} tasks; ${g.usage.agentPromptTokens.toFixed(0)} prompt tokens per episode; report: ${summary.report}`);
    return summary;
  } finally {
    await server.close();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
