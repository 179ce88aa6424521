/**
 * TauGym costs: loading the tau-bench databases (once per process), a fresh episode (the reference
 * reloads 7.3 MB of JSON at every reset; here it is an empty copy-on-write overlay), the memory an
 * episode holds, the gym's CPU per step by kind, and the oracle on every task, one at a time and 64 at once.
 * Targets: reset ≤ 0.1 ms and ≤ 10 KB per fresh episode; a write step ≤ 1 ms; 64 concurrent episodes
 * share the pristine tables (memory grows with the records they write, not with the database size).
 */
import { parseBracketAction } from "../src/core/action.js";
import type { GymContext, GymEpisode, Task } from "../src/core/types.js";
import { DataStore } from "../src/data/store.js";
import { domainData } from "../src/gyms/tau/domain.js";
import { tauGym, type TauPayload } from "../src/gyms/tau/index.js";
import { runEpisode } from "../src/rollout/episode.js";
import { percentile, printTable } from "./lib/table.js";

export const describe = "TauGym: database load, reset cost and memory per episode, CPU per step, oracle over all tasks";

const ctx = (): GymContext => ({ mode: "eval", compat: "fixed", maxSteps: 16, seed: 1, user: { kind: "offline", spec: "offline" }, options: {} });

function heapMB(): number {
  globalThis.gc?.();
  return process.memoryUsage().heapUsed / 2 ** 20;
}

async function timeSteps(t: Task<TauPayload>, action: string, n: number): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const env = tauGym.create(t, ctx());
    await env.reset();
    const t0 = performance.now();
    await env.step(parseBracketAction(action));
    out.push(performance.now() - t0);
  }
  return out;
}

async function oracle(tasks: Task<TauPayload>[], concurrency: number): Promise<{ wallMs: number; solved: number }> {
  const t0 = performance.now();
  let next = 0;
  let solved = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const t = tasks[next++];
      const traj = await runEpisode({
        gym: tauGym as never,
        task: t as never,
        agent: tauGym.agents!.oracle.start(t, 0),
        ctx: ctx(),
        maxTurns: 16,
        id: t.id,
        runId: "bench",
        groupId: t.id,
        sample: 0,
        agentSpec: "oracle",
      });
      if (traj.totalReward === 1) solved++;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { wallMs: performance.now() - t0, solved };
}

export async function run(): Promise<void> {
  if (!globalThis.gc) console.log("(run node with --expose-gc for steadier memory figures)");
  const data = DataStore.default();
  let t0 = performance.now();
  const tasks = await tauGym.tasks(data);
  const taskMs = performance.now() - t0;
  const heap0 = heapMB();
  t0 = performance.now();
  await domainData(data, "retail");
  await domainData(data, "airline");
  const loadMs = performance.now() - t0;
  const dbMB = heapMB() - heap0;
  printTable("Loading (once per process)", ["what", "ms", "heap MB"], [
    ["665 tasks (parquet + task JSON)", taskMs, ""],
    ["both databases (7.3 MB JSON, frozen)", loadMs, dbMB],
  ]);

  const t = tasks.find((x) => x.id === "retail-train-000")!;
  const N = 2000;
  const held: GymEpisode[] = [];
  const before = heapMB();
  t0 = performance.now();
  for (let i = 0; i < N; i++) {
    const env = tauGym.create(t, ctx());
    await env.reset();
    held.push(env);
  }
  const resetMs = (performance.now() - t0) / N;
  const perEpisodeKB = ((heapMB() - before) * 1024) / N;
  const write =
    '[answer] {"name": "return_delivered_order_items", "arguments": {"order_id": "#W6067464", "item_ids": ["9624127908", "8917609800"], "payment_method_id": "credit_card_4190576"}}';
  await Promise.all(held.map((e) => e.step(parseBracketAction(write))));
  const afterWriteKB = ((heapMB() - before) * 1024) / N;
  held.length = 0;
  printTable(`A fresh episode (${N} held at once)`, ["figure", "value"], [
    ["reset, ms each", resetMs],
    ["heap per fresh episode, KB", perEpisodeKB],
    ["heap per episode after one write, KB", afterWriteKB],
  ]);

  const kinds: [string, string][] = [
    ["[search] tools", "[search] tools"],
    ["read: get_order_details", '[answer] {"name": "get_order_details", "arguments": {"order_id": "#W6067464"}}'],
    ["read: get_product_details", '[answer] {"name": "get_product_details", "arguments": {"product_id": "9523456873"}}'],
    ["write: return items", write],
    ["calculate", '[answer] {"name": "calculate", "arguments": {"expression": "(54.04 + 41.64) * 3 / 7"}}'],
    ["message to the scripted customer", "[action] Could you confirm your email?"],
    ["malformed call", "[answer] {not json"],
  ];
  const rows: (string | number)[][] = [];
  for (const [label, action] of kinds) {
    await timeSteps(t, action, 50); // warm up
    const xs = await timeSteps(t, action, 500);
    rows.push([label, percentile(xs, 0.5), percentile(xs, 0.99)]);
  }
  const airline = tasks.find((x) => x.id === "airline-044")!;
  for (const [label, action] of [
    ["search_direct_flight", '[answer] {"name": "search_direct_flight", "arguments": {"origin": "JFK", "destination": "SEA", "date": "2024-05-20"}}'],
    ["search_onestop_flight", '[answer] {"name": "search_onestop_flight", "arguments": {"origin": "JFK", "destination": "SEA", "date": "2024-05-20"}}'],
  ]) {
    await timeSteps(airline, action, 20);
    const xs = await timeSteps(airline, action, 200);
    rows.push([label, percentile(xs, 0.5), percentile(xs, 0.99)]);
  }
  printTable("Gym CPU per step (the step call only)", ["step", "p50 ms", "p99 ms"], rows);

  const all = await oracle(tasks, 1);
  const heapBefore = heapMB();
  const par = await oracle(tasks, 64);
  printTable("Oracle with the scripted customer, all 665 tasks", ["run", "wall s", "ms per episode", "solved"], [
    ["one at a time", all.wallMs / 1000, all.wallMs / tasks.length, all.solved],
    ["64 concurrent", par.wallMs / 1000, par.wallMs / tasks.length, par.solved],
  ]);
  console.log(`\nheap after the concurrent run: ${(heapMB() - heapBefore).toFixed(1)} MB above the loaded databases`);
}
