/** MCP: the official SDK client over streamable HTTP and stdio plays the gyms; limits and auth apply. */
import { PassThrough } from "node:stream";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { describe, expect, test } from "vitest";
import { DataStore } from "../../src/data/store.js";
import { GYMS } from "../../src/gyms/index.js";
import type { ChatMessage } from "../../src/models/types.js";
import { runStdioServer } from "../../src/server/app.js";
import { rawSocket, serve } from "./helpers.js";

async function mcpClient(url: string, token?: string): Promise<{ client: Client; transport: StreamableHTTPClientTransport }> {
  const transport = new StreamableHTTPClientTransport(new URL(`${url}/mcp`), token ? { requestInit: { headers: { authorization: `Bearer ${token}` } } } : {});
  const client = new Client({ name: "userrl-test", version: "0.0.0" });
  await client.connect(transport);
  return { client, transport };
}

type ToolReply = { content: { type: string; text: string }[]; structuredContent?: Record<string, unknown>; isError?: boolean };
const call = async (c: Client, name: string, args: Record<string, unknown> = {}) => (await c.callTool({ name, arguments: args })) as ToolReply;

const gymOptions: Record<string, Record<string, unknown>> = { search: { search: "bm25:test/fixtures/search-corpus.jsonl" } };

describe("MCP over streamable HTTP (official SDK client)", () => {
  test("list tools, start an episode, play it to the end", async () => {
    const s = await serve();
    const { client, transport } = await mcpClient(s.url);
    expect(client.getInstructions()).toMatch(/start_episode/);
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name)).toEqual(["list_gyms", "list_tasks", "start_episode", "interact_with_env", "episode_state"]);
    expect((await call(client, "list_gyms")).structuredContent).toMatchObject({ gyms: [{ name: "function", tasks: { train: 460, test: 78 } }] });
    const early = await call(client, "interact_with_env", { choice: "search", content: "test" });
    expect(early).toMatchObject({ isError: true, content: [{ text: expect.stringMatching(/send reset|no episode/) }] });
    const start = await call(client, "start_episode", { gym: "function", task_id: "func-1" });
    expect(start.content[0].text).toMatch(/hidden function/);
    expect(s.registry.size).toBe(1);
    expect((await call(client, "interact_with_env", { choice: "search", content: "test" })).content[0].text).toBe("Test case: [3, 5, 5, 3]\nReward: 0.0");
    const end = await call(client, "interact_with_env", { choice: "answer", content: "225" });
    expect(end.structuredContent).toMatchObject({ reward: 1, done: true, end_reason: "done" });
    expect(end.content[0].text).toMatch(/episode has ended: done/);
    expect((await call(client, "episode_state")).structuredContent).toMatchObject({ rewards: [0, 1], done: true });
    expect((await call(client, "interact_with_env", { choice: 5 })).isError).toBe(true);
    await transport.terminateSession();
    await client.close();
    await expect.poll(() => s.registry.size).toBe(0);
  });

  const offline = [...GYMS.values()].filter((g) => g.offline);
  test.each(offline.map((g) => [g.name]))("%s: the baseline plays a full episode through MCP tools", async (name) => {
    const gym = GYMS.get(name)!;
    const task = (await gym.tasks(DataStore.default())).find((t) => t.split === "test")!;
    const s = await serve({ gyms: [name], gymOptions });
    const { client } = await mcpClient(s.url);
    const start = await call(client, "start_episode", { task_id: task.id, split: "test" });
    const messages = (start.structuredContent!.messages as ChatMessage[]).map((m) => ({ ...m }));
    const agent = gym.baseline(task, 1);
    let last: ToolReply | undefined;
    for (let turn = 1; turn <= 16; turn++) {
      const reply = await agent.act({ messages, turn, maxTurns: 16 });
      const tc = reply.message.toolCalls?.[0];
      if (!tc) break;
      messages.push({ role: "assistant", content: reply.message.content ?? "", toolCalls: [tc] });
      last = await call(client, "interact_with_env", JSON.parse(tc.arguments));
      expect(last.isError).toBe(false);
      messages.push({ role: "tool", content: String(last.structuredContent!.text), toolCallId: tc.id });
      if (last.structuredContent!.done) break;
    }
    expect(last?.structuredContent?.turn).toBeGreaterThan(0);
    const state = (await call(client, "episode_state")).structuredContent!;
    expect(state).toMatchObject({ task_id: task.id, step_count: last!.structuredContent!.turn });
    await client.close();
  });

  test("auth and capacity apply to MCP sessions too", async () => {
    const token = "mcp-token-abcdef";
    const s = await serve({ token, maxSessions: 1 });
    await expect(mcpClient(s.url)).rejects.toThrow();
    await expect(mcpClient(s.url, "wrong-token-000")).rejects.toThrow();
    const { client, transport } = await mcpClient(s.url, token);
    await expect(mcpClient(s.url, token)).rejects.toThrow(/capacity/);
    const ws = await rawSocket(s.url, { authorization: `Bearer ${token}` });
    expect(await ws.next()).toMatchObject({ data: { code: "CAPACITY_REACHED" } });
    await transport.terminateSession();
    await client.close();
    await expect.poll(() => s.registry.size).toBe(0);
    const again = await mcpClient(s.url, token);
    expect((await again.client.listTools()).tools.length).toBe(5);
    await again.client.close();
  });

  test("an idle MCP session is reaped; its id is then unknown", async () => {
    const s = await serve({ idleTimeoutMs: 1000 });
    const { client, transport } = await mcpClient(s.url);
    await call(client, "start_episode", { task_id: "func-1" });
    const sid = transport.sessionId!;
    await expect.poll(() => s.registry.size, { timeout: 5000 }).toBe(0);
    const res = await fetch(`${s.url}/mcp`, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json, text/event-stream", "mcp-session-id": sid, "mcp-protocol-version": "2025-06-18" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 9, method: "tools/list" }),
    });
    expect(res.status).toBe(404);
    await client.close().catch(() => undefined);
  });
});

describe("MCP over stdio", () => {
  test("initialize, list tools, play an episode; ends when stdin closes", async () => {
    const stdin = new PassThrough();
    const stdout = new PassThrough();
    const lines: Record<string, unknown>[] = [];
    let buf = "";
    stdout.on("data", (d: Buffer) => {
      buf += d.toString();
      let nl;
      while ((nl = buf.indexOf("\n")) >= 0) {
        lines.push(JSON.parse(buf.slice(0, nl)));
        buf = buf.slice(nl + 1);
      }
    });
    const done = runStdioServer({ gyms: ["function"] }, { stdin, stdout });
    const ask = async (id: number, method: string, params: Record<string, unknown> = {}) => {
      stdin.write(`${JSON.stringify({ jsonrpc: "2.0", id, method, params })}\n`);
      await expect.poll(() => lines.find((l) => l.id === id), { timeout: 10_000 }).toBeTruthy();
      return lines.find((l) => l.id === id) as { result: any; error?: unknown };
    };
    const init = await ask(1, "initialize", { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "t", version: "0" } });
    expect(init.result.serverInfo.name).toBe("userrl");
    stdin.write(`${JSON.stringify({ jsonrpc: "2.0", method: "notifications/initialized" })}\n`);
    expect((await ask(2, "tools/list")).result.tools).toHaveLength(5);
    await ask(3, "tools/call", { name: "start_episode", arguments: { task_id: "func-1" } });
    const r = await ask(4, "tools/call", { name: "interact_with_env", arguments: { choice: "answer", content: "225" } });
    expect(r.result.structuredContent).toMatchObject({ reward: 1, done: true });
    stdin.end();
    await done;
  });
});
