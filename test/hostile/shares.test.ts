/**
 * The hostile mix of issue 15 (bench/server-load.ts --hostile): attackers looping as fast as the server lets them
 * must not take the server from well-behaved clients. Three bounds keep each attack's share small: huge messages
 * come in at a bounded byte rate server-wide, an address whose messages keep being refused for their size waits
 * before its next connection is served, and each connection is answered at a bounded byte rate.
 */
import { expect, test, vi } from "vitest";

const EPISODES_PER_SECOND = DEFAULT_SERVER_OPTIONS.maxEpisodesPerSecond;
const EPISODES_BURST = 2 * EPISODES_PER_SECOND;
const REPLY_BYTES_PER_SECOND = DEFAULT_SERVER_OPTIONS.maxReplyBytesPerSecond;
const REPLY_BYTES_BURST = 2 * REPLY_BYTES_PER_SECOND;
import { DEFAULT_SERVER_OPTIONS, resolveServerOptions } from "../../src/server/options.js";
import { LARGE_BYTES_PER_SECOND, restAfter } from "../../src/server/large-frames.js";
import { MAX_HELD_PER_ADDRESS, REFUSAL_BURST, REFUSALS_PER_SECOND, RefusalThrottle } from "../../src/server/refusals.js";
import { serve } from "../server/helpers.js";
import { httpFrom, socketFrom } from "./helpers.js";

test("item 1: huge messages come in at a bounded byte rate, all clients together", () => {
  // A 1 MiB message that took 10 ms is followed by the rest of its second; a 64 KiB one by its share, or 7× its time.
  expect(restAfter(LARGE_BYTES_PER_SECOND, 10)).toBeCloseTo(990, 5);
  expect(restAfter(64 << 10, 1)).toBeCloseTo((1000 * (64 << 10)) / LARGE_BYTES_PER_SECOND - 1, 5);
  expect(restAfter(64 << 10, 100)).toBe(700);
  expect(restAfter(64 << 20, 1)).toBe(1000);
});

test("an address refused again and again waits before its next connection; others, and open connections, do not", () => {
  let now = 0;
  const t = new RefusalThrottle(() => now);
  const conn = () => ({});
  // Within the burst nothing waits.
  for (let i = 0; i < REFUSAL_BURST; i++) {
    expect(t.holdFor(conn(), "10.0.0.1")).toBe(0);
    t.refused("10.0.0.1");
  }
  expect(t.holdFor(conn(), "10.0.0.1")).toBe(0);
  t.refused("10.0.0.1");
  // One refusal past the burst: the next connection waits one refusal's time; another address does not.
  expect(t.holdFor(conn(), "10.0.0.1")).toBeCloseTo(1000 / REFUSALS_PER_SECOND, 5);
  expect(t.holdFor(conn(), "10.0.0.2")).toBe(0);
  // A connection already served is not held again (its later requests go on).
  const open = conn();
  now += 1000 / REFUSALS_PER_SECOND;
  expect(t.holdFor(open, "10.0.0.1")).toBe(0);
  for (let i = 0; i < 10; i++) t.refused("10.0.0.1");
  expect(t.holdFor(open, "10.0.0.1")).toBe(0);
  expect(t.holdFor(conn(), "10.0.0.1")).toBeCloseTo((10 * 1000) / REFUSALS_PER_SECOND, 5);
  // Time pays the debt back.
  now += 10_000;
  expect(t.holdFor(conn(), "10.0.0.1")).toBe(0);
});

test("an address with too many connections held has the next one closed at once", async () => {
  const t = new RefusalThrottle();
  for (let i = 0; i < REFUSAL_BURST + 10; i++) t.refused("10.0.0.3");
  const holds = Array.from({ length: MAX_HELD_PER_ADDRESS }, () => t.hold("10.0.0.3", 50));
  expect(t.holdFor({}, "10.0.0.3")).toBeUndefined();
  await Promise.all(holds);
  expect(t.holdFor({}, "10.0.0.3")).toBeGreaterThan(0);
});

