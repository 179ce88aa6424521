/**
 * Item 6 of issue 15: no Origin check. Without a token, a cross-origin WebSocket and a `text/plain`
 * cross-origin `POST /step` (a browser "simple request", no preflight) played an episode and had it stored.
 */
import { expect, test } from "vitest";
import { RunStore } from "../../src/rollout/store.js";
import { serve, tmp } from "../server/helpers.js";
import { httpFrom, socketFrom } from "./helpers.js";

const EVIL = { origin: "https://evil.example" };
const step = JSON.stringify({ action: { choice: "answer", content: "1" }, task_id: "func-1" });

test("item 6: a page on another origin can neither open a WebSocket nor send a text/plain POST; nothing is stored", async () => {
  const out = tmp();
  const s = await serve({ out });
  for (const path of ["/ws", "/mcp"]) await expect(socketFrom("127.0.0.1", s.url, path, EVIL).open).rejects.toThrow(/HTTP 403/);
  const simple = await httpFrom("127.0.0.1", s.url, "/step", { body: step, headers: { ...EVIL, "content-type": "text/plain" } });
  expect(simple).toMatchObject({ status: 403, body: { code: "FORBIDDEN_ORIGIN" } });
  const rpc = await httpFrom("127.0.0.1", s.url, "/mcp", { body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "openenv/session/create" }), headers: { ...EVIL, "content-type": "text/plain" } });
  expect(rpc.status).toBe(403);
  expect(await httpFrom("127.0.0.1", s.url, "/credit", { json: { groups: [] }, headers: { origin: "null" } })).toMatchObject({ status: 403 });
  expect(s.registry.size).toBe(0);
  await s.close({ drainMs: 0 });
  const store = RunStore.open(out);
  expect([...store.trajectories()]).toHaveLength(0);
  store.close();
});

test("item 6: a token does not open the door to other origins (WebSocket ?token=)", async () => {
  const s = await serve({ token: "secret-token-1" });
  await expect(socketFrom("127.0.0.1", s.url, "/ws?token=secret-token-1", EVIL).open).rejects.toThrow(/HTTP 403/);
  const ok = socketFrom("127.0.0.1", s.url, "/ws?token=secret-token-1");
  await ok.open;
  ok.ws.close();
});

test("item 6: clients without an Origin, loopback pages and --allow-origin pages are served (with CORS)", async () => {
  const s = await serve({ allowOrigins: ["https://app.example:8443"] });
  // SDKs, curl and trainers send no Origin.
  expect((await httpFrom("127.0.0.1", s.url, "/step", { body: step })).status).toBe(200);
  for (const origin of ["http://localhost:5173", "http://127.0.0.1:3000", "http://[::1]:8080", "https://app.example:8443"]) {
    const r = await httpFrom("127.0.0.1", s.url, "/step", { body: step, headers: { origin, "content-type": "text/plain" } });
    expect(r.status, origin).toBe(200);
    expect(r.headers["access-control-allow-origin"]).toBe(origin);
    const ws = socketFrom("127.0.0.1", s.url, "/ws", { origin });
    await ws.open;
    ws.ws.close();
  }
  const pre = await httpFrom("127.0.0.1", s.url, "/step", { method: "OPTIONS", headers: { origin: "https://app.example:8443", "access-control-request-method": "POST" } });
  expect(pre.status).toBe(204);
  expect(pre.headers["access-control-allow-headers"]).toMatch(/authorization/);
  expect((await httpFrom("127.0.0.1", s.url, "/step", { method: "OPTIONS", headers: { origin: "https://app.example" } })).status).toBe(403);
});

test("item 6: --allow-origin values are checked when the server starts", async () => {
  await expect(serve({ allowOrigins: ["app.example"] })).rejects.toThrow(/not an origin/);
  await expect(serve({ allowOrigins: ["https://app.example/path"] })).rejects.toThrow(/not an origin/);
  const any = await serve({ allowOrigins: ["*"] });
  expect((await httpFrom("127.0.0.1", any.url, "/step", { body: step, headers: EVIL })).status).toBe(200);
});
