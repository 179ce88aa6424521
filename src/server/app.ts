/**
 * The environment server: one HTTP server for every gym, with OpenEnv's WebSocket and HTTP protocol,
 * MCP (SDK streamable HTTP, plus OpenEnv's JSON-RPC), and the credit service (spec/ecosystem.md §1).
 *
 *   GET  /health /metadata /schema /openapi.json   public descriptions
 *   WS   /ws                                        OpenEnv sessions (reset / step / state / close / mcp)
 *   WS   /mcp                                       OpenEnv JSON-RPC over WebSocket
 *   POST /mcp, GET/DELETE /mcp                      MCP streamable HTTP, or OpenEnv JSON-RPC
 *   POST /reset /step, GET /state                   stateless, as OpenEnv (not in production mode)
 *   POST /credit                                    scores, advantages, per-turn credits
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { Duplex } from "node:stream";
import { WebSocketServer, type WebSocket } from "ws";
import { codeVersion } from "../rollout/store.js";
import { stepSession } from "./actions.js";
import { GymCatalog } from "./catalog.js";
import { creditRequest } from "./credit.js";
import { metadata, openapi, schemas } from "./describe.js";
import { BodyTooLargeError, clientKey, hostAllowed, originAllowed, presentedToken, readBody, sendJson, tokenChecker } from "./guard.js";
import { LargeFrameLane, shedOversizedFrames } from "./large-frames.js";
import { peerAddress, RefusalThrottle } from "./refusals.js";
import { McpGateway, serveStdio, type ServerInfo, type StdioStreams } from "./mcp.js";
import { resolveServerOptions, type ServerOptions } from "./options.js";
import { errorData, JSONRPC, parseJsonMessage, ProtocolError, rpcError } from "./protocol.js";
import { EpisodeRecorder } from "./recorder.js";
import { SessionRegistry } from "./registry.js";
import { JsonRpcHandler } from "./rpc.js";
import { attachEnvSocket, attachRpcSocket, type SocketDeps } from "./ws.js";

export interface RunningServer {
  /** `http://host:port` */
  url: string;
  port: number;
  options: ServerOptions;
  catalog: GymCatalog;
  registry: SessionRegistry;
  recorder: EpisodeRecorder;
  /** Drain live episodes (up to `drainMs`, default the server's drain timeout), then stop. */
  close(opts?: { drainMs?: number }): Promise<void>;
}

/** HTTP status of each error code when it is answered over HTTP. */
const HTTP_STATUS: Record<string, number> = {
  INVALID_JSON: 422,
  VALIDATION_ERROR: 422,
  CAPACITY_REACHED: 503,
  SHUTTING_DOWN: 503,
  TOO_MANY_PENDING: 429,
  NO_EPISODE: 409,
  EPISODE_ENDED: 409,
  FACTORY_ERROR: 500,
  EXECUTION_ERROR: 500,
  SESSION_ERROR: 500,
};

interface Core {
  options: ServerOptions;
  catalog: GymCatalog;
  recorder: EpisodeRecorder;
  registry: SessionRegistry;
  info: ServerInfo;
}

async function buildCore(partial: Partial<ServerOptions>): Promise<Core> {
  const options = resolveServerOptions(partial);
  const catalog = await GymCatalog.create(options.gyms, options.user, { judge: options.judge, gymOptions: options.gymOptions, defaultGym: options.defaultGym });
  let recorder: EpisodeRecorder;
  try {
    recorder = new EpisodeRecorder(
      { kind: "serve", gyms: catalog.names(), user: catalog.user.spec, mode: options.mode, compat: options.compat, maxTurns: options.maxTurns, prompts: options.prompts, ...(options.persona ? { persona: options.persona } : {}) },
      { out: options.out, remember: options.rememberEpisodes },
    );
  } catch (err) {
    await catalog.close();
    throw err;
  }
  const registry = new SessionRegistry({ catalog, recorder, options });
  return { options, catalog, recorder, registry, info: { name: "userrl", version: codeVersion() } };
}

