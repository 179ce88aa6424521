import type { Duplex } from "node:stream";
import type { WebSocket } from "ws";

/**
 * Huge messages get a small share of the server. A frame or body of {@link LARGE_FRAME_BYTES} or more (an agent's
 * step is a few kB, and actions are cut at 20,000 characters anyway) costs milliseconds of parsing and copying on
 * the one event loop, and its megabytes of strings drive the garbage collector (whose marking steps, paid by the
 * allocating code, stall every client's step); a stream of them from a few clients would delay every other
 * client's step. So large messages are handled one at a time server-wide, and after each the lane rests: seven
 * times as long as the message took (at most an eighth of the server's time goes to them), and long enough that
 * they come in at no more than {@link LARGE_BYTES_PER_SECOND} together, whoever sends them. A small message waits
 * behind at most one of them; small messages never enter the lane.
 */
export const LARGE_FRAME_BYTES = 64 << 10;

/** Large messages, all clients together, are taken in at this rate at most (one 1 MiB message a second). */
export const LARGE_BYTES_PER_SECOND = 1 << 20;

/** The longest rest after one large message (one that waited on a slow simulated user rests no longer). */
const MAX_REST_MS = 1_000;

/** How long the lane rests after a message of `bytes` that took `tookMs`. */
export function restAfter(bytes: number, tookMs: number): number {
  return Math.min(MAX_REST_MS, Math.max(7 * tookMs, (1000 * bytes) / LARGE_BYTES_PER_SECOND - tookMs));
}

export class LargeFrameLane {
  private tail: Promise<unknown> = Promise.resolve();

  /** Run `handle` for a message of `bytes`: in the lane when it is large, at once otherwise. */
  handle<T>(bytes: number, handle: () => Promise<T>): Promise<T> {
    return bytes >= LARGE_FRAME_BYTES ? this.run(handle, bytes) : handle();
  }

  /** Run `handle` (everything a large message of `bytes` asks for) when the lane is free; the rest follows it. */
  run<T>(handle: () => Promise<T>, bytes = 0): Promise<T> {
    let rest = 0;
    const turn = this.tail.then(async () => {
      const t0 = performance.now();
      try {
        return await handle();
      } finally {
        rest = restAfter(bytes, performance.now() - t0);
      }
    });
    const settled = () => new Promise((resolve) => setTimeout(resolve, rest));
    this.tail = turn.then(settled, settled);
    return turn;
  }
}

/** How long a refused connection's socket lingers, unread, before it is destroyed. */
const SHED_GRACE_MS = 1_000;

/**
 * Oversized frames cost nothing beyond their header. `ws` refuses a frame whose declared length passes
 * `maxPayload` (close 1009) but then keeps reading and discarding the rest of it while the close handshake runs; a
 * client sending 2 MiB frames in a loop would make the server read every byte. Instead, once the 1009 close frame
 * is queued, the socket is no longer read (the sender is held back by TCP), the close frame and a FIN are sent, so
 * the client learns why at once, and the socket is destroyed after a short grace. `onRefused` hears of each
 * refusal (the server charges it to the peer, see RefusalThrottle).
 */
export function shedOversizedFrames(ws: WebSocket, socket: Duplex, onRefused: () => void): void {
  ws.on("error", (err: Error & { code?: string }) => {
    if (err.code !== "WS_ERR_UNSUPPORTED_MESSAGE_LENGTH") return;
    onRefused();
    // `ws` resumes the socket on the next tick to drain it; this pause is queued after that resume.
    process.nextTick(() => {
      socket.pause();
      socket.end();
      setTimeout(() => socket.destroy(), SHED_GRACE_MS).unref();
    });
  });
}
