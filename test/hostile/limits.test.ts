/**
 * Item 12 of issue 15: eight `openenv/session/create` never closed locked everyone out until idle reaping;
 * clients that never read their replies grew the server's memory; `serve --out` on a full disk dropped
 * episodes with only a server log line; a `MaxListenersExceededWarning` on stderr.
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, expect, test, vi } from "vitest";
import { resolveAgent, resolveUser } from "../../src/agents/resolve.js";
import { startFakeServer } from "../../src/models/fake-server.js";
import { DEFAULT_RUN, runBatch } from "../../src/rollout/runner.js";
import { RunStore } from "../../src/rollout/store.js";
import { RECLAIM_IDLE_MS } from "../../src/server/registry.js";
import { serve, tmp } from "../server/helpers.js";
import { rpcFrom, socketFrom } from "./helpers.js";

afterEach(() => {
  vi.useRealTimers();
});

test("item 12: eight openenv/session/create never closed do not lock everyone out", async () => {
  const s = await serve({ maxSessions: 8 });
  const created = await Promise.all(Array.from({ length: 8 }, () => rpcFrom("127.0.0.2", s.url, "openenv/session/create")));
  const granted = created.filter((r) => r.result).length;
  // One client may hold half the server's sessions without a connection; the rest is refused with the reason.
  expect(granted).toBe(4);
  expect(created.find((r) => r.error)?.error).toMatchObject({ message: expect.stringMatching(/client at capacity/), data: { code: "CAPACITY_REACHED", max_client_sessions: 4 } });
  const players = [];
  for (let i = 0; i < 4; i++) {
    const p = socketFrom("127.0.0.1", s.url);
    await p.open;
    expect((await p.ask({ type: "reset", data: { task_id: "func-1" } })).type).toBe("observation");
    players.push(p);
  }
  for (const p of players) p.ws.close();
});

test("item 12: when the server is full, a forgotten session without a connection gives its slot to a newcomer", async () => {
  const s = await serve({ maxSessions: 4 });
  for (const from of ["127.0.0.2", "127.0.0.3"]) {
    for (let i = 0; i < 2; i++) expect((await rpcFrom(from, s.url, "openenv/session/create")).result.session_id).toEqual(expect.any(String));
  }
  const early = socketFrom("127.0.0.1", s.url);
  await early.open;
  expect((await early.next()).data).toMatchObject({ code: "CAPACITY_REACHED" });
  // Once they have been silent long enough, a newcomer takes the slot of the longest-silent one.
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(Date.now() + RECLAIM_IDLE_MS + 1_000);
  const late = socketFrom("127.0.0.1", s.url);
  await late.open;
  expect((await late.ask({ type: "reset", data: { task_id: "func-1" } })).type).toBe("observation");
  expect(s.registry.size).toBe(4);
  late.ws.close();
});

test("item 12: clients that never read their replies are dropped before they grow the server's memory", { timeout: 150_000 }, async () => {
  const s = await serve({ gyms: ["tau"] });
  const readers = await Promise.all(
    [0, 1, 2].map(async () => {
      const c = socketFrom("127.0.0.1", s.url);
      await c.open;
      // Stop reading: replies pile up in the server's send buffer.
      (c.ws as unknown as { _socket: { pause(): void } })._socket.pause();
      return c;
    }),
  );
  const reset = JSON.stringify({ type: "reset", data: { split: "test", seed: 1 } });
  const rss0 = process.memoryUsage().rss;
  let peak = rss0;
  // Kernel buffers take ~10 MB per reader before the server's own buffer fills: on a busy machine that is a while.
  const until = Date.now() + 120_000;
  const dropped = await Promise.all(
    readers.map(async (c) => {
      let closed = false;
      void c.closed.then(() => (closed = true));
      // Paced so that the server keeps up (each reset is answered, ~20 kB of tau prompt and policy).
      while (!closed && Date.now() < until && c.ws.readyState === c.ws.OPEN) {
        for (let i = 0; i < 4; i++) c.ws.send(reset);
        await new Promise((r) => setTimeout(r, 10));
        peak = Math.max(peak, process.memoryUsage().rss);
      }
      // Left the loop because the socket is closing (the server dropped it): wait for the close itself.
      if (!closed && c.ws.readyState !== c.ws.OPEN) await Promise.race([c.closed, new Promise((r) => setTimeout(r, 10_000))]);
      return closed;
    }),
  );
  expect(dropped).toEqual([true, true, true]);
  await expect.poll(() => s.registry.size, { timeout: 10_000 }).toBe(0);
  // Before the fix each slow reader could hold 64 MiB (three grew the server by ~180 MB); now a few MiB each.
  expect((peak - rss0) / 2 ** 20).toBeLessThan(3 * 16 + 40);
});

test("item 12: serve --out on a full disk tells the client its episode was not stored", async () => {
  const out = tmp();
  const s = await serve({ out });
  const db = (s.recorder as unknown as { store: RunStore }).store.db;
  const c = socketFrom("127.0.0.1", s.url);
  await c.open;
  await c.ask({ type: "reset", data: { task_id: "func-1" } });
  const stored = await c.ask({ type: "step", data: { choice: "finish", content: "" } });
  expect(stored.data).toMatchObject({ done: true, observation: { stored: true, store_error: null } });
  // The disk fills up: SQLite may not grow the file by one more page.
  const pages = (db.pragma("page_count", { simple: true }) as number) + 0;
  db.pragma(`max_page_count = ${pages}`);
  let lost;
  for (let i = 0; i < 20 && !lost; i++) {
    await c.ask({ type: "reset", data: { task_id: "func-1" } });
    await c.ask({ type: "step", data: { choice: "action", content: "x".repeat(5000) } });
    const r = await c.ask({ type: "step", data: { choice: "finish", content: "" } });
    if (r.data.observation.stored === false) lost = r;
  }
  expect(lost?.data.observation).toMatchObject({ stored: false, store_error: expect.stringMatching(/not stored: .*full/) });
  expect((await c.ask({ type: "state" })).data).toMatchObject({ stored: false, store_error: expect.stringMatching(/full/) });
  // Over MCP the text says so too.
  const mcp = socketFrom("127.0.0.1", s.url, "/mcp");
  await mcp.open;
  const call = (name: string, args: Record<string, unknown>) => mcp.ask({ jsonrpc: "2.0", id: 1, method: "tools/call", params: { name, arguments: args } });
  await call("start_episode", { task_id: "func-1" });
  const end = await call("interact_with_env", { choice: "finish", content: "" });
  expect(end.result.content[0].text).toMatch(/The episode has ended[^]*the episode was not stored: .*full/);
  c.ws.close();
  mcp.ws.close();
});

test("item 12: no MaxListenersExceededWarning when many episodes share a run's signal", { timeout: 60_000 }, async () => {
  const warnings: string[] = [];
  const onWarning = (w: Error) => void warnings.push(`${w.name}: ${w.message}`);
  process.on("warning", onWarning);
  const fake = await startFakeServer({ latencyMs: 50, keepRequests: 0 });
  const store = new RunStore(mkdtempSync(join(tmpdir(), "userrl-listeners-")));
  try {
    const spec = `openai:x@${fake.url}/v1`;
    const agent = await resolveAgent(spec, { models: { cache: null } });
    const user = await resolveUser("offline");
    const controller = new AbortController();
    const summary = await runBatch({ ...DEFAULT_RUN, gyms: ["function"], agent: spec, user: "offline", limit: 24, concurrency: 16 }, { store, agent, user, signal: controller.signal });
    expect(summary.episodes).toBe(24);
    await new Promise((r) => setImmediate(r));
    expect(warnings.filter((w) => w.startsWith("MaxListenersExceededWarning"))).toEqual([]);
  } finally {
    process.off("warning", onWarning);
    store.close();
    await fake.close();
  }
});

test("item 12: an oversized frame is refused from its header — the server stops reading it and says 1009 at once", async () => {
  const s = await serve({ maxMessageBytes: 4096 });
  const { port } = new URL(s.url);
  const sock = connect(Number(port), "127.0.0.1");
  await new Promise((resolve) => sock.once("connect", resolve));
  sock.write(`GET /ws HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ${randomBytes(16).toString("base64")}\r\nSec-WebSocket-Version: 13\r\n\r\n`);
  const received: Buffer[] = [];
  sock.on("data", (c: Buffer) => received.push(c));
  await expect.poll(() => Buffer.concat(received).includes("\r\n\r\n")).toBe(true);
  received.length = 0;
  // A masked text frame declaring 64 MiB, then its payload: the server must not read it all.
  const size = 64 << 20;
  const header = Buffer.alloc(14);
  header[0] = 0x81;
  header[1] = 0x80 | 127;
  header.writeBigUInt64BE(BigInt(size), 2);
  const ended = new Promise((resolve) => sock.once("end", resolve));
  await expect.poll(() => s.registry.size).toBe(1);
  sock.write(header);
  const flushed = new Promise<Error | null | undefined>((resolve) => sock.write(Buffer.alloc(size), resolve));
  sock.on("error", () => undefined);
  // The close frame (1009) and the end of the stream come at once, not after the 30 s close handshake timeout, and
  // the session is freed at once (the unread socket lingers a moment: it must not hold a place on the server).
  await ended;
  expect(s.registry.size).toBe(0);
  const frame = Buffer.concat(received);
  expect(frame[0]).toBe(0x88);
  expect(frame.readUInt16BE(2)).toBe(1009);
  // The payload was never read: the socket is destroyed before the 64 MiB could be written.
  expect(await flushed).toBeInstanceOf(Error);
  await expect.poll(() => s.registry.size).toBe(0);
});
