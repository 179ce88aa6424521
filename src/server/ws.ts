/**
 * WebSocket transports: `/ws` (OpenEnv's session protocol, one connection = one session) and `/mcp`
 * (OpenEnv's JSON-RPC over WebSocket, one connection = one session). Every frame gets exactly one reply
 * (except `close`), in order; a bad frame is answered with a coded error and the session goes on.
 */
import type { RawData, WebSocket } from "ws";
import { stepSession } from "./actions.js";
import type { GymCatalog } from "./catalog.js";
import { errorData, frameSchema, JSONRPC, parseJsonMessage, ProtocolError, rpcError, validate } from "./protocol.js";
import { CLOSE_CAPACITY, type SessionRegistry } from "./registry.js";
import type { JsonRpcHandler } from "./rpc.js";
import type { GymSession } from "./session.js";

/** A client that stops reading its replies is dropped once this much is buffered for it. */
const MAX_BUFFERED_BYTES = 64 << 20;

export interface SocketDeps {
  registry: SessionRegistry;
  catalog: GymCatalog;
  rpc: JsonRpcHandler;
}

function send(ws: WebSocket, payload: unknown): void {
  if (ws.readyState !== ws.OPEN) return;
  if (ws.bufferedAmount > MAX_BUFFERED_BYTES) {
    ws.terminate();
    return;
  }
  ws.send(JSON.stringify(payload));
}

/** Open a session for a new connection, or answer why not and close. */
function openSession(ws: WebSocket, deps: SocketDeps, onRefused: (err: unknown) => void): GymSession | undefined {
  let session: GymSession;
  try {
    session = deps.registry.open("ws");
  } catch (err) {
    onRefused(err);
    ws.close(CLOSE_CAPACITY, errorData(err).code);
    return undefined;
  }
  session.onServerClose = (code, reason) => ws.close(code, reason.slice(0, 120));
  ws.on("close", () => void deps.registry.close(session.id, "client disconnected"));
  // Oversize frames and protocol violations: `ws` closes the socket itself (1009, 1002); the close handler frees the session.
  ws.on("error", () => undefined);
  return session;
}

function parseJson(raw: RawData): { ok: true; value: unknown } | { ok: false; message: string } {
  try {
    return { ok: true, value: parseJsonMessage(raw.toString()) };
  } catch (err) {
    return { ok: false, message: `Invalid JSON: ${(err as Error).message}` };
  }
}

export function attachEnvSocket(ws: WebSocket, deps: SocketDeps): void {
  const session = openSession(ws, deps, (err) => send(ws, { type: "error", data: errorData(err) }));
  if (!session) return;
  ws.on("message", inOrder(deps, onFrame, (err) => send(ws, { type: "error", data: errorData(err) })));

  async function onFrame(raw: RawData): Promise<void> {
    const parsed = parseJson(raw);
    if (!parsed.ok) return send(ws, { type: "error", data: { message: parsed.message, code: "INVALID_JSON" } });
    try {
      const frame = validate(frameSchema, parsed.value, "message (expected {\"type\": …, \"data\": …})");
      switch (frame.type) {
        case "reset":
          return send(ws, { type: "observation", data: await session!.run(() => session!.reset(frame.data ?? {})) });
        case "step": {
          const t0 = performance.now();
          const reply = await stepSession(session!, deps.catalog, frame.data);
          const timing = reply.observation.timing as Record<string, number> | undefined;
          if (timing) timing.server_ms = performance.now() - t0;
          return send(ws, { type: "observation", data: reply });
        }
        case "state":
          return send(ws, { type: "state", data: await session!.run(async () => session!.state()) });
        case "close":
          ws.close(1000, "closed by client");
          return;
        case "mcp":
          return send(ws, { type: "mcp", data: await deps.rpc.handle(frame.data, session) });
        default:
          throw new ProtocolError("UNKNOWN_TYPE", `Unknown message type: ${frame.type}`);
      }
    } catch (err) {
      send(ws, { type: "error", data: errorData(err) });
    }
  }
}

export function attachRpcSocket(ws: WebSocket, deps: SocketDeps): void {
  const session = openSession(ws, deps, (err) => {
    const { message, ...data } = errorData(err);
    send(ws, rpcError(null, JSONRPC.SERVER_ERROR, message, data));
  });
  if (!session) return;
  const onFrame = async (raw: RawData) => {
    const parsed = parseJson(raw);
    if (!parsed.ok) return send(ws, rpcError(null, JSONRPC.PARSE_ERROR, `Parse error: ${parsed.message}`));
    send(ws, await deps.rpc.handle(parsed.value, session));
  };
  ws.on(
    "message",
    inOrder(deps, onFrame, (err) => {
      const { message, ...data } = errorData(err);
      send(ws, rpcError(null, JSONRPC.SERVER_ERROR, message, data));
    }),
  );
}

/**
 * Handle a connection's frames strictly one after another, so replies come in the order of the requests
 * even when a client pipelines; a client that queues too many is told so at once.
 */
function inOrder(deps: SocketDeps, handle: (raw: RawData) => Promise<void>, overload: (err: ProtocolError) => void): (raw: RawData) => void {
  let queue: Promise<void> = Promise.resolve();
  let queued = 0;
  const max = deps.registry.maxPending;
  return (raw) => {
    if (queued >= max) {
      overload(new ProtocolError("TOO_MANY_PENDING", `more than ${max} messages wait for an answer; wait for replies before sending more`));
      return;
    }
    queued++;
    queue = queue
      .then(() => handle(raw))
      .catch(() => undefined)
      .finally(() => void queued--);
  };
}
