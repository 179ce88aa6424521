/**
 * A persistent response cache in SQLite, keyed by the full request (model, endpoint, messages, tools,
 * sampling options). By default only deterministic calls (temperature 0) are cached: a sampled reply
 * replayed from a cache would silently remove the diversity GRPO groups depend on.
 */
import { createHash } from "node:crypto";
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import Database from "better-sqlite3";
import type { ChatMessage, ChatModel, ChatOptions, ChatResult } from "./types.js";

export class ResponseCache {
  private readonly db: Database.Database;
  private readonly getStmt: Database.Statement<[string], { result: string }>;
  private readonly putStmt: Database.Statement<[string, string, number]>;

  constructor(readonly path: string) {
    if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
    this.db = new Database(path);
    this.db.pragma("journal_mode = WAL");
    this.db.pragma("synchronous = NORMAL");
    this.db.pragma("busy_timeout = 5000");
    this.db.exec(
      "CREATE TABLE IF NOT EXISTS responses (key TEXT PRIMARY KEY, result TEXT NOT NULL, created_at INTEGER NOT NULL)",
    );
    this.getStmt = this.db.prepare("SELECT result FROM responses WHERE key = ?");
    this.putStmt = this.db.prepare("INSERT OR REPLACE INTO responses (key, result, created_at) VALUES (?, ?, ?)");
  }

  get(key: string): ChatResult | undefined {
    const row = this.getStmt.get(key);
    if (!row) return undefined;
    try {
      return JSON.parse(row.result) as ChatResult;
    } catch {
      return undefined;
    }
  }

  put(key: string, result: ChatResult): void {
    this.putStmt.run(key, JSON.stringify({ ...result, cached: undefined }), Date.now());
  }

  size(): number {
    return (this.db.prepare("SELECT count(*) AS n FROM responses").get() as { n: number }).n;
  }

  close(): void {
    this.db.close();
  }
}

/** The cache key: a hash of everything that can change the reply. */
export function requestKey(spec: string, messages: readonly ChatMessage[], options: ChatOptions): string {
  const { signal: _s, timeoutMs: _t, noCache: _n, ...rest } = options;
  const canonical = JSON.stringify({ spec, messages, options: sortKeys(rest) });
  return createHash("sha256").update(canonical).digest("hex");
}

function sortKeys(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : 1)));
}

export interface CachePolicy {
  /** Cache calls at any temperature (default: only temperature 0). */
  allTemperatures?: boolean;
}

export class CachedModel implements ChatModel {
  readonly spec: string;
  constructor(
    readonly inner: ChatModel,
    private readonly cache: ResponseCache,
    private readonly policy: CachePolicy = {},
  ) {
    this.spec = inner.spec;
  }

  private cacheable(options: ChatOptions): boolean {
    if (options.noCache) return false;
    return this.policy.allTemperatures === true || options.temperature === 0;
  }

  async chat(messages: readonly ChatMessage[], options: ChatOptions = {}): Promise<ChatResult> {
    if (!this.cacheable(options)) return this.inner.chat(messages, options);
    const key = requestKey(this.spec, messages, options);
    const hit = this.cache.get(key);
    if (hit) return { ...hit, cached: true, latencyMs: 0 };
    const result = await this.inner.chat(messages, options);
    if (result.finishReason !== "error") this.cache.put(key, result);
    return result;
  }

  close(): Promise<void> {
    return this.inner.close?.() ?? Promise.resolve();
  }
}
