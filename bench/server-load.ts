/**
 * Load on the environment server: N concurrent `/ws` sessions (100, 1,000) each playing probes.
 *  - TelepathyGym with an LLM simulated user, served by a fake model at a fixed latency (one user call
 *    per step), so a step's round trip is the latency plus what the server and its model client add;
 *  - FunctionGym (no model): the protocol and gym cost alone.
 * Reports steps/s, step round trip p50/p99, overhead p50/p99 (round trip minus the model's latency: the
 * server, its model client, both processes' queues and the transport), the server's own time on a step
 * (its time minus the simulated user's model calls), server CPU per step, heap and RSS per live session,
 * event-loop lag and errors (must be 0).
 * The clients and the fake model run in child processes; the server runs here.
 *
 * The hostile mix (issue 15): well-behaved agents (FunctionGym, a think time between steps) play while, from
 * another process, whitespace bombs, oversized frames, slow readers and a session flood run; their step round
 * trip p50/p99 is compared with the same agents on a quiet server (target: p99 within 2× of the quiet figure),
 * in alternating phases. The attackers run at the lowest CPU priority (nice 19): their own work must not count
 * against the server.
 * `--hostile` runs only the mix; `--attacks bombs,oversized,slow,flood` a subset of it.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { setPriority } from "node:os";
import { join } from "node:path";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { createInterface } from "node:readline";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { startServer } from "../src/server/app.js";
import { percentile, printTable } from "./lib/table.js";

export const describe = "environment server: 100/1,000 concurrent /ws sessions, steps/s, overhead p50/p99, memory per session, errors; the hostile mix";

const CHILD = join(import.meta.dirname, "lib", "server-load-child.js");
const ATTACKERS = join(import.meta.dirname, "lib", "server-attack-child.js");

// A precise heap figure needs a collection first.
setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;

interface Child {
  proc: ChildProcess;
  /** The next line the child prints. */
  line(): Promise<string>;
  stop(): Promise<void>;
}

function child(args: string[], script = CHILD): Child {
  const proc = spawn(process.execPath, [script, ...args], { stdio: ["pipe", "pipe", "inherit"] });
  const lines = createInterface({ input: proc.stdout! });
  const queue: string[] = [];
  const waiting: ((l: string) => void)[] = [];
  lines.on("line", (l) => (waiting.length ? waiting.shift()!(l) : queue.push(l)));
  const exited = new Promise<void>((resolve) => proc.once("exit", () => resolve()));
  return {
    proc,
    line: () =>
      queue.length
        ? Promise.resolve(queue.shift()!)
        : new Promise((resolve, reject) => {
            waiting.push(resolve);
            void exited.then(() => reject(new Error(`benchmark child ${args[0]} exited early`)));
          }),
    stop: async () => {
      if (proc.exitCode === null) proc.kill("SIGTERM");
      await exited;
    },
  };
}

interface LoadResult {
  sessions: number;
  steps: number;
  wallS: number;
  rtts: number[];
  own: number[];
  errors: number;
  firstErrors: string[];
  heapPerSessionKiB: number;
  rssPerSessionKiB: number;
  cpuMsPerStep: number;
  lagP99: number;
}

async function load(gym: string, user: string, sessions: number, steps: number): Promise<LoadResult> {
  const server = await startServer({ gyms: [gym], user, port: 0, maxSessions: sessions, idleTimeoutMs: 0, stepTimeoutMs: 120_000 });
  try {
    gc();
    const before = process.memoryUsage();
    const clients = child(["clients", server.url, gym, String(sessions), String(steps)]);
    if ((await clients.line()) !== "ready") throw new Error("load clients did not get ready");
    gc();
    const open = process.memoryUsage();
    const lag = monitorEventLoopDelay({ resolution: 1 });
    lag.enable();
    const cpu0 = process.cpuUsage();
    clients.proc.stdin!.write("go\n");
    const r = JSON.parse(await clients.line()) as { rtts: number[]; serverMs: number[]; userMs: number[]; errors: number; firstErrors: string[]; wallMs: number };
    const cpu = process.cpuUsage(cpu0);
    lag.disable();
    await clients.stop();
    return {
      sessions,
      steps: r.rtts.length,
      wallS: r.wallMs / 1000,
      rtts: r.rtts,
      own: r.serverMs.map((x, i) => x - r.userMs[i]),
      errors: r.errors,
      firstErrors: r.firstErrors,
      heapPerSessionKiB: (open.heapUsed - before.heapUsed) / sessions / 1024,
      rssPerSessionKiB: (open.rss - before.rss) / sessions / 1024,
      cpuMsPerStep: (cpu.user + cpu.system) / 1000 / Math.max(1, r.rtts.length),
      lagP99: lag.percentile(99) / 1e6,
    };
  } finally {
    await server.close({ drainMs: 0 });
  }
}

