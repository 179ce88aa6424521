/**
 * Item 1 of issue 15: text handling is linear in the input, and the action cap applies before a gym sees the
 * text. Before the fix, a 60 kB whitespace run took ~10 s to strip and froze every client of a server.
 */
import { writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { Worker } from "node:worker_threads";
import { expect, test, vi } from "vitest";
import { MAX_ACTION_CHARS, parseToolCall, pyStrip } from "../../src/core/action.js";
import type { GymContext, TurnRecord } from "../../src/core/types.js";
import { DataStore } from "../../src/data/store.js";
import { resolveGyms } from "../../src/gyms/index.js";
import { parseTextToolCalls } from "../../src/models/reply-text.js";
import { resolveUser } from "../../src/agents/resolve.js";
import { playToolCall } from "../../src/rollout/turn.js";
import { cli } from "../cli-runner.js";
import { RunStore } from "../../src/rollout/store.js";
import { LargeFrameLane } from "../../src/server/large-frames.js";
import { serve, tmp } from "../server/helpers.js";
import { socketFrom } from "./helpers.js";

const MiB = 1 << 20;
const SEARCH = { search: "bm25:test/fixtures/search-corpus.jsonl" };

/** Inputs that made the old regexes backtrack: long inner runs of whitespace between non-space characters. */
const bombs = (n: number) => ({
  spaces: `x${" ".repeat(n)}x`,
  mixed: `x${" \n\t\u00a0".repeat(n / 4)}x`,
  words: `${"to ".repeat(n / 3)}x`,
  punctuation: `x${".,!?;: ".repeat(n / 7)}x`,
});

test("item 1: pyStrip removes exactly the characters the old regex removed, in linear time", { timeout: 10_000 }, () => {
  const old = /^[\s\u001c-\u001f\u0085]+$/u;
  for (let c = 0; c <= 0xffff; c++) {
    const ch = String.fromCharCode(c);
    expect(pyStrip(`a${ch}`) === "a", `U+${c.toString(16)}`).toBe(old.test(ch));
  }
  expect(pyStrip(" \t\u3000 a b \u0085\u001c")).toBe("a b");
  // 4 Mi characters: milliseconds now, hours with the backtracking regex.
  for (const b of Object.values(bombs(4 * MiB))) expect(pyStrip(b)).toBe(b);
  expect(pyStrip(" ".repeat(4 * MiB))).toBe("");
});

test("item 1: many unclosed <tool_call> tags in a model reply parse in linear time", { timeout: 10_000 }, () => {
  const r = parseTextToolCalls(`hi <tool_call>${"<tool_call>".repeat(200_000)}`);
  expect(r.toolCalls).toEqual([]);
  expect(r.error).toMatch(/no complete/);
  const ok = parseTextToolCalls('<tool_call>{"name":"a","arguments":{}}</tool_call> <tool_call> <tool_call>{"name":"b","arguments":{"x":1}}</tool_call>');
  expect(ok.error).toBe("a <tool_call> block is not valid JSON");
});

test("item 1: a 1 MiB whitespace bomb is cut before any gym sees it, and every gym answers at once", { timeout: 60_000 }, async () => {
  const dir = tmp("userrl-bomb-");
  const script = join(dir, "user.json");
  writeFileSync(script, JSON.stringify(["No.", '{"answer": "No"}']));
  const data = DataStore.default();
  for (const gym of resolveGyms(["all"])) {
    const user = await resolveUser(gym.offlineUser ? "offline" : `scripted:${script}`);
    const task = (await gym.tasks(data))[0];
    try {
      for (const choice of ["action", "answer", "search"]) {
        for (const [shape, content] of Object.entries(bombs(MiB))) {
          const ctx: GymContext = { mode: "train", compat: "fixed", maxSteps: 16, seed: 1, user: user.roles(gym), options: gym.name === "search" ? SEARCH : {} };
          const env = gym.create(task, ctx);
          await env.reset();
          const record: TurnRecord = { turn: 1, action: null, feedback: "", reward: 0, done: false, truncated: false, info: {} };
          const t0 = performance.now();
          await playToolCall(env, ctx, record, { id: "c1", name: "interact_with_env", arguments: JSON.stringify({ choice, content }) }, { maxTurns: 16, stepTimeoutMs: 30_000 });
          const ms = performance.now() - t0;
          await env.close?.();
          // Generous for a shared 2-core machine; before the fix each of these took minutes.
          expect(ms, `${gym.name} ${choice} ${shape}`).toBeLessThan(3_000);
          expect(record.action!.raw.length).toBeLessThanOrEqual(MAX_ACTION_CHARS);
          expect(record.fallbacks?.[0]).toMatch(/^action cut from \d+ to 20000 characters$/);
        }
      }
    } finally {
      await user.close();
    }
  }
});

test("item 1: parsing a 1 MiB tool call stays linear", { timeout: 10_000 }, () => {
  for (const content of Object.values(bombs(4 * MiB))) {
    const r = parseToolCall("interact_with_env", JSON.stringify({ choice: "action", content }));
    expect(r.ok).toBe(true);
  }
});

test("item 1: replay cuts a 100 kB whitespace action like run does, and answers at once", { timeout: 30_000 }, async () => {
  const file = join(tmp("userrl-bomb-"), "actions.json");
  writeFileSync(file, JSON.stringify([`[action] f(1)${" ".repeat(100_000)}?`, { choice: "answer", content: `x${" \n".repeat(50_000)}y` }]));
  const r = await cli("replay", "function", "--task", "func-1", "--actions", file, "--json");
  expect(r.code, r.err).toBe(0);
  const steps = JSON.parse(r.out).steps as { action: string; fallbacks?: string[] }[];
  expect(steps).toHaveLength(2);
  for (const s of steps) {
    expect(s.action.length).toBeLessThanOrEqual(MAX_ACTION_CHARS);
    expect(s.fallbacks?.[0]).toMatch(/^action cut from \d+ to 20000 characters$/);
  }
});

/**
 * Bombers in a worker thread (their own event loop and CPU), so that only the server's work shares the loop
 * that answers /health. Each connection resets and sends 1 MiB whitespace bombs until told to stop.
 */
const BOMBER = `
const { parentPort, workerData } = require("node:worker_threads");
const WebSocket = require(workerData.ws);
let stop = false, steps = 0, errors = [];
parentPort.on("message", () => { stop = true; });
async function bomber(gym) {
  const ws = new WebSocket(workerData.url + "/ws", { maxPayload: 0 });
  await new Promise((ok, no) => { ws.once("open", ok); ws.once("error", no); });
  const replies = [];
  let wake = null;
  ws.on("message", (m) => { replies.push(JSON.parse(m.toString())); if (wake) wake(); });
  const next = () => replies.length ? Promise.resolve(replies.shift()) : new Promise((ok) => { wake = () => { wake = null; ok(replies.shift()); }; });
  while (!stop) {
    ws.send(JSON.stringify({ type: "reset", data: { gym } }));
    let f = await next();
    if (f.type !== "observation") errors.push(JSON.stringify(f).slice(0, 200));
    for (const content of workerData.frames) {
      ws.send(JSON.stringify({ type: "step", data: { choice: "action", content } }));
      f = await next();
      if (f.type !== "observation") errors.push(JSON.stringify(f).slice(0, 200));
      steps++;
      if (stop || f.data.done) break;
    }
  }
  ws.close();
}
Promise.all(workerData.gyms.map(bomber)).then(() => parentPort.postMessage({ steps, errors }), (e) => parentPort.postMessage({ steps, errors: [String(e)] }));
`;

test("item 1: /health answers at once while 1 MiB actions are processed", { timeout: 60_000 }, async () => {
  const gyms = ["telepathy"];
  const server = await serve({ gyms });
  // Each step frame as close to the 1 MiB frame limit as its JSON escapes allow.
  const frames = Object.values(bombs(MiB)).map((b) => b.slice(0, Math.floor(((MiB - 200) * b.length) / Buffer.byteLength(JSON.stringify(b)))));
  const worker = new Worker(BOMBER, { eval: true, workerData: { url: server.url.replace(/^http/, "ws"), gyms, frames, ws: createRequire(import.meta.url).resolve("ws") } });
  const done = new Promise<{ steps: number; errors: string[] }>((resolve, reject) => {
    worker.once("message", resolve);
    worker.once("error", reject);
  });
  await new Promise((r) => setTimeout(r, 300));
  const latencies: number[] = [];
  const until = Date.now() + 3_000;
  while (Date.now() < until) {
    const t0 = performance.now();
    const res = await fetch(`${server.url}/health`);
    expect(res.status).toBe(200);
    await res.text();
    latencies.push(performance.now() - t0);
    await new Promise((r) => setTimeout(r, 20));
  }
  worker.postMessage("stop");
  const { steps, errors } = await done;
  await worker.terminate();
  expect(errors).toEqual([]);
  // Huge messages are taken in at about one MiB a second, server-wide (large-frames.ts): a few in three seconds.
  expect(steps).toBeGreaterThanOrEqual(2);
  latencies.sort((a, b) => a - b);
  if (process.env.DBG) console.log(steps, latencies.map((x) => x.toFixed(0)).join(" "));
  // The target is 50 ms (bench/server-load.ts measures it); here a margin for a shared 2-core machine.
  // Before the fix a single 60 kB action stalled /health for ~10 s.
  expect(latencies[Math.floor(latencies.length / 2)]).toBeLessThan(250);
  expect(latencies.at(-1)).toBeLessThan(2_000);
});

test("item 1: huge messages take turns in one lane, then rest seven times as long; small ones never wait there", { timeout: 20_000 }, async () => {
  const lane = new LargeFrameLane();
  const starts: number[] = [];
  const work = (ms: number) => async () => {
    starts.push(performance.now());
    await new Promise((r) => setTimeout(r, ms));
    return starts.length;
  };
  const results = await Promise.all([lane.run(work(40)), lane.run(work(40)), lane.run(async () => Promise.reject(new Error("bad frame"))).catch((e: Error) => e.message)]);
  expect(results).toEqual([1, 2, "bad frame"]);
  // The second began after the first ended and rested 7 × 40 ms.
  expect(starts[1] - starts[0]).toBeGreaterThanOrEqual(40 + 275);

  // End to end: the server sends the huge frames (WebSocket and HTTP) through its lane, and the small ones past it.
  const run = vi.spyOn(LargeFrameLane.prototype, "run");
  const s = await serve({ gyms: ["function"] });
  const bomb = socketFrom("127.0.0.1", s.url);
  const agent = socketFrom("127.0.0.1", s.url);
  await Promise.all([bomb.open, agent.open]);
  await bomb.ask({ type: "reset", data: { task_id: "func-1" } });
  await agent.ask({ type: "reset", data: { task_id: "func-1" } });
  const frame = JSON.stringify({ type: "step", data: { choice: "action", content: `x${" ".repeat(MiB - 100)}x` } });
  for (let i = 0; i < 4; i++) bomb.ws.send(frame); // queued on the bomber's connection: one lane turn each
  const t0 = performance.now();
  const reply = await agent.ask({ type: "step", data: { choice: "action", content: "f(1)" } });
  const agentMs = performance.now() - t0;
  expect(reply.type).toBe("observation");
  const bombs = [await bomb.next(), await bomb.next(), await bomb.next(), await bomb.next()];
  const bombsMs = performance.now() - t0;
  expect(bombs.map((f) => f.type)).toEqual(["observation", "observation", "observation", "observation"]);
  expect(bombs[0].data.observation.fallbacks[0]).toMatch(/^action cut from \d+ to 20000 characters$/);
  // The small step did not wait for the four huge ones (which rest between them).
  expect(agentMs).toBeLessThan(bombsMs);
  expect(run).toHaveBeenCalledTimes(4);
  const http = await fetch(`${s.url}/step`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ task_id: "func-1", action: { choice: "action", content: " ".repeat(MiB - 100) } }) });
  expect(http.status).toBe(200);
  expect(run).toHaveBeenCalledTimes(5);
  run.mockRestore();
  bomb.ws.close();
  agent.ws.close();
});

