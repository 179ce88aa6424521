/**
 * OpenEnv's JSON-RPC surface (spec/ecosystem.md §1.5): `tools/list`, `tools/call` (with an optional
 * `session_id`), `openenv/session/create` and `openenv/session/close`. Served on `POST /mcp` for requests
 * without an MCP session header, on WebSocket `/mcp`, and inside `/ws` as `{"type":"mcp"}` frames.
 * Malformed requests get a JSON-RPC error object, never an HTTP error (OpenEnv's validator relies on it).
 */
import type { GymCatalog } from "./catalog.js";
import { errorData, JSONRPC, jsonRpcRequestSchema, rpcError, rpcResult } from "./protocol.js";
import type { SessionRegistry } from "./registry.js";
import type { GymSession } from "./session.js";
import { callTool, findTool, mcpResult, toolList } from "./tools.js";

export class JsonRpcHandler {
  constructor(
    private readonly registry: SessionRegistry,
    private readonly catalog: GymCatalog,
  ) {}

  /**
   * Answer one request from the client `owner` (its `clientKey`); `bound` is the session of the connection it
   * came on (WebSocket transports). Sessions named by id are those this client created with
   * `openenv/session/create` over HTTP; any other id is unknown to it.
   */
  async handle(body: unknown, owner: string, bound?: GymSession): Promise<Record<string, unknown>> {
    const parsed = jsonRpcRequestSchema.safeParse(body);
    if (!parsed.success) {
      const id = body && typeof body === "object" ? (body as { id?: unknown }).id : null;
      return rpcError(id, JSONRPC.INVALID_REQUEST, "Invalid request: expected a JSON-RPC 2.0 request object");
    }
    const { method, id } = parsed.data;
    const params = parsed.data.params ?? {};
    if (typeof params !== "object" || params === null || Array.isArray(params)) return rpcError(id, JSONRPC.INVALID_PARAMS, "Params must be an object");
    const p = params as Record<string, unknown>;
    try {
      switch (method) {
        case "openenv/session/create": {
          if (bound) return rpcResult(id, { session_id: bound.id });
          return rpcResult(id, { session_id: this.registry.open("rpc", { key: owner, connectionless: true }).id });
        }
        case "openenv/session/close": {
          const target = p.session_id;
          if (typeof target !== "string" || !target) return rpcError(id, JSONRPC.INVALID_PARAMS, "Invalid params - 'session_id' is required");
          if (bound && target === bound.id) return rpcError(id, JSONRPC.INVALID_REQUEST, "Cannot close the session of this connection via MCP; close the connection");
          if (!this.registry.lookup(target, owner)) return rpcError(id, JSONRPC.INVALID_PARAMS, `Unknown session_id: ${target.slice(0, 80)}`);
          await this.registry.close(target, "closed by openenv/session/close");
          return rpcResult(id, { session_id: target, closed: true });
        }
        case "tools/list":
          return rpcResult(id, { tools: toolList() });
        case "tools/call":
          return await this.call(id, p, owner, bound);
        default:
          return rpcError(id, JSONRPC.METHOD_NOT_FOUND, `Method not found: ${method}`);
      }
    } catch (err) {
      const d = errorData(err);
      const { message, ...data } = d;
      return rpcError(id, JSONRPC.SERVER_ERROR, message, data);
    }
  }

  private async call(id: unknown, p: Record<string, unknown>, owner: string, bound?: GymSession): Promise<Record<string, unknown>> {
    const name = p.name;
    if (typeof name !== "string" || !name) return rpcError(id, JSONRPC.INVALID_PARAMS, "Missing 'name' in params");
    if (!findTool(name)) return rpcError(id, JSONRPC.INVALID_PARAMS, `Tool not found: ${name.slice(0, 80)}`);
    let session = bound;
    let temporary = false;
    if (!session && typeof p.session_id === "string" && p.session_id) {
      session = this.registry.lookup(p.session_id, owner);
      if (!session) return rpcError(id, JSONRPC.INVALID_PARAMS, `Unknown session_id: ${p.session_id.slice(0, 80)}`);
    }
    if (!session) {
      // Stateless call, as OpenEnv: a fresh session for this one request.
      session = this.registry.open("rpc");
      temporary = true;
    }
    const s = session;
    try {
      const r = await s.run(() => callTool(s, this.catalog, name, p.arguments ?? {}));
      if (r.invalidArgs) return rpcError(id, JSONRPC.INVALID_PARAMS, r.text);
      return rpcResult(id, mcpResult(r));
    } finally {
      if (temporary) await this.registry.close(s.id, "stateless tools/call");
    }
  }
}
