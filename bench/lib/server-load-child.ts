/**
 * The other processes of the server-load benchmark, so that their CPU is not counted as the server's.
 *
 *   node server-load-child.js model <latencyMs>
 *     a fake OpenAI-compatible server answering every call, after the latency, with a simulated user's
 *     yes/no reply (`{"thought", "response"}`); prints its base URL.
 *   node server-load-child.js clients <serverUrl> <gym> <sessions> <steps>
 *     opens the sessions and resets each on a train task, prints `ready`, waits for a line on stdin,
 *     then every session plays <steps> probes concurrently; prints one JSON line with, per step, the
 *     round trip and the server's own timing (ms), the error count and the wall time.
 *   node server-load-child.js paced <serverUrl> <gym> <sessions> <seconds> <thinkMs>
 *     well-behaved agents: as `clients`, but each session steps for <seconds>, thinking <thinkMs> between
 *     steps and starting a new episode when one ends; prints the steps' round trips, the errors and the wall time.
 */
import { createInterface } from "node:readline";
import { startFakeServer } from "../../src/models/fake-server.js";
import { EnvClient } from "../../src/server/client.js";

const [mode, ...args] = process.argv.slice(2);

if (mode === "model") {
  const server = await startFakeServer({ latencyMs: Number(args[0] ?? 0), keepRequests: 0, responder: () => ({ text: '{"thought": "Checking.", "response": "No"}' }) });
  process.stdout.write(`${server.url}\n`);
  process.on("SIGTERM", () => void server.close().then(() => process.exit(0)));
} else if (mode === "clients" || mode === "paced") {
  const [url, gym, sessionsArg, stepsArg, thinkArg] = args;
  const sessions = Number(sessionsArg);
  // clients: <steps> probes each, all at once; paced: probes for <seconds>, <thinkMs> apart.
  const paced = mode === "paced";
  const steps = paced ? Infinity : Number(stepsArg);
  const thinkMs = paced ? Number(thinkArg) : 0;
  let errors = 0;
  const firstErrors: string[] = [];
  const fail = (err: unknown) => {
    errors++;
    if (firstErrors.length < 5) firstErrors.push(String((err as Error)?.message ?? err));
  };
  const probe = (k: number) => (gym === "function" ? { choice: "action", content: `${k + 1} 2 3 4` } : { choice: "action", content: `Is it something you can hold in one hand? (${k})` });

  // Open and reset in waves, so the listen backlog never overflows.
  const clients: EnvClient[] = [];
  const wave = 100;
  for (let i = 0; i < sessions; i += wave) {
    const opened = await Promise.all(
      Array.from({ length: Math.min(wave, sessions - i) }, async (_, j) => {
        const c = await EnvClient.connect(url, { timeoutMs: 120_000 });
        await c.reset({ gym, split: "train", seed: i + j });
        return c;
      }),
    );
    clients.push(...opened);
  }
  process.stdout.write("ready\n");
  await new Promise<void>((resolve) => createInterface({ input: process.stdin }).once("line", () => resolve()));

  const rtts: number[] = [];
  const serverMs: number[] = [];
  const userMs: number[] = [];
  const t0 = performance.now();
  const until = paced ? t0 + Number(stepsArg) * 1000 : Infinity;
  await Promise.all(
    clients.map(async (c, i) => {
      for (let k = 0; k < steps && performance.now() < until; k++) {
        const s0 = performance.now();
        try {
          const r = await c.step(probe(k));
          rtts.push(performance.now() - s0);
          const timing = (r.observation as { timing: { server_ms: number; user_ms: number } }).timing;
          serverMs.push(timing.server_ms);
          userMs.push(timing.user_ms);
          if (r.done) {
            if (!paced) break;
            await c.reset({ gym, split: "train", seed: sessions + i * 1000 + k });
          }
          if (thinkMs) await new Promise((resolve) => setTimeout(resolve, thinkMs));
        } catch (err) {
          fail(err);
          break;
        }
      }
    }),
  );
  const wallMs = performance.now() - t0;
  await Promise.all(clients.map((c) => c.close().catch(fail)));
  const r2 = (xs: number[]) => xs.map((x) => Math.round(x * 100) / 100);
  // Exit only once the (large) line is flushed: process.exit() drops pending pipe writes.
  process.stdout.write(`${JSON.stringify({ rtts: r2(rtts), serverMs: r2(serverMs), userMs: r2(userMs), errors, firstErrors, wallMs })}\n`, () => process.exit(0));
} else {
  process.stderr.write("usage: server-load-child.js model <latencyMs> | clients <url> <gym> <sessions> <steps> | paced <url> <gym> <sessions> <seconds> <thinkMs>\n");
  process.exit(2);
}
