/**
 * A WebSocket's JSON frames in arrival order: `next()` answers the oldest queued frame, or waits for the next one.
 * Shared by the server tests and the hostile-mix attacker (the bench build does not compile `test/`).
 */
import type WebSocket from "ws";

export function frameQueue(ws: WebSocket): { next(): Promise<any>; release(value: unknown): void } {
  const frames: unknown[] = [];
  const waiters: ((f: unknown) => void)[] = [];
  ws.on("message", (raw) => {
    const f = JSON.parse(raw.toString());
    const w = waiters.shift();
    if (w) w(f);
    else frames.push(f);
  });
  return {
    next: () => (frames.length ? Promise.resolve(frames.shift()) : new Promise((resolve) => waiters.push(resolve))),
    /** Answers every waiting `next()` with `value` (e.g. once the socket closed). */
    release: (value) => waiters.splice(0).forEach((w) => w(value)),
  };
}
