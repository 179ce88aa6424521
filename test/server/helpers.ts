/** Helpers of the server tests: a server per test on a free loopback port, closed afterwards. */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach } from "vitest";
import WebSocket from "ws";
import { frameQueue } from "../../bench/lib/frame-queue.js";
import { startServer, type RunningServer } from "../../src/server/app.js";
import type { ServerOptions } from "../../src/server/options.js";

const running: RunningServer[] = [];

afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => s.close({ drainMs: 0 })));
});

export async function serve(over: Partial<ServerOptions> = {}): Promise<RunningServer> {
  const s = await startServer({ port: 0, gyms: ["function"], ...over });
  running.push(s);
  return s;
}

export const tmp = (prefix = "userrl-serve-") => mkdtempSync(join(tmpdir(), prefix));

/** A raw WebSocket (for malformed frames and close codes), with its frames queued for `next()`. */
export async function rawSocket(url: string, headers: Record<string, string> = {}, path = "/ws") {
  const ws = new WebSocket(`${url.replace(/^http/, "ws")}${path}`, { headers });
  const { next } = frameQueue(ws);
  const closed = new Promise<{ code: number; reason: string }>((resolve) => ws.on("close", (code, reason) => resolve({ code, reason: reason.toString() })));
  ws.on("error", () => undefined);
  await new Promise<void>((resolve, reject) => {
    ws.once("open", () => resolve());
    ws.once("unexpected-response", (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    ws.once("error", reject);
  });
  return {
    ws,
    closed,
    send: (x: unknown) => ws.send(typeof x === "string" ? x : JSON.stringify(x)),
    next,
  };
}

export async function http(url: string, path: string, init: RequestInit & { json?: unknown } = {}): Promise<{ status: number; body: any; headers: Headers }> {
  const { json, ...rest } = init;
  const res = await fetch(`${url}${path}`, {
    ...rest,
    ...(json !== undefined ? { method: rest.method ?? "POST", body: JSON.stringify(json), headers: { "content-type": "application/json", ...(rest.headers ?? {}) } } : {}),
  });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    /* not JSON */
  }
  return { status: res.status, body, headers: res.headers };
}
