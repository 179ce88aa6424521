import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import OpenAI from "openai";
import { describe, expect, it } from "vitest";
import { evaluateWithRun } from "../../src/eval/evaluate.js";
import { startFakeServer } from "../../src/models/fake-server.js";
import { functionAgent, type AgentFunction } from "../../src/sdk/function-agent.js";

const tmp = () => mkdtempSync(join(tmpdir(), "userrl-fn-"));
const episodes = (r: Awaited<ReturnType<typeof evaluateWithRun>>) => [...r.run.trajectories.values()].flat();

describe("functionAgent", () => {
  it("sees the conversation and the tool in OpenAI's format and plays with { choice, content } moves", async () => {
    const seen: { roles: string[]; tools: string[]; turn: number }[] = [];
    const play: AgentFunction = (messages, tools, turn) => {
      seen.push({ roles: messages.map((m) => m.role), tools: tools.map((t) => t.function.name), turn: turn.turn });
      return turn.turn === 1 ? { choice: "search", content: "test" } : { choice: "finish", content: "" };
    };
    const r = await evaluateWithRun({ gyms: "function", agent: functionAgent(play), limit: 1, out: tmp() });
    expect(r.result.agent).toBe("function:play");
    expect(seen).toEqual([
      { roles: ["system", "user"], tools: ["interact_with_env"], turn: 1 },
      { roles: ["system", "user", "assistant", "tool"], tools: ["interact_with_env"], turn: 2 },
    ]);
    expect(episodes(r)[0].turns.map((t) => t.action?.raw)).toEqual(["[search] test", "[finish]"]);
  });

  it("takes an OpenAI client's completion as is (its usage recorded), through the local fake server", async () => {
    const server = await startFakeServer({ port: 0 });
    try {
      const client = new OpenAI({ baseURL: server.url, apiKey: "none" });
      const agent = functionAgent(async (messages, tools) => client.chat.completions.create({ model: "any", messages, tools }), { name: "openai-client" });
      const r = await evaluateWithRun({ gyms: "function", agent, limit: 2, out: tmp() });
      expect(r.result.agent).toBe("openai-client");
      for (const t of episodes(r)) expect(t.turns[0].action?.raw).toBe("[answer] 0");
      expect(r.result.usage.agentPromptTokens).toBeGreaterThan(0);
    } finally {
      await server.close();
    }
  });

  it("an assistant message, Hermes text and plain text are read like a model's reply; anything else is an agent error with a clear reason", async () => {
    const replies: unknown[] = [
      { role: "assistant", content: null, tool_calls: [{ id: "c1", type: "function", function: { name: "interact_with_env", arguments: '{"choice":"search","content":"test"}' } }] },
      '<tool_call>{"name": "interact_with_env", "arguments": {"choice": "action", "content": "1 2 3 4"}}</tool_call>',
      "I give up.",
    ];
    const r = await evaluateWithRun({ gyms: "function", agent: functionAgent((_m, _t, { turn }) => replies[turn - 1] as never, { name: "forms" }), limit: 1, out: tmp() });
    const t = episodes(r)[0];
    expect(t.turns.map((x) => x.action?.raw ?? null)).toEqual(["[search] test", "[action] 1 2 3 4", null]);
    expect(t.endReason).toBe("no_tool_call");
    const bad = await evaluateWithRun({ gyms: "function", agent: functionAgent(() => 42 as never, { name: "bad" }), limit: 1, out: tmp() });
    expect(bad.result.errors).toBe(1);
    expect(bad.result.failures[0].error).toMatch(/the agent function returned number; expected \{ choice, content \}/);
  });
});
