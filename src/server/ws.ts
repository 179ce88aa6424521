/**
 * WebSocket transports: `/ws` (OpenEnv's session protocol, one connection = one session) and `/mcp`
 * (OpenEnv's JSON-RPC over WebSocket, one connection = one session). Every frame gets exactly one reply
 * (except `close`), in order; a bad frame is answered with a coded error and the session goes on.
 */
import type { RawData, WebSocket } from "ws";
import { stepSession } from "./actions.js";
import type { GymCatalog } from "./catalog.js";
import { openBudget, owedMs, replied, startedEpisodes, type BudgetRates } from "./connection-budget.js";
import { LARGE_FRAME_BYTES, type LargeFrameLane } from "./large-frames.js";
import { errorData, frameSchema, JSONRPC, parseJsonMessage, ProtocolError, rpcError, validate } from "./protocol.js";
import { CLOSE_CAPACITY, type SessionRegistry } from "./registry.js";
import type { JsonRpcHandler } from "./rpc.js";
import type { GymSession } from "./session.js";

/**
 * A client that stops reading its replies is dropped once this much is buffered for it (replies are small;
 * a few MiB is hundreds of them), so slow readers cannot grow the server's memory.
 */
export const MAX_BUFFERED_BYTES = 4 << 20;

export interface SocketDeps {
  registry: SessionRegistry;
  catalog: GymCatalog;
  rpc: JsonRpcHandler;
  largeFrames: LargeFrameLane;
  /** What one connection may ask for a second (connection-budget.ts). */
  budget: BudgetRates;
}

function send(ws: WebSocket, payload: unknown): void {
  if (ws.readyState !== ws.OPEN) return;
  if (ws.bufferedAmount > MAX_BUFFERED_BYTES) {
    ws.terminate();
    return;
  }
  const text = JSON.stringify(payload);
  ws.send(text);
  replied(ws, text.length);
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
  // Oversize frames and protocol violations: `ws` closes the connection itself (1009, 1002); its session is freed at
  // once, not when the socket is finally gone (an oversized frame's socket lingers unread, see shedOversizedFrames).
  ws.on("error", () => void deps.registry.close(session.id, "protocol error"));
  return session;
}

/** Parse a frame; after a large one, yield a turn of the event loop, so its parsing and its step block apart. */
async function parseJson(raw: RawData): Promise<{ ok: true; value: unknown } | { ok: false; message: string }> {
  let parsed: { ok: true; value: unknown } | { ok: false; message: string };
  try {
    parsed = { ok: true, value: parseJsonMessage(raw.toString()) };
  } catch (err) {
    parsed = { ok: false, message: `Invalid JSON: ${(err as Error).message}` };
  }
  if (rawSize(raw) >= LARGE_FRAME_BYTES) await new Promise((resolve) => setImmediate(resolve));
  return parsed;
}

/** `owner`: the connecting client's key (see `clientKey`), for the sessions it names in JSON-RPC frames. */
export function attachEnvSocket(ws: WebSocket, deps: SocketDeps, owner: string): void {
  const session = openSession(ws, deps, (err) => send(ws, { type: "error", data: errorData(err) }));
  if (!session) return;
  ws.on("message", inOrder(deps, ws, session, onFrame, (err) => send(ws, { type: "error", data: errorData(err) })));

  async function onFrame(raw: RawData): Promise<void> {
    const parsed = await parseJson(raw);
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
          return send(ws, { type: "mcp", data: await deps.rpc.handle(frame.data, owner, session) });
        default:
          throw new ProtocolError("UNKNOWN_TYPE", `Unknown message type: ${frame.type}`);
      }
    } catch (err) {
      send(ws, { type: "error", data: errorData(err) });
    }
  }
}

export function attachRpcSocket(ws: WebSocket, deps: SocketDeps, owner: string): void {
  const session = openSession(ws, deps, (err) => {
    const { message, ...data } = errorData(err);
    send(ws, rpcError(null, JSONRPC.SERVER_ERROR, message, data));
  });
  if (!session) return;
  const onFrame = async (raw: RawData) => {
    const parsed = await parseJson(raw);
    if (!parsed.ok) return send(ws, rpcError(null, JSONRPC.PARSE_ERROR, `Parse error: ${parsed.message}`));
    send(ws, await deps.rpc.handle(parsed.value, owner, session));
  };
  ws.on(
    "message",
    inOrder(deps, ws, session, onFrame, (err) => {
      const { message, ...data } = errorData(err);
      send(ws, rpcError(null, JSONRPC.SERVER_ERROR, message, data));
    }),
  );
}

/**
 * Handle a connection's frames strictly one after another, so replies come in the order of the requests
 * even when a client pipelines; a client that queues too many is told so at once. A client that sends while
 * it does not read its replies is dropped (see {@link MAX_BUFFERED_BYTES}), and the frames waiting for their
 * turn are bounded in bytes too, so neither direction grows the server's memory without bound. Large frames take
 * their turn in the server's large-frame lane (see {@link LargeFrameLane}). A connection over its budget of reply
 * bytes or episode starts (connection-budget.ts) waits before its next request is handled, and is not read
 * meanwhile: what it sends stays in its own buffers, costing the server nothing.
 */
function inOrder(deps: SocketDeps, ws: WebSocket, session: GymSession, handle: (raw: RawData) => Promise<void>, overload: (err: ProtocolError) => void): (raw: RawData) => void {
  openBudget(ws, deps.budget);
  let queue: Promise<void> = Promise.resolve();
  let queued = 0;
  let queuedBytes = 0;
  const max = deps.registry.maxPending;
  return (raw) => {
    if (ws.bufferedAmount > MAX_BUFFERED_BYTES) return ws.terminate();
    const due = owedMs(ws);
    if (due > 0 && !ws.isPaused) {
      ws.pause();
      setTimeout(() => ws.resume(), due);
    }
    const bytes = rawSize(raw);
    if (queued >= max || (queued > 0 && queuedBytes + bytes > MAX_BUFFERED_BYTES)) {
      overload(new ProtocolError("TOO_MANY_PENDING", `more than ${max} messages (or ${MAX_BUFFERED_BYTES} bytes) wait for an answer; wait for replies before sending more`));
      return;
    }
    queued++;
    queuedBytes += bytes;
    queue = queue
      .then(async () => {
        const wait = owedMs(ws);
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
        const episodes = session.episodeCount;
        try {
          return await deps.largeFrames.handle(bytes, () => handle(raw));
        } finally {
          startedEpisodes(ws, session.episodeCount - episodes);
        }
      })
      .catch(() => undefined)
      .finally(() => {
        queued--;
        queuedBytes -= bytes;
      });
  };
}

function rawSize(raw: RawData): number {
  return Array.isArray(raw) ? raw.reduce((n, b) => n + b.length, 0) : raw instanceof ArrayBuffer ? raw.byteLength : raw.length;
}
