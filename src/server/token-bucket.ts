/**
 * A token bucket: `rate` tokens come back a second, up to `burst`; taking more than there are leaves a debt, paid
 * back in time (at most `maxDebt` tokens of it). The server's per-client bounds (connection-budget.ts, refusals.ts)
 * count with it.
 */
export class TokenBucket {
  private tokens: number;
  private at: number;

  constructor(
    private readonly rate: number,
    private readonly burst: number,
    private readonly opts: { maxDebt?: number; now?: () => number } = {},
  ) {
    this.tokens = burst;
    this.at = this.now();
  }

  take(n = 1): void {
    this.refill();
    this.tokens = Math.max(this.tokens - n, -(this.opts.maxDebt ?? Infinity));
  }

  /** Milliseconds until the bucket owes nothing (0 when it does not). */
  owedMs(): number {
    this.refill();
    return this.tokens >= 0 ? 0 : (-this.tokens * 1000) / this.rate;
  }

  /** Whether every token is back. */
  get full(): boolean {
    this.refill();
    return this.tokens >= this.burst;
  }

  private now(): number {
    return this.opts.now ? this.opts.now() : performance.now();
  }

  private refill(): void {
    const t = this.now();
    this.tokens = Math.min(this.burst, this.tokens + ((t - this.at) * this.rate) / 1000);
    this.at = t;
  }
}
