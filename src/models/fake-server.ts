/**
 * A small fake OpenAI-compatible server (`POST /v1/chat/completions`, `GET /v1/models`).
 * It answers from a script or a responder function, with text or tool calls, and can misbehave on
 * purpose: delays, HTTP 429/500 (with Retry-After), hangs (client timeouts) and malformed bodies.
 * Tests use it to drive the real HTTP path; `userrl fake-server` serves it for demos and benchmarks.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { z } from "zod";

export type FakeReply = (
  | { text: string; reasoning?: string }
  | { tool: { name?: string; arguments: Record<string, unknown> | string } }
  | { status: number; retryAfter?: number; message?: string }
  | { hang: true }
  | { malformed: string }
) & { delayMs?: number };

export const fakeReplySchema: z.ZodType<FakeReply> = z.union([
  z.object({ text: z.string(), reasoning: z.string().optional(), delayMs: z.number().optional() }).strict(),
  z
    .object({
      tool: z.object({ name: z.string().optional(), arguments: z.union([z.record(z.string(), z.unknown()), z.string()]) }),
      delayMs: z.number().optional(),
    })
    .strict(),
  z.object({ status: z.number().int(), retryAfter: z.number().optional(), message: z.string().optional(), delayMs: z.number().optional() }).strict(),
  z.object({ hang: z.literal(true), delayMs: z.number().optional() }).strict(),
  z.object({ malformed: z.string(), delayMs: z.number().optional() }).strict(),
]);

export interface FakeRequest {
  index: number;
  body: Record<string, unknown>;
  headers: IncomingMessage["headers"];
}

export interface FakeServerOptions {
  port?: number;
  host?: string;
  /** Added before every reply (default 0). */
  latencyMs?: number;
  /** Replies in order (one per request). */
  script?: FakeReply[];
  /** Start again from the first scripted reply when the script runs out (default true). */
  loop?: boolean;
  /** Decide each reply; takes precedence over the script. */
  responder?: (req: FakeRequest) => FakeReply | Promise<FakeReply>;
  /** Keep this many request bodies for inspection (default 1000). */
  keepRequests?: number;
}

export interface FakeServer {
  /** Base URL for OpenAI clients, ending in `/v1`. */
  url: string;
  port: number;
  stats: { requests: number; connections: number; errorsSent: number };
  requests: FakeRequest[];
  close(): Promise<void>;
}

function approxTokens(s: string): number {
  return Math.ceil(s.length / 4);
}

/** A default reply: call the first offered tool with `{choice: "answer", content: "0"}`, else say OK. */
function defaultReply(body: Record<string, unknown>): FakeReply {
  const tools = body.tools as { function?: { name?: string } }[] | undefined;
  if (tools?.length) return { tool: { name: tools[0]?.function?.name, arguments: { choice: "answer", content: "0" } } };
  return { text: "OK" };
}

export async function startFakeServer(opts: FakeServerOptions = {}): Promise<FakeServer> {
  const script = opts.script ?? [];
  const loop = opts.loop ?? true;
  const keep = opts.keepRequests ?? 1000;
  const stats = { requests: 0, connections: 0, errorsSent: 0 };
  const requests: FakeRequest[] = [];
  const hanging = new Set<ServerResponse>();
  let scriptIndex = 0;

  const pick = async (req: FakeRequest): Promise<FakeReply> => {
    if (opts.responder) return opts.responder(req);
    if (script.length && (loop || scriptIndex < script.length)) return script[scriptIndex++ % script.length];
    return defaultReply(req.body);
  };

  const server: Server = createServer((req, res) => {
    void handle(req, res).catch((err) => {
      if (!res.headersSent) res.writeHead(500, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: { message: String(err), type: "server_error" } }));
    });
  });
  server.keepAliveTimeout = 60_000;
  server.on("connection", () => stats.connections++);

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = req.url ?? "/";
    if (req.method === "GET" && url.endsWith("/models")) {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ object: "list", data: [{ id: "fake", object: "model" }] }));
      return;
    }
    if (req.method !== "POST" || !url.endsWith("/chat/completions")) {
      res.writeHead(404, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: { message: `no route ${req.method} ${url}` } }));
      return;
    }
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
    } catch {
      res.writeHead(400, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: { message: "request body is not JSON" } }));
      return;
    }
    const request: FakeRequest = { index: stats.requests++, body, headers: req.headers };
    if (requests.length < keep) requests.push(request);
    const reply = await pick(request);
    const wait = (reply.delayMs ?? 0) + (opts.latencyMs ?? 0);
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    if ("hang" in reply) {
      hanging.add(res);
      res.on("close", () => hanging.delete(res));
      return;
    }
    if ("status" in reply) {
      stats.errorsSent++;
      const headers: Record<string, string> = { "content-type": "application/json" };
      if (reply.retryAfter !== undefined) headers["retry-after"] = String(reply.retryAfter);
      res.writeHead(reply.status, headers);
      res.end(JSON.stringify({ error: { message: reply.message ?? `fake error ${reply.status}`, type: "fake_error" } }));
      return;
    }
    if ("malformed" in reply) {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(reply.malformed);
      return;
    }
    const messages = (body.messages as { content?: unknown }[] | undefined) ?? [];
    const promptTokens = messages.reduce((n, m) => n + approxTokens(typeof m.content === "string" ? m.content : "") + 3, 3);
    let message: Record<string, unknown>;
    let finish = "stop";
    let completionText = "";
    if ("tool" in reply) {
      const args = typeof reply.tool.arguments === "string" ? reply.tool.arguments : JSON.stringify(reply.tool.arguments);
      completionText = args;
      message = {
        role: "assistant",
        content: null,
        tool_calls: [{ id: `call_${request.index}`, type: "function", function: { name: reply.tool.name ?? "interact_with_env", arguments: args } }],
      };
      finish = "tool_calls";
    } else {
      completionText = reply.text;
      message = { role: "assistant", content: reply.text };
      if (reply.reasoning) message.reasoning_content = reply.reasoning;
    }
    const payload = {
      id: `chatcmpl-fake-${request.index}`,
      object: "chat.completion",
      created: Math.floor(Date.now() / 1000),
      model: typeof body.model === "string" ? body.model : "fake",
      choices: [{ index: 0, message, finish_reason: finish, logprobs: null }],
      usage: {
        prompt_tokens: promptTokens,
        completion_tokens: approxTokens(completionText),
        total_tokens: promptTokens + approxTokens(completionText),
      },
    };
    const out = JSON.stringify(payload);
    res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(out) });
    res.end(out);
  }

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port ?? 0, opts.host ?? "127.0.0.1", () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://${opts.host ?? "127.0.0.1"}:${port}/v1`,
    port,
    stats,
    requests,
    close: async () => {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
