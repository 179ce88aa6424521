/**
 * ChatModel wrappers: retry with backoff (honouring Retry-After) and a per-attempt timeout,
 * a concurrency limit per endpoint, and usage metering. Each wraps a ChatModel and is one.
 * The persistent response cache is in `cache.ts`.
 */
import { Semaphore, sleep } from "../core/semaphore.js";
import type { ChatMessage, ChatModel, ChatOptions, ChatResult, Usage } from "./types.js";
import { ModelError } from "./types.js";

export interface RetryOptions {
  /** Attempts after the first (default 4). */
  retries?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** Per-attempt timeout when the call does not set one (default 120 s). */
  timeoutMs?: number;
  /** Called before each retry (for logs and meters). */
  onRetry?: (error: ModelError, attempt: number, delayMs: number) => void;
}

export class RetryingModel implements ChatModel {
  readonly spec: string;
  constructor(
    readonly inner: ChatModel,
    private readonly opts: RetryOptions = {},
  ) {
    this.spec = inner.spec;
  }

  async chat(messages: readonly ChatMessage[], options: ChatOptions = {}): Promise<ChatResult> {
    const retries = this.opts.retries ?? 4;
    const base = this.opts.baseDelayMs ?? 500;
    const maxDelay = this.opts.maxDelayMs ?? 30_000;
    const timeoutMs = options.timeoutMs ?? this.opts.timeoutMs ?? 120_000;
    const started = performance.now();
    for (let attempt = 0; ; attempt++) {
      // One controller per attempt, aborted by our timer or by the caller (cheaper than AbortSignal.any).
      const attempt$ = new AbortController();
      const timer = setTimeout(() => attempt$.abort(new Error("timeout")), timeoutMs);
      const onCallerAbort = () => attempt$.abort(options.signal!.reason);
      options.signal?.addEventListener("abort", onCallerAbort, { once: true });
      try {
        const result = await this.inner.chat(messages, { ...options, timeoutMs, signal: attempt$.signal });
        result.latencyMs = performance.now() - started;
        return result;
      } catch (raw) {
        let err = raw instanceof ModelError ? raw : new ModelError(String((raw as Error)?.message ?? raw), "other", undefined, true);
        if (options.signal?.aborted) throw new ModelError("the call was cancelled", "aborted");
        if (attempt$.signal.aborted || err.kind === "aborted") {
          // Our own per-attempt timeout fired.
          err = new ModelError(`no reply within ${timeoutMs} ms`, "timeout", undefined, true);
        }
        if (!err.retryable || attempt >= retries) throw err;
        const backoff = Math.min(maxDelay, base * 2 ** attempt) * (0.5 + Math.random() * 0.5);
        const delay = err.retryAfterMs !== undefined ? Math.min(Math.max(err.retryAfterMs, 0), 120_000) : backoff;
        this.opts.onRetry?.(err, attempt + 1, delay);
        await sleep(delay, options.signal).catch(() => {
          throw new ModelError("the call was cancelled", "aborted");
        });
      } finally {
        clearTimeout(timer);
        options.signal?.removeEventListener("abort", onCallerAbort);
      }
    }
  }

  close(): Promise<void> {
    return this.inner.close?.() ?? Promise.resolve();
  }
}

const endpointLimits = new Map<string, Semaphore>();

/** The process-wide semaphore of an endpoint: every model object on that endpoint shares it. */
export function endpointSemaphore(endpoint: string, limit: number): Semaphore {
  let s = endpointLimits.get(endpoint);
  if (!s || s.limit !== limit) {
    s = new Semaphore(limit);
    endpointLimits.set(endpoint, s);
  }
  return s;
}

export class LimitedModel implements ChatModel {
  readonly spec: string;
  constructor(
    readonly inner: ChatModel,
    private readonly semaphore: Semaphore,
  ) {
    this.spec = inner.spec;
  }

  chat(messages: readonly ChatMessage[], options: ChatOptions = {}): Promise<ChatResult> {
    return this.semaphore.run(() => this.inner.chat(messages, options), options.signal);
  }

  close(): Promise<void> {
    return this.inner.close?.() ?? Promise.resolve();
  }
}

export interface MeterSnapshot {
  calls: number;
  cacheHits: number;
  errors: number;
  retries: number;
  promptTokens: number;
  completionTokens: number;
  cachedPromptTokens: number;
  totalLatencyMs: number;
  maxLatencyMs: number;
  /** Latency percentiles over successful calls. */
  p50LatencyMs: number;
  p95LatencyMs: number;
}

/** Counts calls, tokens, latency and errors of one or more models. */
export class UsageMeter {
  private calls = 0;
  private cacheHits = 0;
  private errors = 0;
  retries = 0;
  private usage: Required<Usage> = { promptTokens: 0, completionTokens: 0, cachedPromptTokens: 0 };
  private latencies: number[] = [];

  record(result: ChatResult): void {
    this.calls++;
    if (result.cached) this.cacheHits++;
    this.usage.promptTokens += result.usage.promptTokens;
    this.usage.completionTokens += result.usage.completionTokens;
    this.usage.cachedPromptTokens += result.usage.cachedPromptTokens ?? 0;
    if (this.latencies.length < 1_000_000) this.latencies.push(result.latencyMs);
  }

  recordError(): void {
    this.calls++;
    this.errors++;
  }

  snapshot(): MeterSnapshot {
    const sorted = [...this.latencies].sort((a, b) => a - b);
    const pct = (p: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] : 0);
    return {
      calls: this.calls,
      cacheHits: this.cacheHits,
      errors: this.errors,
      retries: this.retries,
      ...this.usage,
      totalLatencyMs: sorted.reduce((a, b) => a + b, 0),
      maxLatencyMs: sorted.length ? sorted[sorted.length - 1] : 0,
      p50LatencyMs: pct(0.5),
      p95LatencyMs: pct(0.95),
    };
  }
}

export class MeteredModel implements ChatModel {
  readonly spec: string;
  constructor(
    readonly inner: ChatModel,
    readonly meter: UsageMeter,
  ) {
    this.spec = inner.spec;
  }

  async chat(messages: readonly ChatMessage[], options: ChatOptions = {}): Promise<ChatResult> {
    try {
      const r = await this.inner.chat(messages, options);
      this.meter.record(r);
      return r;
    } catch (err) {
      this.meter.recordError();
      throw err;
    }
  }

  close(): Promise<void> {
    return this.inner.close?.() ?? Promise.resolve();
  }
}
