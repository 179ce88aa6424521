/**
 * The hostile clients of the server-load benchmark's "hostile mix" (issue 15), in their own process:
 *
 *   node server-attack-child.js <serverUrl> <gym> [bombs,oversized,slow,flood]
 *     waits for a line on stdin, then runs the attacks named (default all) until the next line, and prints one
 *     JSON line of counts:
 *     - whitespace bombs: two sessions stepping with a 1 MB action of spaces (just under the frame limit), in a loop;
 *     - oversized frames: a 2 MiB WebSocket frame (closed with 1009) and a 2 MiB HTTP body (413), in a loop;
 *     - slow readers: three sessions that never read their replies and keep asking for TauGym's first observation
 *       (dropped by the server once their unread replies pass its bound; the server must serve tau);
 *     - session flood: `openenv/session/create` over HTTP, never closed, 200 a second.
 */
import { request } from "node:http";
import { createInterface } from "node:readline";
import WebSocket from "ws";
import { frameQueue } from "./frame-queue.js";

const [url, gym, only] = process.argv.slice(2);
const wsUrl = `${url.replace(/^http/, "ws")}/ws`;
const counts = { bombsAnswered: 0, oversizedRefused: 0, slowReadersDropped: 0, floodCreated: 0, floodRefused: 0, attackErrors: 0 };
let running = true;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A raw socket to `/ws`: resolves once open (or undefined when refused), with its frames and its close. */
async function socket(): Promise<{ ws: WebSocket; next(): Promise<unknown>; closed: Promise<number> } | undefined> {
  const ws = new WebSocket(wsUrl, { maxPayload: 256 << 20 });
  const frames = frameQueue(ws);
  const closed = new Promise<number>((resolve) => ws.on("close", (code) => resolve(code)));
  ws.on("error", () => undefined);
  void closed.then(() => frames.release({ type: "closed" }));
  const opened = await new Promise<boolean>((resolve) => {
    ws.once("open", () => resolve(true));
    ws.once("close", () => resolve(false));
  });
  if (!opened) return undefined;
  return { ws, next: frames.next, closed };
}

/** A socket to `/ws` while the attack runs; refusals are counted and retried. */
async function connect(): Promise<Awaited<ReturnType<typeof socket>>> {
  while (running) {
    const s = await socket();
    if (s) return s;
    counts.attackErrors++;
    await sleep(100);
  }
  return undefined;
}

async function whitespaceBombs(): Promise<void> {
  const bomb = Buffer.from(JSON.stringify({ type: "step", data: { choice: "action", content: `x${" ".repeat(1_000_000)}x` } }));
  const reset = JSON.stringify({ type: "reset", data: { gym, split: "train" } });
  while (running) {
    const s = await connect();
    if (!s) break;
    s.ws.send(reset);
    await s.next();
    while (running && s.ws.readyState === WebSocket.OPEN) {
      s.ws.send(bomb, { binary: false });
      const f = (await s.next()) as { type: string; data?: { done?: boolean } };
      if (f.type !== "observation") break;
      counts.bombsAnswered++;
      if (f.data?.done) {
        s.ws.send(reset);
        await s.next();
      }
    }
    s.ws.terminate();
  }
}

async function oversizedFrames(): Promise<void> {
  const big = Buffer.alloc(2 << 20, "x"); // built once: the attack costs the server, not this process
  while (running) {
    const s = await socket();
    if (s) {
      s.ws.send(big, { binary: false });
      if ((await s.closed) === 1009) counts.oversizedRefused++;
    }
    const status = await new Promise<number>((resolve) => {
      const req = request(`${url}/step`, { method: "POST", headers: { "content-type": "application/json" } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on("error", () => resolve(0));
      req.end(big);
    });
    if (status === 413) counts.oversizedRefused++;
  }
}

async function slowReader(): Promise<void> {
  // Tau's first observation is the largest (its policy, ~20 kB): the unread replies pile up fastest.
  const ask = JSON.stringify({ type: "reset", data: { gym: "tau", split: "test" } });
  while (running) {
    const s = await connect();
    if (!s) break;
    (s.ws as unknown as { _socket: { pause(): void } })._socket.pause(); // never read a reply
    while (running && s.ws.readyState === WebSocket.OPEN) {
      for (let i = 0; i < 2; i++) s.ws.send(ask);
      await sleep(10);
    }
    if (s.ws.readyState !== WebSocket.OPEN && running) counts.slowReadersDropped++;
    s.ws.terminate();
  }
}

async function sessionFlood(): Promise<void> {
  const body = JSON.stringify({ jsonrpc: "2.0", id: 1, method: "openenv/session/create", params: {} });
  while (running) {
    const reply = await new Promise<string>((resolve) => {
      const req = request(`${url}/mcp`, { method: "POST", headers: { "content-type": "application/json" } }, (res) => {
        let text = "";
        res.on("data", (c: Buffer) => (text += c.toString()));
        res.on("end", () => resolve(text));
      });
      req.on("error", () => resolve(""));
      req.end(body);
    });
    if (reply.includes('"session_id"')) counts.floodCreated++;
    else counts.floodRefused++;
    await sleep(5);
  }
}

const lines = createInterface({ input: process.stdin });
const nextLine = () => new Promise<void>((resolve) => lines.once("line", () => resolve()));
await nextLine();
const ATTACKS: Record<string, () => Promise<void>[]> = {
  bombs: () => [whitespaceBombs(), whitespaceBombs()],
  oversized: () => [oversizedFrames()],
  slow: () => [slowReader(), slowReader(), slowReader()],
  flood: () => [sessionFlood()],
};
const attacks = (only ? only.split(",") : Object.keys(ATTACKS)).flatMap((name) => ATTACKS[name]?.() ?? []);
await nextLine();
running = false;
await Promise.race([Promise.allSettled(attacks), sleep(5_000)]);
process.stdout.write(`${JSON.stringify(counts)}\n`, () => process.exit(0));
