/** Helpers of the hostile suite: requests from another loopback address (another client), raw WebSockets. */
import { request } from "node:http";
import WebSocket from "ws";
import { frameQueue } from "../../bench/lib/frame-queue.js";

/** A JSON request from a chosen local address (127.0.0.2 is another client than 127.0.0.1). */
export function httpFrom(
  localAddress: string,
  url: string,
  path: string,
  opts: { method?: string; json?: unknown; body?: string; headers?: Record<string, string> } = {},
): Promise<{ status: number; body: any; text: string; headers: Record<string, string | string[] | undefined> }> {
  const body = opts.json !== undefined ? JSON.stringify(opts.json) : opts.body;
  return new Promise((resolve, reject) => {
    const req = request(
      `${url}${path}`,
      {
        method: opts.method ?? (body !== undefined ? "POST" : "GET"),
        localAddress,
        headers: { ...(opts.json !== undefined ? { "content-type": "application/json" } : {}), ...(opts.headers ?? {}) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          let parsed: unknown = text;
          try {
            parsed = JSON.parse(text);
          } catch {
            /* not JSON */
          }
          resolve({ status: res.statusCode ?? 0, body: parsed, text, headers: res.headers });
        });
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

/** A JSON-RPC request to `/mcp` from a chosen local address. */
export async function rpcFrom(localAddress: string, url: string, method: string, params: Record<string, unknown> = {}, headers: Record<string, string> = {}) {
  return (await httpFrom(localAddress, url, "/mcp", { json: { jsonrpc: "2.0", id: 1, method, params }, headers })).body;
}

/** A WebSocket from a chosen local address; resolves once open, or rejects with the HTTP status that refused it. */
export function socketFrom(localAddress: string, url: string, path = "/ws", headers: Record<string, string> = {}) {
  const ws = new WebSocket(`${url.replace(/^http/, "ws")}${path}`, { headers, localAddress });
  const { next } = frameQueue(ws);
  ws.on("error", () => undefined);
  const closed = new Promise<number>((resolve) => ws.on("close", (code) => resolve(code)));
  const open = new Promise<void>((resolve, reject) => {
    ws.once("open", () => resolve());
    ws.once("unexpected-response", (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    ws.once("error", reject);
  });
  return {
    ws,
    open,
    closed,
    next,
    /** Send a frame and wait for its reply. */
    ask: (frame: unknown): Promise<any> => {
      ws.send(JSON.stringify(frame));
      return next();
    },
  };
}
