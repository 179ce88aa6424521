/** HTTP endpoints: OpenEnv's validator criteria, stateless /reset /step /state, JSON-RPC /mcp, limits, auth. */
import { request } from "node:http";
import { describe, expect, test } from "vitest";
import { http, serve } from "./helpers.js";

describe("OpenEnv HTTP contract", () => {
  test("the criteria of `openenv validate` hold (simulation mode)", async () => {
    const s = await serve();
    const api = await http(s.url, "/openapi.json");
    expect(api.status).toBe(200);
    expect(api.body.info.version).toMatch(/^1\./);
    const paths = Object.keys(api.body.paths);
    for (const p of ["/reset", "/step", "/state", "/health", "/schema", "/metadata", "/mcp"]) expect(paths).toContain(p);
    expect(await http(s.url, "/health")).toMatchObject({ status: 200, body: { status: "healthy" } });
    const meta = await http(s.url, "/metadata");
    expect(meta.body).toMatchObject({ name: "userrl", description: expect.any(String), version: expect.stringMatching(/^userrl@/) });
    // Issue 15 item 14: exactly OpenEnv's EnvironmentMetadata fields; the gyms are in the readme.
    for (const k of Object.keys(meta.body)) expect(["name", "description", "readme_content", "version", "author", "documentation_url"]).toContain(k);
    expect(meta.body.readme_content).toMatch(/\*\*function\*\*/);
    const schema = await http(s.url, "/schema");
    expect(schema.body.action).toMatchObject({ type: "object", required: ["choice", "content"] });
    expect(typeof schema.body.observation).toBe("object");
    expect(schema.body.state).toMatchObject({ type: "object" });
    // The validator posts {} to /mcp and wants HTTP 200 with a JSON-RPC payload.
    expect(await http(s.url, "/mcp", { json: {} })).toMatchObject({ status: 200, body: { jsonrpc: "2.0", error: { code: -32600 } } });
  });

  test("production mode has none of /reset, /step, /state", async () => {
    const s = await serve({ production: true });
    const paths = Object.keys((await http(s.url, "/openapi.json")).body.paths);
    expect(paths.filter((p) => ["/reset", "/step", "/state"].includes(p))).toEqual([]);
    expect((await http(s.url, "/reset", { json: {} })).status).toBe(404);
    expect((await http(s.url, "/ws")).status).toBe(404);
  });

  test("stateless /reset, /step and /state, as upstream", async () => {
    const s = await serve();
    const r = await http(s.url, "/reset", { json: { gym: "function", task_id: "func-1" } });
    expect(r).toMatchObject({ status: 200, body: { reward: null, done: false, observation: { task_id: "func-1", turn: 0 } } });
    const st = await http(s.url, "/step", { json: { action: { choice: "answer", content: "225" }, task_id: "func-1" } });
    expect(st).toMatchObject({ status: 200, body: { reward: 1, done: true, observation: { turn: 1, end_reason: "done" } } });
    expect(await http(s.url, "/state")).toMatchObject({ status: 200, body: { episode_id: null, step_count: 0 } });
    expect(s.registry.size).toBe(0);
    expect((await http(s.url, "/step", { json: { task_id: "func-1" } })).status).toBe(422);
    const bad = await http(s.url, "/step", { json: { action: { choice: "answer" }, task_id: "func-1" } });
    expect(bad).toMatchObject({ status: 422, body: { code: "VALIDATION_ERROR", detail: expect.stringMatching(/content/) } });
  });

  test("malformed JSON, oversize bodies and unknown routes get clear, coded answers", async () => {
    const s = await serve({ maxMessageBytes: 2048 });
    const bad = await http(s.url, "/reset", { method: "POST", body: "{nope", headers: { "content-type": "application/json" } });
    expect(bad).toMatchObject({ status: 422, body: { code: "INVALID_JSON" } });
    const big = await http(s.url, "/reset", { json: { gym: "function", pad: "x".repeat(5000) } });
    expect(big).toMatchObject({ status: 413, body: { code: "PAYLOAD_TOO_LARGE" } });
    expect(await http(s.url, "/mcp", { method: "POST", body: "{nope" })).toMatchObject({ status: 200, body: { jsonrpc: "2.0", error: { code: -32700 } } });
    expect(await http(s.url, "/nowhere")).toMatchObject({ status: 404, body: { code: "NOT_FOUND" } });
    expect((await http(s.url, "/health")).status).toBe(200);
  });

  test("with --token: descriptions stay public, everything else needs the bearer token", async () => {
    const token = "another-secret-42";
    const s = await serve({ token });
    expect((await http(s.url, "/health")).status).toBe(200);
    expect((await http(s.url, "/schema")).status).toBe(200);
    const denied = await http(s.url, "/reset", { json: { task_id: "func-1" } });
    expect(denied).toMatchObject({ status: 401, body: { code: "UNAUTHORIZED" } });
    expect(denied.headers.get("www-authenticate")).toBe("Bearer");
    expect((await http(s.url, "/mcp", { json: { jsonrpc: "2.0", id: 1, method: "tools/list" } })).status).toBe(401);
    expect((await http(s.url, "/credit", { json: {}, headers: { authorization: "Bearer nope-nope-nope" } })).status).toBe(401);
    const ok = await http(s.url, "/reset", { json: { task_id: "func-1" }, headers: { authorization: `Bearer ${token}` } });
    expect(ok.status).toBe(200);
  });

  test("a loopback server refuses foreign Host headers (DNS rebinding)", async () => {
    const s = await serve();
    const status = (host: string) =>
      new Promise<number>((resolve, reject) => {
        const req = request(`${s.url}/metadata`, { headers: { host } }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        });
        req.on("error", reject);
        req.end();
      });
    expect(await status("evil.example:8000")).toBe(403);
    expect(await status(`localhost:${s.port}`)).toBe(200);
    expect(await status(`127.0.0.1:${s.port}`)).toBe(200);
  });
});

