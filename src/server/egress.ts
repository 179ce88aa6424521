/**
 * Each connection is answered at a bounded rate. A client that keeps asking for large replies (TauGym's first
 * observation is ~20 kB) and never reads them costs the server the work of every reply until the kernel's buffers
 * (several MiB on one machine) and then the server's own fill up and it is dropped; pipelining requests without
 * reading, it would take a core meanwhile. So the bytes sent to a connection are counted, and once a connection has
 * been sent {@link EGRESS_BURST_BYTES} more than {@link EGRESS_BYTES_PER_SECOND} allows, its next request waits
 * until it is due. An agent's replies are a few kB a step, far below the rate.
 */
import type { WebSocket } from "ws";

export const EGRESS_BYTES_PER_SECOND = 512 << 10;
export const EGRESS_BURST_BYTES = 1 << 20;

interface Budget {
  bytes: number;
  at: number;
}

const budgets = new WeakMap<WebSocket, Budget>();

function budgetOf(ws: WebSocket): Budget {
  let b = budgets.get(ws);
  if (!b) budgets.set(ws, (b = { bytes: EGRESS_BURST_BYTES, at: performance.now() }));
  const t = performance.now();
  b.bytes = Math.min(EGRESS_BURST_BYTES, b.bytes + ((t - b.at) * EGRESS_BYTES_PER_SECOND) / 1000);
  b.at = t;
  return b;
}

/** Count `bytes` sent to `ws`. */
export function sent(ws: WebSocket, bytes: number): void {
  budgetOf(ws).bytes -= bytes;
}

/** How long the connection's next request waits (0: at once). */
export function egressWait(ws: WebSocket): number {
  const b = budgetOf(ws);
  return b.bytes >= 0 ? 0 : (-b.bytes * 1000) / EGRESS_BYTES_PER_SECOND;
}