export async function startServer(partial: Partial<ServerOptions> = {}): Promise<RunningServer> {
  const core = await buildCore(partial);
  const { options, catalog, recorder, registry, info } = core;
  const rpc = new JsonRpcHandler(registry, catalog);
  const gateway = new McpGateway(registry, catalog, info);
  const authorized = tokenChecker(options.token);
  const largeFrames = new LargeFrameLane();
  const refusals = new RefusalThrottle();
  const socketDeps: SocketDeps = { registry, catalog, rpc, largeFrames, budget: { episodesPerSecond: options.maxEpisodesPerSecond, replyBytesPerSecond: options.maxReplyBytesPerSecond } };
  const wss = new WebSocketServer({ noServer: true, maxPayload: options.maxMessageBytes });
  const server: Server = createServer((req, res) => void route(req, res));
  server.on("upgrade", (req, socket, head) => void upgrade(req, socket, head));
  // A slow client must not hold a connection forever mid-request.
  server.requestTimeout = Math.max(options.stepTimeoutMs + 30_000, 60_000);
  server.headersTimeout = 30_000;

  /** Whether to go on with a request: a peer whose messages keep being refused waits first (see RefusalThrottle). */
  async function admitted(socket: Duplex & { remoteAddress?: string }): Promise<boolean> {
    const address = peerAddress(socket);
    const ms = refusals.holdFor(socket, address);
    if (ms === undefined) {
      socket.destroy();
      return false;
    }
    if (ms > 0) await refusals.hold(address!, ms);
    return !socket.destroyed;
  }

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!(await admitted(req.socket))) return;
    try {
      if (!hostAllowed(req, options.host)) return sendJson(res, 403, { detail: "Host header not allowed on a loopback server", code: "FORBIDDEN_HOST" });
      if (!originAllowed(req, options.allowOrigins)) return sendJson(res, 403, { detail: "Origin not allowed (see --allow-origin)", code: "FORBIDDEN_ORIGIN" });
      // An allowed page may read the replies (CORS); its preflight is answered here.
      if (req.headers.origin !== undefined) {
        res.setHeader("access-control-allow-origin", req.headers.origin);
        res.setHeader("vary", "origin");
      }
      const path = new URL(req.url ?? "/", "http://local").pathname;
      const method = req.method ?? "GET";
      if (method === "OPTIONS") {
        res.writeHead(204, {
          "access-control-allow-methods": "GET, POST, DELETE, OPTIONS",
          "access-control-allow-headers": "authorization, content-type, mcp-session-id, mcp-protocol-version, last-event-id",
          "access-control-max-age": "600",
        });
        return void res.end();
      }
      if (method === "GET") {
        if (path === "/health") return sendJson(res, 200, { status: "healthy" });
        if (path === "/metadata") return sendJson(res, 200, metadata(catalog, info.version));
        if (path === "/schema") return sendJson(res, 200, schemas());
        if (path === "/openapi.json") return sendJson(res, 200, openapi(info.version, options.production));
      }
      if (!authorized(presentedToken(req, false))) {
        return sendJson(res, 401, { detail: "missing or wrong bearer token", code: "UNAUTHORIZED" }, { "www-authenticate": "Bearer" });
      }
      if (path === "/mcp") return await mcp(req, res, clientKey(req, presentedToken(req, false)));
      const sim = !options.production;
      if (method === "POST" && path === "/credit") {
        // LookAhead replays stored episodes under the served settings, with the served simulated user.
        const replayConfig = { maxTurns: options.maxTurns, prompts: options.prompts, gymOptions: options.gymOptions, persona: options.persona };
        return sendJson(res, 200, await withBody(req, (body) => creditRequest(body, { recorder, users: catalog.user, replayConfig })));
      }
      if (sim && method === "POST" && path === "/reset") return sendJson(res, 200, await withBody(req, (body) => oneShot(body, false)));
      if (sim && method === "POST" && path === "/step") return sendJson(res, 200, await withBody(req, (body) => oneShot(body, true)));
      if (sim && method === "GET" && path === "/state") return sendJson(res, 200, { episode_id: null, step_count: 0 });
      return sendJson(res, 404, { detail: `no route ${method} ${path}`, code: "NOT_FOUND" });
    } catch (err) {
      if (err instanceof BodyTooLargeError) {
        refusals.refused(peerAddress(req.socket));
        return sendJson(res, 413, { detail: err.message, code: "PAYLOAD_TOO_LARGE" }, { connection: "close" });
      }
      const d = errorData(err);
      sendJson(res, HTTP_STATUS[d.code] ?? 500, { detail: d.message, ...d });
    }
  }

  /** Read a JSON body and answer it with `answer`; a large body is answered in the large-frame lane. */
  async function withBody<T>(req: IncomingMessage, answer: (body: unknown) => Promise<T>): Promise<T> {
    const text = await readBody(req, options.maxMessageBytes);
    return largeFrames.handle(text.length, () => answer(jsonOf(text)));
  }

  function jsonOf(text: string): unknown {
    if (text.trim() === "") return {};
    try {
      return parseJsonMessage(text);
    } catch (err) {
      throw new ProtocolError("INVALID_JSON", `Invalid JSON: ${(err as Error).message}`);
    }
  }

  /** Stateless `/reset` and `/step`, as OpenEnv: a fresh session per request, closed right after. */
  async function oneShot(body: unknown, step: boolean): Promise<unknown> {
    const b = (body && typeof body === "object" && !Array.isArray(body) ? body : {}) as Record<string, unknown>;
    if (step && (b.action === undefined || b.action === null)) throw new ProtocolError("VALIDATION_ERROR", 'invalid step request: "action" is required');
    const session = registry.open("http");
    try {
      const reset = await session.run(() => session.reset(b));
      return step ? await stepSession(session, catalog, b.action) : reset;
    } finally {
      await registry.close(session.id, "stateless request");
    }
  }

  async function mcp(req: IncomingMessage, res: ServerResponse, owner: string): Promise<void> {
    if (req.method !== "POST") return mcpAnswer(req, res, owner, undefined);
    const text = await readBody(req, options.maxMessageBytes);
    return largeFrames.handle(text.length, () => mcpAnswer(req, res, owner, text));
  }

  async function mcpAnswer(req: IncomingMessage, res: ServerResponse, owner: string, text: string | undefined): Promise<void> {
    let body: unknown;
    if (text !== undefined) {
      try {
        body = parseJsonMessage(text);
      } catch {
        return sendJson(res, 200, rpcError(null, JSONRPC.PARSE_ERROR, "Parse error"));
      }
    }
    if (McpGateway.claims(req, body)) return gateway.handle(req, res, body, owner);
    sendJson(res, 200, await rpc.handle(body, owner));
  }

  async function upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    socket.on("error", () => undefined);
    if (!(await admitted(req.socket))) return;
    const path = new URL(req.url ?? "/", "http://local").pathname;
    const refuse = (status: number, text: string) => {
      socket.end(`HTTP/1.1 ${status} ${text}\r\nconnection: close\r\ncontent-type: text/plain\r\ncontent-length: ${Buffer.byteLength(text)}\r\n\r\n${text}`);
    };
    if (!hostAllowed(req, options.host)) return refuse(403, "Forbidden");
    if (!originAllowed(req, options.allowOrigins)) return refuse(403, "Forbidden origin");
    if (path !== "/ws" && path !== "/mcp") return refuse(404, "Not Found");
    if (!authorized(presentedToken(req, true))) return refuse(401, "Unauthorized");
    const owner = clientKey(req, presentedToken(req, true));
    wss.handleUpgrade(req, socket, head, (ws: WebSocket) => {
      shedOversizedFrames(ws, socket, () => refusals.refused(peerAddress(req.socket)));
      if (path === "/ws") attachEnvSocket(ws, socketDeps, owner);
      else attachRpcSocket(ws, socketDeps, owner);
    });
  }

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const addr = server.address();
  const port = typeof addr === "object" && addr ? addr.port : options.port;
  const hostForUrl = options.host.includes(":") ? `[${options.host}]` : options.host === "0.0.0.0" ? "127.0.0.1" : options.host;

  let closing: Promise<void> | undefined;
  return {
    url: `http://${hostForUrl}:${port}`,
    port,
    options,
    catalog,
    registry,
    recorder,
    close(opts = {}) {
      closing ??= (async () => {
        await registry.shutdown(opts.drainMs ?? options.drainTimeoutMs);
        await gateway.closeAll();
        for (const c of wss.clients) c.terminate();
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        });
        recorder.close();
        await catalog.close();
      })();
      return closing;
    },
  };
}

/** `userrl serve --stdio`: MCP over stdin/stdout, one session, until the client closes stdin. */
export async function runStdioServer(partial: Partial<ServerOptions> = {}, io?: StdioStreams): Promise<void> {
  const core = await buildCore({ ...partial, maxSessions: 1, idleTimeoutMs: 0 });
  try {
    await serveStdio(core.registry, core.catalog, core.info, io);
  } finally {
    await core.registry.shutdown(0);
    core.recorder.close();
    await core.catalog.close();
  }
}
