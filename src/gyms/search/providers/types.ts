/**
 * The search-provider interface of SearchGym: Serper (Google results), a self-hosted SearXNG instance,
 * or a local BM25 index. A provider returns entries; the gym formats them as the reference does.
 */

/** One search result as the agent will see it (no URLs: the reference shows none). */
export interface SearchEntry {
  title: string;
  /** A passage of the page. */
  snippet?: string;
  /** A direct answer (Google's answer box, SearXNG answers); shown as `- Answer: …`. */
  answer?: string;
}

export interface SearchOptions {
  /** Entries wanted (the gym shows at most 5). */
  maxResults: number;
  signal?: AbortSignal;
}

export interface SearchProvider {
  /** The spec the provider was built from, without secrets (recorded on each call). */
  readonly spec: string;
  search(query: string, opts: SearchOptions): Promise<SearchEntry[]>;
  close?(): Promise<void>;
}

export type SearchErrorKind = "config" | "timeout" | "http" | "network" | "malformed" | "aborted";

/** A search that failed after retries, or a provider that cannot be set up. */
export class SearchError extends Error {
  /** Server-requested wait before retrying (Retry-After), when given. */
  retryAfterMs?: number;
  constructor(
    message: string,
    readonly kind: SearchErrorKind,
    readonly retryable = false,
    readonly status?: number,
  ) {
    super(message);
    this.name = "SearchError";
  }
}

/** Longest query sent to a provider; longer ones are cut (web engines reject or ignore the rest). */
export const MAX_PROVIDER_QUERY_CHARS = 2_000;