interface MixResult {
  rtts: number[];
  errors: number;
  firstErrors: string[];
  stepsPerS: number;
  lagP99: number;
  rssGrowthMiB: number;
  /** The server's CPU time over the phase's wall time (1 = one core). */
  serverCpu: number;
  attack?: Record<string, number>;
}

/** Well-behaved paced agents on FunctionGym for `seconds`, with the hostile clients running or not. */
async function mix(hostile: string | undefined, sessions: number, seconds: number, thinkMs: number): Promise<MixResult> {
  // Tau is served for the slow readers (the largest replies); the agents play FunctionGym.
  const server = await startServer({ gyms: ["function", "tau"], user: "offline", port: 0, maxSessions: 256, idleTimeoutMs: 0 });
  const attackers = hostile !== undefined ? child([server.url, "function", ...(hostile ? [hostile] : [])], ATTACKERS) : undefined;
  // The target is about the server: the attackers' own CPU (building and masking megabyte frames) runs at the
  // lowest priority, so it does not take the shared cores from the server and the agents.
  if (attackers?.proc.pid) setPriority(attackers.proc.pid, 19);
  try {
    gc();
    const rss0 = process.memoryUsage().rss;
    let rssPeak = rss0;
    const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, process.memoryUsage().rss)), 50);
    attackers?.proc.stdin!.write("go\n");
    // The flood has filled its share of the server before the agents arrive: they must still get in.
    if (attackers) await new Promise((r) => setTimeout(r, 1_000));
    const agents = child(["paced", server.url, "function", String(sessions), String(seconds), String(thinkMs)]);
    if ((await agents.line()) !== "ready") throw new Error("paced clients did not get ready");
    const lag = monitorEventLoopDelay({ resolution: 1 });
    lag.enable();
    const cpu0 = process.cpuUsage();
    agents.proc.stdin!.write("go\n");
    const r = JSON.parse(await agents.line()) as { rtts: number[]; errors: number; firstErrors: string[]; wallMs: number };
    const cpu = process.cpuUsage(cpu0);
    lag.disable();
    clearInterval(sampler);
    await agents.stop();
    attackers?.proc.stdin!.write("stop\n");
    const attack = attackers ? (JSON.parse(await attackers.line()) as Record<string, number>) : undefined;
    return {
      rtts: r.rtts,
      errors: r.errors,
      firstErrors: r.firstErrors,
      stepsPerS: r.rtts.length / (r.wallMs / 1000),
      lagP99: lag.percentile(99) / 1e6,
      rssGrowthMiB: (rssPeak - rss0) / 2 ** 20,
      serverCpu: (cpu.user + cpu.system) / 1000 / r.wallMs,
      attack,
    };
  } finally {
    await attackers?.stop();
    await server.close({ drainMs: 0 });
  }
}

/** Phases of the same kind as one: their round trips together, the worst lag and memory growth, the attacks summed. */
function merged(phases: MixResult[]): MixResult {
  const attack: Record<string, number> = {};
  for (const p of phases) for (const [k, v] of Object.entries(p.attack ?? {})) attack[k] = (attack[k] ?? 0) + v;
  return {
    rtts: phases.flatMap((p) => p.rtts),
    errors: phases.reduce((n, p) => n + p.errors, 0),
    firstErrors: phases.flatMap((p) => p.firstErrors),
    stepsPerS: phases.reduce((n, p) => n + p.stepsPerS, 0) / phases.length,
    lagP99: Math.max(...phases.map((p) => p.lagP99)),
    rssGrowthMiB: Math.max(...phases.map((p) => p.rssGrowthMiB)),
    serverCpu: phases.reduce((n, p) => n + p.serverCpu, 0) / phases.length,
    attack: phases.some((p) => p.attack) ? attack : undefined,
  };
}

