/**
 * The spine's speed, against a fake OpenAI-compatible server in another process
 * (compare with spec/reference-perf.md, measured on the same kind of machine):
 *  1. model calls/s through the full wrapper stack (pooled keep-alive client, retry, limit, meter);
 *  2. CPU per agent step outside the model (episode loop + gym + client), FunctionGym, 10 steps/episode;
 *  3. wall time of 1 and 64 concurrent episodes at 200 ms model latency against the latency-bound ideal;
 *  4. event-loop lag while 64 episodes run.
 */
import { monitorEventLoopDelay } from "node:perf_hooks";
import { resolveAgent, resolveUser } from "../src/agents/resolve.js";
import { DataStore } from "../src/data/store.js";
import { getGym } from "../src/gyms/index.js";
import { createModel } from "../src/models/spec.js";
import { runEpisode } from "../src/rollout/episode.js";
import { childFakeServer } from "./lib/child-server.js";
import { printTable } from "./lib/table.js";

export const describe = "model calls/s, CPU per step, concurrent-episode efficiency vs the reference";

const TURNS = 10;

async function callsPerSecond(url: string, total: number, concurrency: number): Promise<{ rate: number; errors: number }> {
  const model = await createModel(`openai:fake@${url}?retries=0&concurrency=${concurrency}`, { cache: null });
  const msgs = [{ role: "user" as const, content: "ping" }];
  for (let i = 0; i < 50; i++) await model.chat(msgs); // warm up the pool and the JIT
  let next = 0;
  let errors = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next++ < total) await model.chat(msgs).catch(() => errors++);
    }),
  );
  return { rate: total / ((performance.now() - t0) / 1000), errors };
}

async function episodes(url: string, n: number, concurrency: number): Promise<{ wall: number; steps: number; cpuMs: number; lagP99: number; lagMax: number }> {
  const gym = getGym("function");
  const tasks = (await gym.tasks(DataStore.default())).filter((t) => t.split === "test");
  const agent = await resolveAgent(`openai:fake@${url}?retries=0&concurrency=256`, { models: { cache: null } });
  const user = await resolveUser(undefined);
  const lag = monitorEventLoopDelay({ resolution: 1 });
  lag.enable();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  let steps = 0;
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < n) {
        const i = next++;
        const task = tasks[i % tasks.length];
        const t = await runEpisode({
          gym,
          task,
          agent: agent.start(gym, task, i),
          ctx: { mode: "eval", compat: "fixed", maxSteps: 16, seed: i, user: user.roles(gym), options: {} },
          maxTurns: TURNS,
          id: String(i),
          runId: "bench",
          groupId: task.id,
          sample: 0,
          agentSpec: agent.spec,
        });
        steps += t.turns.length;
      }
    }),
  );
  const wall = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  lag.disable();
  return { wall, steps, cpuMs: (cpu.user + cpu.system) / 1000, lagP99: lag.percentile(99) / 1e6, lagMax: lag.max / 1e6 };
}

export async function run(args: string[]): Promise<void> {
  const quick = args.includes("--quick");
  const fast = await childFakeServer(0, TURNS);
  const slow = await childFakeServer(200, TURNS);
  try {
    const rates = [];
    for (const c of [1, 16, 64, 256]) {
      const r = await callsPerSecond(fast.url, quick ? 2000 : 10_000, c);
      rates.push([`c=${c}`, r.rate, r.errors]);
    }
    printTable("Model calls per second, one process (fake server, 0 ms latency)", ["concurrency", "calls/s", "errors"], rates);
    console.log("reference: about 40 calls/s per process (a new client per call); target ≥ 1,000");

    await episodes(fast.url, 64, 16); // warm-up
    const cpuRun = await episodes(fast.url, quick ? 128 : 512, 16);
    printTable(
      "CPU per agent step outside the model (FunctionGym, LLM agent over HTTP, 0 ms latency)",
      ["episodes", "steps", "CPU ms/step", "reference CPU ms/step", "target"],
      [[quick ? 128 : 512, cpuRun.steps, cpuRun.cpuMs / cpuRun.steps, "24–27 (LLM gyms), 0.03 (function, no HTTP)", "≤ 1"]],
    );

    const rows = [];
    for (const [n, c] of [
      [1, 1],
      [64, 64],
    ]) {
      const r = await episodes(slow.url, n, c);
      const ideal = TURNS * 0.2 * Math.ceil(n / c);
      rows.push([`${n} episodes, c=${c}`, r.wall, ideal, r.wall / ideal, r.steps / r.wall, r.lagP99, r.lagMax]);
    }
    printTable(
      "Episodes at 200 ms model latency, 10 turns each (ideal = latency-bound lower bound)",
      ["level", "wall s", "ideal s", "wall/ideal", "steps/s", "loop lag p99 ms", "loop lag max ms"],
      rows,
    );
    console.log("reference: wall/ideal 1.7–20 (efficiency 0.05–0.6), loop lag p99 up to 1.2 s; target wall/ideal ≤ 1.2, lag < 10 ms");
  } finally {
    await fast.stop();
    await slow.stop();
  }
}