test("item 1: a cut action is kept cut: the turn and the stored call hold 20,000 characters, not the megabyte sent", { timeout: 30_000 }, async () => {
  const out = tmp("userrl-bomb-store-");
  const s = await serve({ gyms: ["function"], out });
  const c = socketFrom("127.0.0.1", s.url);
  await c.open;
  await c.ask({ type: "reset", data: { task_id: "func-1" } });
  const content = `f(1) ${"\u00a0".repeat(MiB / 4)} ?`;
  const r = await c.ask({ type: "step", data: { choice: "answer", content } });
  expect(r.data.observation.fallbacks[0]).toBe(`action cut from ${content.length + 9} to 20000 characters`);
  expect((await c.ask({ type: "step", data: { choice: "finish", content: "" } })).data.done).toBe(true);
  c.ws.close();
  await s.close();
  const store = RunStore.open(out);
  const [t] = [...store.trajectories()];
  store.close();
  expect(t.turns[0].toolArgs).toEqual({ choice: "answer", content: content.slice(0, MAX_ACTION_CHARS) });
  expect(t.turns[0].action!.raw).toBe(`[answer] ${content}`.slice(0, MAX_ACTION_CHARS));
  const call = t.messages.find((m) => m.toolCalls?.length)!.toolCalls![0];
  expect(JSON.parse(call.arguments)).toEqual({ choice: "answer", content: content.slice(0, MAX_ACTION_CHARS) });
});
