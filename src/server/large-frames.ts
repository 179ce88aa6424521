import type { Duplex } from "node:stream";
import type { WebSocket } from "ws";

/**
 * Huge messages get a small share of the server. A frame or body of {@link LARGE_FRAME_BYTES} or more (an agent's
 * step is a few kB, and actions are cut at 20,000 characters anyway) costs milliseconds of parsing and copying on
 * the one event loop, and its garbage costs collection pauses; a stream of them from a few clients would delay every
 * other client's step. So large messages are handled one at a time server-wide, and after each the lane rests
 * seven times as long as it took: at most an eighth of the server's time goes to them, whoever sends them, and a
 * small message waits behind at most one of them. Small messages never enter the lane.
 */
export const LARGE_FRAME_BYTES = 64 << 10;

/** The longest rest after one large message (one that waited on a slow simulated user rests no longer). */
const MAX_REST_MS = 1_000;

export class LargeFrameLane {
  private tail: Promise<unknown> = Promise.resolve();

  /** Run `handle` for a message of `bytes`: in the lane when it is large, at once otherwise. */
  handle<T>(bytes: number, handle: () => Promise<T>): Promise<T> {
    return bytes >= LARGE_FRAME_BYTES ? this.run(handle) : handle();
  }

  /** Run `handle` (everything a large message asks for) when the lane is free; the rest follows it. */
  run<T>(handle: () => Promise<T>): Promise<T> {
    let rest = 0;
    const turn = this.tail.then(async () => {
      const t0 = performance.now();
      try {
        return await handle();
      } finally {
        rest = Math.min(MAX_REST_MS, 7 * (performance.now() - t0));
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
 * the client learns why at once, and the socket is destroyed after a short grace.
 */
export function shedOversizedFrames(ws: WebSocket, socket: Duplex): void {
  ws.on("error", (err: Error & { code?: string }) => {
    if (err.code !== "WS_ERR_UNSUPPORTED_MESSAGE_LENGTH") return;
    // `ws` resumes the socket on the next tick to drain it; this pause is queued after that resume.
    process.nextTick(() => {
      socket.pause();
      socket.end();
      setTimeout(() => socket.destroy(), SHED_GRACE_MS).unref();
    });
  });
}