/** `attacks`: a comma-separated subset of bombs,oversized,slow,flood (default all), to see what each costs. */
async function hostileMix(quick: boolean, attacks = ""): Promise<string[]> {
  const sessions = 50;
  const seconds = quick ? 5 : 8;
  const rounds = quick ? 1 : 3;
  const thinkMs = 20;
  await mix(undefined, 20, 1, thinkMs); // warm-up
  // Quiet and attacked phases alternate, so that a shared machine's changing load weighs on both alike.
  const quietRounds: MixResult[] = [];
  const hostileRounds: MixResult[] = [];
  for (let r = 0; r < rounds; r++) {
    quietRounds.push(await mix(undefined, sessions, seconds, thinkMs));
    hostileRounds.push(await mix(attacks, sessions, seconds, thinkMs));
  }
  const quiet = merged(quietRounds);
  const hostile = merged(hostileRounds);
  const p99 = percentile(quiet.rtts, 0.99);
  const row = (label: string, r: MixResult) => [
    label,
    sessions,
    r.rtts.length,
    r.stepsPerS,
    percentile(r.rtts, 0.5),
    percentile(r.rtts, 0.99),
    percentile(r.rtts, 0.99) / p99,
    r.lagP99,
    r.rssGrowthMiB,
    `${(100 * r.serverCpu).toFixed(0)}%`,
    r.errors,
  ];
  printTable(
    `Hostile mix: ${sessions} well-behaved agents (FunctionGym, ${thinkMs} ms between steps), ${rounds} × ${seconds} s quiet alternating with ${rounds} × ${seconds} s under attack`,
    ["server", "agents", "steps", "steps/s", "RTT p50 ms", "RTT p99 ms", "p99 / quiet p99", "loop lag p99 ms (worst phase)", "server RSS growth MiB (most)", "server CPU (of a core)", "agent errors"],
    [row("quiet", quiet), row("under attack", hostile)],
  );
  const a = hostile.attack ?? {};
  console.log(
    `attack meanwhile: ${a.bombsAnswered} whitespace bombs of 1 MB answered (2 sessions), ${a.oversizedRefused} oversized frames/bodies refused, ` +
      `${a.slowReadersDropped} slow readers dropped (3 at a time), session flood: ${a.floodCreated} created then ${a.floodRefused} refused ` +
      `(per-client limit), ${a.attackErrors} attack connections refused; target: p99 under attack within 2× of quiet, agent errors 0`,
  );
  return [...quiet.firstErrors, ...hostile.firstErrors].map((e) => `hostile mix: ${e}`);
}

export async function run(args: string[]): Promise<void> {
  const quick = args.includes("--quick");
  if (args.includes("--hostile")) {
    const only = args.indexOf("--attacks");
    const errors = await hostileMix(quick, only >= 0 ? args[only + 1] : "");
    if (errors.length) {
      console.log(`first errors:\n  ${errors.join("\n  ")}`);
      process.exitCode = 1;
    }
    return;
  }
  const latencyMs = 100;
  const steps = quick ? 4 : 10;
  const sizes = [100, 1000];
  const model = child(["model", String(latencyMs)]);
  const modelUrl = await model.line();
  // One keep-alive pool, no retries, no cache, and room for every session's call at once.
  const user = `openai:fake-user@${modelUrl}?retries=0&cache=off&concurrency=2048&timeout=120`;
  const rows: (string | number)[][] = [];
  const errors: string[] = [];
  try {
    for (const [gym, label, latency, u] of [
      ["telepathy", `telepathy, LLM user at ${latencyMs} ms`, latencyMs, user],
      ["function", "function, no model", 0, "offline"],
    ] as const) {
      await load(gym, u, 20, 2); // warm-up: JIT, task loading, the model client's pool
      for (const n of sizes) {
        const r = await load(gym, u, n, steps);
        const overhead = r.rtts.map((x) => x - latency);
        rows.push([
          label,
          n,
          r.steps,
          r.steps / r.wallS,
          percentile(r.rtts, 0.5),
          percentile(r.rtts, 0.99),
          percentile(overhead, 0.5),
          percentile(overhead, 0.99),
          percentile(r.own, 0.5),
          percentile(r.own, 0.99),
          r.cpuMsPerStep,
          r.heapPerSessionKiB,
          r.rssPerSessionKiB,
          r.lagP99,
          r.errors,
        ]);
        errors.push(...r.firstErrors.map((e) => `${gym} ×${n}: ${e}`));
      }
    }
  } finally {
    await model.stop();
  }
  printTable(
    `Environment server under load (${steps} steps per session, all sessions at once; clients and fake model in other processes)`,
    ["gym", "sessions", "steps", "steps/s", "RTT p50 ms", "RTT p99 ms", "overhead p50 ms", "overhead p99 ms", "server own p50 ms", "server own p99 ms", "server CPU ms/step", "heap KiB/session", "RSS KiB/session", "loop lag p99 ms", "errors"],
    rows,
  );
  console.log(
    "overhead = round trip − model latency (one simulated-user call per telepathy step); server own = the server's time on a step " +
      "minus its simulated-user calls; errors must be 0",
  );
  errors.push(...(await hostileMix(quick)));
  if (errors.length) {
    console.log(`first errors:\n  ${errors.join("\n  ")}`);
    process.exitCode = 1;
  }
}
