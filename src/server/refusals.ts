/**
 * A peer whose messages keep being refused for their size waits before its next connection is served. Refusing an
 * oversized frame or body is cheap, but not free: accepting the connection, its HTTP request and WebSocket upgrade
 * cost about a millisecond of CPU (much of it in the kernel), and a client refusing nothing else but sending them in
 * a loop would take a core from everyone. Shedding them faster only lets the loop go faster. So each refusal is
 * charged to the peer's address, and an address charged more than {@link REFUSAL_BURST} times recently has the
 * first request of each new connection held, unanswered, until the address is due again: refusals are served at
 * {@link REFUSALS_PER_SECOND} per address at most. Connections already served go on undelayed, and an address that
 * is never refused is never held. On one machine every local client shares an address: a local client connecting
 * while another one is being held waits its turn too (at most a second between two of its connections).
 */
import { TokenBucket } from "./token-bucket.js";

/** Refusals an address may collect at once before it is held. */
export const REFUSAL_BURST = 32;

/** How many refusals an address is served a second once it has used up its burst. */
export const REFUSALS_PER_SECOND = 8;

/** Connections of one address held at once; more are closed at once (a client opening them in parallel). */
export const MAX_HELD_PER_ADDRESS = 64;

/** The longest hold: a debt this deep is as deep as it gets. */
const MAX_HOLD_MS = 5_000;

interface Account {
  /** Refusals the address may still collect; in debt, it owes time. */
  refusals: TokenBucket;
  held: number;
}

export class RefusalThrottle {
  private readonly accounts = new Map<string, Account>();
  private readonly served = new WeakSet<object>();

  constructor(private readonly now: () => number = () => performance.now()) {}

  /** Charge a refusal (an oversized frame or body) to `address`. */
  refused(address: string | undefined): void {
    if (address !== undefined) this.account(address).refusals.take();
  }

  /**
   * How long the first request of `connection` (from `address`) waits before it is served: 0 when the address owes
   * nothing, or the connection was served before; undefined when the address already has as many connections
   * waiting as it may (close this one).
   */
  holdFor(connection: object, address: string | undefined): number | undefined {
    if (address === undefined || this.served.has(connection)) return 0;
    this.served.add(connection);
    const a = this.accounts.get(address);
    const owed = a?.refusals.owedMs() ?? 0;
    if (owed === 0) return 0;
    return a!.held >= MAX_HELD_PER_ADDRESS ? undefined : owed;
  }

  /** Wait out a hold of `ms` for `address`, counted among its held connections meanwhile. */
  async hold(address: string, ms: number): Promise<void> {
    const a = this.account(address);
    a.held++;
    try {
      await new Promise((resolve) => setTimeout(resolve, ms));
    } finally {
      a.held--;
    }
  }

  private account(address: string): Account {
    let a = this.accounts.get(address);
    if (!a) {
      // Addresses that have paid their debt are forgotten, so the map holds only those refused lately.
      if (this.accounts.size >= 4096) for (const [k, v] of this.accounts) if (v.refusals.full && v.held === 0) this.accounts.delete(k);
      // The debt is capped at MAX_HOLD_MS of refusals: the longest hold.
      a = { refusals: new TokenBucket(REFUSALS_PER_SECOND, REFUSAL_BURST, { maxDebt: (REFUSALS_PER_SECOND * MAX_HOLD_MS) / 1000, now: this.now }), held: 0 };
      this.accounts.set(address, a);
    }
    return a;
  }
}

/** The peer address of a request's connection, as the throttle keys it. */
export function peerAddress(socket: { remoteAddress?: string }): string | undefined {
  return socket.remoteAddress?.replace(/^::ffff:/, "");
}
