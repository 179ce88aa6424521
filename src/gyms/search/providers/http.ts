/**
 * The JSON-over-HTTP client of the web search providers: one keep-alive connection pool per provider,
 * a per-attempt timeout, retries with exponential backoff and jitter on transient failures (timeouts,
 * network errors, 408/429/5xx, malformed bodies), honouring Retry-After, and cancellation.
 * Failures surface as {@link SearchError}s with messages a user can act on.
 */
import http from "node:http";
import https from "node:https";
import { sleep } from "../../../core/semaphore.js";
import { retryAfterMs } from "../../../models/openai.js";
import { SearchError } from "./types.js";

export interface HttpClientOptions {
  /** Names the service in error messages ("Serper", "SearXNG"). */
  label: string;
  /** Per-attempt timeout (default 10 s, as the reference's judge calls). */
  timeoutMs?: number;
  /** Attempts after the first (default 2). */
  retries?: number;
  /** First backoff delay (default 500 ms, doubling). */
  retryBaseMs?: number;
  /** Longest Retry-After honoured (default 30 s). */
  maxRetryAfterMs?: number;
  /** Headers sent with every request. */
  headers?: Record<string, string>;
  /** Largest reply body read (default 8 MB). */
  maxBodyBytes?: number;
}

export interface HttpRequest {
  method: "GET" | "POST";
  /** Path and query, resolved against the base URL. */
  path: string;
  body?: unknown;
  signal?: AbortSignal;
}

export class JsonHttpClient {
  private readonly agent: http.Agent;
  private readonly mod: typeof http | typeof https;
  private readonly o: Required<HttpClientOptions>;

  constructor(
    readonly baseUrl: URL,
    opts: HttpClientOptions,
  ) {
    if (baseUrl.protocol !== "http:" && baseUrl.protocol !== "https:") {
      throw new SearchError(`${opts.label}: unsupported URL protocol "${baseUrl.protocol}" (use http:// or https://)`, "config");
    }
    this.mod = baseUrl.protocol === "https:" ? https : http;
    this.agent = new this.mod.Agent({ keepAlive: true, maxSockets: 64, keepAliveMsecs: 30_000 });
    // Options left undefined (e.g. not given in a search spec) keep their defaults.
    const given = Object.fromEntries(Object.entries(opts).filter(([, v]) => v !== undefined)) as HttpClientOptions;
    this.o = {
      timeoutMs: 10_000,
      retries: 2,
      retryBaseMs: 500,
      maxRetryAfterMs: 30_000,
      headers: {},
      maxBodyBytes: 8 * 1024 * 1024,
      ...given,
    };
  }

  /** Send a request and return the parsed JSON reply, retrying transient failures. */
  async request(req: HttpRequest): Promise<unknown> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.once(req);
      } catch (raw) {
        const err = raw instanceof SearchError ? raw : new SearchError(`${this.o.label}: ${(raw as Error).message}`, "network", true);
        if (req.signal?.aborted) throw new SearchError(`${this.o.label}: the search was cancelled`, "aborted");
        if (!err.retryable || attempt >= this.o.retries) {
          if (attempt > 0) err.message += ` (after ${attempt + 1} attempts)`;
          throw err;
        }
        const backoff = this.o.retryBaseMs * 2 ** attempt * (0.5 + Math.random() * 0.5);
        const delay = err.retryAfterMs !== undefined ? Math.min(err.retryAfterMs, this.o.maxRetryAfterMs) : backoff;
        await sleep(delay, req.signal).catch(() => {
          throw new SearchError(`${this.o.label}: the search was cancelled`, "aborted");
        });
      }
    }
  }

  private once(req: HttpRequest): Promise<unknown> {
    const { label, timeoutMs, maxBodyBytes } = this.o;
    const url = new URL(req.path, this.baseUrl);
    const body = req.body === undefined ? undefined : Buffer.from(JSON.stringify(req.body));
    const headers: Record<string, string> = { accept: "application/json", ...this.o.headers };
    if (body) {
      headers["content-type"] = "application/json";
      headers["content-length"] = String(body.length);
    }
    if (req.signal?.aborted) return Promise.reject(new SearchError(`${label}: the search was cancelled`, "aborted"));
    return new Promise<unknown>((resolve, reject) => {
      let settled = false;
      let request: http.ClientRequest | undefined = undefined;
      const fail = (e: SearchError) => {
        if (settled) return;
        settled = true;
        cleanup();
        request?.destroy();
        reject(e);
      };
      const onAbort = () => fail(new SearchError(`${label}: the search was cancelled`, "aborted"));
      const timer = setTimeout(() => fail(new SearchError(`${label}: no reply within ${timeoutMs} ms`, "timeout", true)), timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        req.signal?.removeEventListener("abort", onAbort);
      };
      req.signal?.addEventListener("abort", onAbort, { once: true });

      request = this.mod.request(url, { method: req.method, headers, agent: this.agent }, (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on("data", (c: Buffer) => {
          size += c.length;
          if (size > maxBodyBytes) fail(new SearchError(`${label}: reply larger than ${maxBodyBytes} bytes`, "malformed"));
          else chunks.push(c);
        });
        res.on("error", (e) => fail(new SearchError(`${label}: connection failed while reading the reply: ${e.message}`, "network", true)));
        res.on("end", () => {
          if (settled) return;
          const text = Buffer.concat(chunks).toString("utf8");
          const status = res.statusCode ?? 0;
          if (status < 200 || status >= 300) return fail(httpError(label, status, text, res.headers));
          try {
            const parsed: unknown = JSON.parse(text);
            settled = true;
            cleanup();
            resolve(parsed);
          } catch {
            fail(new SearchError(`${label}: the reply is not valid JSON (${describeText(text)})`, "malformed", true));
          }
        });
      });
      request.on("error", (e: NodeJS.ErrnoException) =>
        fail(new SearchError(`${label}: cannot reach ${this.baseUrl.origin}: ${e.code ?? e.message}`, "network", true)),
      );
      request.end(body);
    });
  }

  /** Close pooled connections (the pool is per provider and lives as long as the process needs it). */
  close(): void {
    this.agent.destroy();
  }
}

/** A base URL that relative paths extend rather than replace (`http://h/searx` → `http://h/searx/`). */
export function withSlash(url: string): string {
  return url.endsWith("/") ? url : `${url}/`;
}

function httpError(label: string, status: number, text: string, headers: http.IncomingHttpHeaders): SearchError {
  let detail = describeText(text);
  try {
    const j = JSON.parse(text) as Record<string, unknown>;
    const m = j.message ?? j.error ?? j.detail;
    if (typeof m === "string" && m) detail = m.slice(0, 200);
  } catch {
    /* not JSON: keep the text excerpt */
  }
  const retryable = status === 408 || status === 429 || status >= 500;
  const e = new SearchError(`${label} answered HTTP ${status}${detail ? `: ${detail}` : ""}`, "http", retryable, status);
  const h = new Headers();
  for (const [k, v] of Object.entries(headers)) if (typeof v === "string") h.set(k, v);
  e.retryAfterMs = retryAfterMs(h);
  return e;
}

function describeText(text: string): string {
  const t = text.replace(/\s+/g, " ").trim();
  return t.length > 120 ? `${t.slice(0, 120)}…` : t;
}
