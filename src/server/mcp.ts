/**
 * MCP with the official SDK: the server's tools over the streamable HTTP transport (`/mcp` requests
 * that carry an MCP session, or initialize one) and over stdio. One MCP session is one server session,
 * counted against the same capacity as `/ws` sessions.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Readable, Writable } from "node:stream";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import { isInitializeRequest } from "@modelcontextprotocol/sdk/types.js";
import type { GymCatalog } from "./catalog.js";
import { errorData, JSONRPC, rpcError } from "./protocol.js";
import type { SessionRegistry } from "./registry.js";
import type { GymSession } from "./session.js";
import { callTool, SERVER_TOOLS } from "./tools.js";

const INSTRUCTIONS =
  "userrl gyms: interactive tasks with a simulated user. Call list_gyms and list_tasks to choose, start_episode " +
  "to begin (it returns your instructions and the user's first message), then interact_with_env with " +
  "{choice, content} until the episode ends. episode_state shows the rewards so far.";

export interface ServerInfo {
  name: string;
  version: string;
}

/** An MCP server whose tools play one session. */
export function buildMcpServer(session: GymSession, catalog: GymCatalog, info: ServerInfo): McpServer {
  const server = new McpServer(info, { instructions: INSTRUCTIONS });
  for (const tool of SERVER_TOOLS) {
    const config = { title: tool.title, description: tool.description, inputSchema: tool.input, outputSchema: tool.output };
    server.registerTool(tool.name, config, async (args: Record<string, unknown>) => {
      try {
        const r = await session.run(() => callTool(session, catalog, tool.name, args));
        // A refusal is text only: structured content must match the tool's output schema, which describes success.
        if (r.isError) return { content: [{ type: "text" as const, text: r.text }], isError: true };
        return { content: [{ type: "text" as const, text: r.text }], structuredContent: r.data, isError: false };
      } catch (err) {
        return { content: [{ type: "text" as const, text: errorData(err).message }], isError: true };
      }
    });
  }
  return server;
}

/** Routes `/mcp` requests of MCP clients to their session's streamable HTTP transport. */
export class McpGateway {
  private readonly transports = new Map<string, StreamableHTTPServerTransport>();

  constructor(
    private readonly registry: SessionRegistry,
    private readonly catalog: GymCatalog,
    private readonly info: ServerInfo,
  ) {}

  /** True when the request belongs to the MCP transport rather than OpenEnv's plain JSON-RPC. */
  static claims(req: IncomingMessage, body: unknown): boolean {
    if (req.headers["mcp-session-id"] !== undefined) return true;
    if (req.method !== "POST") return true;
    return isInitializeRequest(body) || (Array.isArray(body) && body.some((m) => isInitializeRequest(m)));
  }

  /** `owner`: the client's key; an MCP session answers only the client that initialized it. */
  async handle(req: IncomingMessage, res: ServerResponse, body: unknown, owner: string): Promise<void> {
    const sid = req.headers["mcp-session-id"];
    if (typeof sid === "string") {
      const t = this.registry.lookup(sid, owner) && this.transports.get(sid);
      if (!t) return sendRpc(res, 404, rpcError(null, JSONRPC.INVALID_REQUEST, "Unknown or expired MCP session; initialize a new one"));
      return t.handleRequest(req, res, body);
    }
    if (req.method !== "POST") return sendRpc(res, 400, rpcError(null, JSONRPC.INVALID_REQUEST, "Bad Request: no MCP session id"));
    let session: GymSession;
    try {
      session = this.registry.open("mcp", { key: owner, connectionless: true });
    } catch (err) {
      const { message, ...data } = errorData(err);
      return sendRpc(res, 200, rpcError(firstId(body), JSONRPC.SERVER_ERROR, message, data));
    }
    const transport = new StreamableHTTPServerTransport({
      sessionIdGenerator: () => session.id,
      enableJsonResponse: true,
      onsessioninitialized: (id) => void this.transports.set(id, transport),
    });
    const release = (reason: string) => {
      this.transports.delete(session.id);
      void this.registry.close(session.id, reason);
    };
    transport.onclose = () => release("MCP session closed");
    session.onServerClose = () => {
      this.transports.delete(session.id);
      void transport.close();
    };
    const server = buildMcpServer(session, this.catalog, this.info);
    await server.connect(transport);
    await transport.handleRequest(req, res, body);
    if (!this.transports.has(session.id)) release("MCP initialization failed");
  }

  async closeAll(): Promise<void> {
    await Promise.all([...this.transports.values()].map((t) => t.close().catch(() => undefined)));
    this.transports.clear();
  }
}

export interface StdioStreams {
  stdin: Readable;
  stdout: Writable;
}

/** Serve one session over stdio until stdin closes (for MCP clients that launch `userrl serve --stdio`). */
export async function serveStdio(registry: SessionRegistry, catalog: GymCatalog, info: ServerInfo, io: StdioStreams = process): Promise<void> {
  const session = registry.open("mcp");
  const server = buildMcpServer(session, catalog, info);
  const transport = new StdioServerTransport(io.stdin, io.stdout);
  const closed = new Promise<void>((resolve) => {
    transport.onclose = () => resolve();
    io.stdin.once("end", () => resolve());
    io.stdin.once("close", () => resolve());
  });
  await server.connect(transport);
  await closed;
  await registry.close(session.id, "stdio closed");
  await server.close();
}

function firstId(body: unknown): unknown {
  const m = Array.isArray(body) ? body[0] : body;
  return m && typeof m === "object" ? (m as { id?: unknown }).id : null;
}

function sendRpc(res: ServerResponse, status: number, payload: unknown): void {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(payload));
}
