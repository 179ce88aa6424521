/**
 * What one connection may ask of the server, so that none takes it from the others. A client that asks for
 * episodes back to back and never reads the replies costs the server the work of each (starting a TauGym episode
 * is about half a millisecond) until the kernel's buffers (several MiB on one machine) and then the server's own
 * fill up and it is dropped; pipelining without reading, it would take a good part of a core meanwhile. So each
 * connection has two budgets, each a rate with a burst of twice the rate, far above what an agent needs (the
 * server's `maxReplyBytesPerSecond` and `maxEpisodesPerSecond`, by default 512 KiB and 20):
 *  - reply bytes (an agent's step reply is a few kB; TauGym's first observation 4–7 kB);
 *  - episode starts (an agent plays at least one step an episode, and its model takes longer than that).
 * A connection over either waits before its next request is handled, and is not read meanwhile: what it sends stays
 * in its own buffers, costing the server nothing.
 */
import type { WebSocket } from "ws";
import { TokenBucket } from "./token-bucket.js";

/** A connection's rates (the burst is twice each). */
export interface BudgetRates {
  episodesPerSecond: number;
  replyBytesPerSecond: number;
}

interface Budget {
  replyBytes: TokenBucket;
  episodes: TokenBucket;
}

const budgets = new WeakMap<WebSocket, Budget>();

/** Give a new connection its budgets. Until it has them (or for a socket never given any) nothing is counted. */
export function openBudget(ws: WebSocket, rates: BudgetRates): void {
  budgets.set(ws, {
    replyBytes: new TokenBucket(rates.replyBytesPerSecond, 2 * rates.replyBytesPerSecond),
    episodes: new TokenBucket(rates.episodesPerSecond, 2 * rates.episodesPerSecond),
  });
}

/** Count a reply of `bytes` sent on `ws`. */
export function replied(ws: WebSocket, bytes: number): void {
  budgets.get(ws)?.replyBytes.take(bytes);
}

/** Count `count` episodes started on `ws`. */
export function startedEpisodes(ws: WebSocket, count: number): void {
  if (count > 0) budgets.get(ws)?.episodes.take(count);
}

/** How long the connection's next request waits (0: at once). */
export function owedMs(ws: WebSocket): number {
  const b = budgets.get(ws);
  return b ? Math.max(b.replyBytes.owedMs(), b.episodes.owedMs()) : 0;
}