describe("OpenEnv JSON-RPC on POST /mcp (MCPToolClient production mode)", () => {
  const rpc = (url: string, method: string, params: Record<string, unknown> = {}, id = 1) => http(url, "/mcp", { json: { jsonrpc: "2.0", id, method, params } });

  test("session create → tools/call by session_id → close", async () => {
    const s = await serve();
    const tools = await rpc(s.url, "tools/list");
    expect(tools.body.result.tools.map((t: { name: string }) => t.name)).toEqual(["list_gyms", "list_tasks", "start_episode", "interact_with_env", "episode_state"]);
    const sid = (await rpc(s.url, "openenv/session/create")).body.result.session_id;
    expect(s.registry.size).toBe(1);
    const started = await rpc(s.url, "tools/call", { name: "start_episode", arguments: { task_id: "func-1" }, session_id: sid });
    expect(started.body.result).toMatchObject({ isError: false, data: { task_id: "func-1" } });
    expect(started.body.result.content[0].text).toMatch(/hidden function/);
    const step = await rpc(s.url, "tools/call", { name: "interact_with_env", arguments: { choice: "search", content: "test" }, session_id: sid });
    expect(step.body.result.content[0].text).toBe("Test case: [3, 5, 5, 3]\nReward: 0.0");
    const done = await rpc(s.url, "tools/call", { name: "interact_with_env", arguments: { choice: "answer", content: "225" }, session_id: sid });
    expect(done.body.result.data).toMatchObject({ reward: 1, done: true });
    const after = await rpc(s.url, "tools/call", { name: "interact_with_env", arguments: { choice: "answer", content: "225" }, session_id: sid });
    expect(after.body.result).toMatchObject({ isError: true, data: { error: { code: "EPISODE_ENDED" } } });
    expect((await rpc(s.url, "openenv/session/close", { session_id: sid })).body.result).toEqual({ session_id: sid, closed: true });
    expect(s.registry.size).toBe(0);
    expect((await rpc(s.url, "openenv/session/close", { session_id: sid })).body.error.code).toBe(-32602);
  });

  test("errors are JSON-RPC errors with HTTP 200", async () => {
    const s = await serve({ maxSessions: 1 });
    expect((await rpc(s.url, "nope/nope")).body.error).toMatchObject({ code: -32601 });
    expect((await rpc(s.url, "tools/call", { name: "reset" })).body.error).toMatchObject({ code: -32602, message: "Tool not found: reset" });
    expect((await rpc(s.url, "tools/call", {})).body.error).toMatchObject({ code: -32602 });
    expect((await rpc(s.url, "tools/call", { name: "interact_with_env", arguments: { choice: "x", content: "y" }, session_id: "missing" })).body.error.code).toBe(-32602);
    const invalid = await rpc(s.url, "tools/call", { name: "list_tasks", arguments: { limit: -3 } });
    expect(invalid.body.error).toMatchObject({ code: -32602, message: expect.stringMatching(/limit/) });
    const stateless = await rpc(s.url, "tools/call", { name: "list_tasks", arguments: { split: "test", limit: 2 } });
    expect(stateless.body.result.data).toMatchObject({ gym: "function", total: 78, tasks: [{ split: "test" }, { split: "test" }] });
    await rpc(s.url, "openenv/session/create");
    const full = await rpc(s.url, "openenv/session/create");
    expect(full).toMatchObject({ status: 200, body: { error: { code: -32000, data: { code: "CAPACITY_REACHED", active_sessions: 1, max_sessions: 1 } } } });
    expect((await http(s.url, "/mcp", { json: { jsonrpc: "2.0", id: 1, method: "tools/list", params: [1] } })).body.error.code).toBe(-32602);
  });
});
