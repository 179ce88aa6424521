/**
 * Item 5 of issue 15: session take-over. Episode ids were `<runId>/<gym>/<task>/<n>`, `POST /credit` returned
 * the session behind any episode id, and JSON-RPC `tools/call` / `openenv/session/close` accepted any session
 * id: one client ended another's live episode. Two loopback addresses stand for two clients.
 */
import { expect, test } from "vitest";
import { serve } from "../server/helpers.js";
import { httpFrom, rpcFrom, socketFrom } from "./helpers.js";

const ME = "127.0.0.1";
const OTHER = "127.0.0.2";

async function victim(url: string) {
  const v = socketFrom(ME, url);
  await v.open;
  const reset = await v.ask({ type: "reset", data: { gym: "function", task_id: "func-1" } });
  expect(reset.type).toBe("observation");
  return { v, session: reset.data.observation.session_id as string, episode: reset.data.observation.server_episode_id as string };
}

test("item 5: episode ids are unguessable, session ids are random UUIDs", async () => {
  const s = await serve();
  const c = socketFrom(ME, s.url);
  await c.open;
  const ids: string[] = [];
  for (let i = 0; i < 3; i++) {
    const o = (await c.ask({ type: "reset", data: { task_id: "func-1" } })).data.observation;
    expect(o.session_id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    ids.push(o.server_episode_id);
  }
  // A readable prefix, then 96 random bits: knowing the run, gym, task and sample is not enough.
  for (const id of ids) expect(id).toMatch(/^serve-[0-9a-f-]+\/function\/func-1\/\d+\/[A-Za-z0-9_-]{16}$/);
  expect(new Set(ids.map((id) => id.split("/").at(-1))).size).toBe(3);
  c.ws.close();
});

test("item 5: POST /credit by episode id never names the session behind it", async () => {
  const s = await serve();
  const { v, session, episode } = await victim(s.url);
  await v.ask({ type: "step", data: { choice: "search", content: "test" } });
  const r = await httpFrom(OTHER, s.url, "/credit", { json: { groups: [{ id: "g", episodes: [episode] }] } });
  expect(r.status).toBe(200);
  expect(r.body.trajectories[0]).toMatchObject({ episode, rewards: [0] });
  expect(r.text).not.toContain(session);
  // By session id (which only its client knows), the reply echoes the id it was given.
  const mine = await httpFrom(ME, s.url, "/credit", { json: { groups: [{ id: "g", sessions: [session] }] } });
  expect(mine.body.trajectories[0]).toMatchObject({ session, episode });
  v.ws.close();
});

test("item 5: JSON-RPC tools/call and openenv/session/close cannot touch another client's WebSocket session", async () => {
  const s = await serve();
  const { v, session } = await victim(s.url);
  const step = await rpcFrom(OTHER, s.url, "tools/call", { session_id: session, name: "interact_with_env", arguments: { choice: "answer", content: "wrong" } });
  expect(step.error.message).toMatch(/Unknown session_id/);
  const close = await rpcFrom(OTHER, s.url, "openenv/session/close", { session_id: session });
  expect(close.error.message).toMatch(/Unknown session_id/);
  // Even the same address, over HTTP or another WebSocket's JSON-RPC, cannot reach a connection's session.
  expect((await rpcFrom(ME, s.url, "openenv/session/close", { session_id: session })).error.message).toMatch(/Unknown session_id/);
  const other = socketFrom(OTHER, s.url, "/mcp");
  await other.open;
  const viaWs = await other.ask({ jsonrpc: "2.0", id: 7, method: "openenv/session/close", params: { session_id: session } });
  expect(viaWs.error.message).toMatch(/Unknown session_id/);
  other.ws.close();
  // The victim's episode is untouched.
  const state = await v.ask({ type: "state" });
  expect(state.data).toMatchObject({ session_id: session, step_count: 0, done: false });
  expect((await v.ask({ type: "step", data: { choice: "search", content: "test" } })).type).toBe("observation");
  v.ws.close();
});

test("item 5: a session created over HTTP JSON-RPC answers its creator only", async () => {
  const s = await serve();
  const created = await rpcFrom(ME, s.url, "openenv/session/create");
  const sid = created.result.session_id as string;
  const start = { session_id: sid, name: "start_episode", arguments: { task_id: "func-1" } };
  expect((await rpcFrom(OTHER, s.url, "tools/call", start)).error.message).toMatch(/Unknown session_id/);
  expect((await rpcFrom(OTHER, s.url, "openenv/session/close", { session_id: sid })).error.message).toMatch(/Unknown session_id/);
  expect((await rpcFrom(ME, s.url, "tools/call", start)).result.isError).toBe(false);
  expect((await rpcFrom(ME, s.url, "openenv/session/close", { session_id: sid })).result).toMatchObject({ closed: true });
  expect(s.registry.size).toBe(0);
});

test("item 5: an MCP session id presented by another client is unknown to it", async () => {
  const s = await serve();
  const init = await httpFrom(ME, s.url, "/mcp", {
    json: { jsonrpc: "2.0", id: 1, method: "initialize", params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "t", version: "1" } } },
    headers: { accept: "application/json, text/event-stream" },
  });
  const sid = init.headers["mcp-session-id"] as string;
  expect(sid).toEqual(expect.any(String));
  const headers = { accept: "application/json, text/event-stream", "mcp-session-id": sid, "mcp-protocol-version": "2025-06-18" };
  const list = { jsonrpc: "2.0", id: 2, method: "tools/list", params: {} };
  expect((await httpFrom(OTHER, s.url, "/mcp", { json: list, headers })).status).toBe(404);
  expect((await httpFrom(OTHER, s.url, "/mcp", { method: "DELETE", headers })).status).toBe(404);
  expect(s.registry.size).toBe(1);
  await httpFrom(ME, s.url, "/mcp", { json: { jsonrpc: "2.0", method: "notifications/initialized" }, headers });
  expect((await httpFrom(ME, s.url, "/mcp", { json: list, headers })).body.result.tools).toHaveLength(5);
});