test("item 15 mix: a loop of oversized bodies is slowed to the refusal rate, while an open session steps at once", { timeout: 30_000 }, async () => {
  const s = await serve({ maxMessageBytes: 4096 });
  const agent = socketFrom("127.0.0.5", s.url);
  await agent.open;
  const big = "x".repeat(8192);
  const refusedOnServer = vi.spyOn(RefusalThrottle.prototype, "refused");
  const t0 = performance.now();
  const attack = (async () => {
    while (performance.now() - t0 < 3_000) {
      // 413 at once, from the declared length (the client may see its connection reset while it still sends).
      const r = await httpFrom("127.0.0.5", s.url, "/step", { body: big, headers: { "content-type": "application/json" } }).catch(() => ({ status: 413 }));
      expect(r.status).toBe(413);
    }
  })();
  // Meanwhile the agent, on its open connection from the same address, is answered at once.
  const waits: number[] = [];
  while (performance.now() - t0 < 2_500) {
    const a = performance.now();
    expect((await agent.ask({ type: "reset", data: { task_id: "func-1" } })).type).toBe("observation");
    waits.push(performance.now() - a);
    await new Promise((r) => setTimeout(r, 20));
  }
  await attack;
  const seconds = (performance.now() - t0) / 1000;
  const refused = refusedOnServer.mock.calls.length;
  refusedOnServer.mockRestore();
  // The burst, then the rate (and one held request that was admitted as the loop ended).
  expect(refused).toBeLessThanOrEqual(REFUSAL_BURST + Math.ceil(REFUSALS_PER_SECOND * seconds) + 1);
  expect(refused).toBeGreaterThan(REFUSAL_BURST);
  waits.sort((a, b) => a - b);
  expect(waits[Math.floor(waits.length / 2)]).toBeLessThan(100);
  // Another address was never refused: it is served at once.
  const other = performance.now();
  expect((await httpFrom("127.0.0.6", s.url, "/health")).status).toBe(200);
  expect(performance.now() - other).toBeLessThan(500);
  agent.ws.close();
});

test("item 15 mix: a connection starts episodes at a bounded rate, however fast it asks", { timeout: 30_000 }, async () => {
  const s = await serve({ gyms: ["function"] });
  const c = socketFrom("127.0.0.8", s.url);
  await c.open;
  let started = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < 2_000) {
    expect((await c.ask({ type: "reset", data: { task_id: "func-1" } })).type).toBe("observation");
    started++;
  }
  const seconds = (performance.now() - t0) / 1000;
  // The burst, then the rate (one more was started when the budget ran out); without the bound, thousands.
  expect(started).toBeLessThanOrEqual(EPISODES_BURST + Math.ceil(EPISODES_PER_SECOND * seconds) + 1);
  expect(started).toBeGreaterThan(EPISODES_BURST);
  // Steps on that connection are not starts: they go on at once.
  const a = performance.now();
  for (let i = 0; i < 50; i++) await c.ask({ type: "state" });
  expect(performance.now() - a).toBeLessThan(1_000);
  c.ws.close();
});

test("the connection budgets are the server's settings (--max-episodes-per-second, --max-reply-bytes-per-second)", { timeout: 30_000 }, async () => {
  expect(() => resolveServerOptions({ maxEpisodesPerSecond: 0 })).toThrow(/maxEpisodesPerSecond must be a positive integer/);
  expect(() => resolveServerOptions({ maxReplyBytesPerSecond: 1.5 })).toThrow(/maxReplyBytesPerSecond must be a positive integer/);
  const s = await serve({ gyms: ["function"], maxEpisodesPerSecond: 1_000 });
  const c = socketFrom("127.0.0.9", s.url);
  await c.open;
  let started = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < 1_000) {
    await c.ask({ type: "reset", data: { task_id: "func-1" } });
    started++;
  }
  // Well past the default's burst and rate in one second.
  expect(started).toBeGreaterThan(EPISODES_BURST + 2 * EPISODES_PER_SECOND);
  c.ws.close();
});

test("item 15 mix: a connection is answered at a bounded byte rate, however fast it asks", { timeout: 30_000 }, async () => {
  const s = await serve({ gyms: ["function"] });
  const c = socketFrom("127.0.0.7", s.url);
  await c.open;
  // The tool list is ~9 kB and starts no episode: ask for it back to back for two seconds.
  let bytes = 0;
  let replies = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < 2_000) {
    const f = await c.ask({ type: "mcp", data: { jsonrpc: "2.0", id: replies, method: "tools/list" } });
    expect(f.type).toBe("mcp");
    bytes += JSON.stringify(f).length;
    replies++;
  }
  const seconds = (performance.now() - t0) / 1000;
  // At most the burst and the rate, plus the reply that was sent when the budget ran out.
  expect(bytes).toBeLessThanOrEqual(REPLY_BYTES_BURST + REPLY_BYTES_PER_SECOND * seconds + (64 << 10));
  // And it was served: the budget is a rate, not a wall.
  expect(bytes).toBeGreaterThan(REPLY_BYTES_BURST);
  expect(replies).toBeGreaterThan(10);
  c.ws.close();
});
