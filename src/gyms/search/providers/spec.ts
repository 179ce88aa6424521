/**
 * Search specs: the strings that pick SearchGym's provider, from `ctx.options.search` or else the
 * `USERRL_SEARCH` environment variable.
 *
 *   serper[:<base-url>][?num=10&timeout=10&retries=2]     Google results via serper.dev; key in SERPER_API_KEY
 *   searxng:<url>[?timeout=10&retries=2&language=en&categories=general]   a self-hosted SearXNG instance
 *   bm25:<corpus.jsonl>[?k1=0.9&b=0.4&snippet=600]        offline BM25 over a local JSONL corpus
 *
 * `timeout` is seconds per attempt. Each spec resolves to one provider per process (so one keep-alive
 * connection pool per web provider, one index per corpus), shared by every episode.
 */
import { statSync } from "node:fs";
import { resolve } from "node:path";
import { DEFAULT_BM25, Bm25Index, Bm25Provider, loadCorpus } from "./bm25.js";
import { SearxngProvider } from "./searxng.js";
import { SerperProvider } from "./serper.js";
import { SearchError, type SearchProvider } from "./types.js";

export const SEARCH_ENV = "USERRL_SEARCH";

export const SEARCH_SPEC_HELP =
  "serper (key in SERPER_API_KEY), searxng:<url> or bm25:<corpus.jsonl>; e.g. USERRL_SEARCH=bm25:test/fixtures/search-corpus.jsonl";

interface ParsedSearchSpec {
  scheme: "serper" | "searxng" | "bm25";
  target: string;
  params: Record<string, string>;
}

const OPTIONS: Record<ParsedSearchSpec["scheme"], readonly string[]> = {
  serper: ["num", "timeout", "retries"],
  searxng: ["timeout", "retries", "language", "categories"],
  bm25: ["k1", "b", "snippet"],
};

export function parseSearchSpec(spec: string): ParsedSearchSpec {
  const s = spec.trim();
  const q = s.indexOf("?");
  const head = q >= 0 ? s.slice(0, q) : s;
  const colon = head.indexOf(":");
  const scheme = (colon >= 0 ? head.slice(0, colon) : head).toLowerCase();
  const target = colon >= 0 ? head.slice(colon + 1).trim() : "";
  if (scheme !== "serper" && scheme !== "searxng" && scheme !== "bm25") {
    throw new SearchError(`"${spec}" is not a search spec; use ${SEARCH_SPEC_HELP}`, "config");
  }
  if (scheme !== "serper" && !target) throw new SearchError(`search spec "${spec}": ${scheme} needs ${scheme === "bm25" ? "a corpus path" : "a URL"} after "${scheme}:"`, "config");
  const params: Record<string, string> = {};
  for (const [k, v] of new URLSearchParams(q >= 0 ? s.slice(q + 1) : "")) {
    if (!OPTIONS[scheme].includes(k)) {
      throw new SearchError(`search spec "${spec}": unknown option "${k}" (${scheme} takes ${OPTIONS[scheme].join(", ")})`, "config");
    }
    params[k] = v;
  }
  return { scheme, target, params };
}

function num(spec: string, params: Record<string, string>, key: string, min: number, integer = false): number | undefined {
  const raw = params[key];
  if (raw === undefined) return undefined;
  const v = Number(raw);
  if (!Number.isFinite(v) || v < min || (integer && !Number.isInteger(v))) {
    throw new SearchError(`search spec "${spec}": option ${key}=${raw} must be ${integer ? "an integer" : "a number"} ≥ ${min}`, "config");
  }
  return v;
}

function bm25Options(spec: string, params: Record<string, string>) {
  const k1 = num(spec, params, "k1", 0) ?? DEFAULT_BM25.k1;
  const b = num(spec, params, "b", 0) ?? DEFAULT_BM25.b;
  if (b > 1) throw new SearchError(`search spec "${spec}": option b must be between 0 and 1`, "config");
  return { k1, b, snippetChars: num(spec, params, "snippet", 20, true) };
}

function httpOptions(spec: string, params: Record<string, string>) {
  const timeout = num(spec, params, "timeout", 0.001);
  return { timeoutMs: timeout === undefined ? undefined : timeout * 1000, retries: num(spec, params, "retries", 0, true) };
}

/**
 * What is wrong with a search spec before any search runs — not a spec, an unknown or out-of-range option,
 * a BM25 corpus file that is not there — or undefined. (A corpus that is there but malformed fails on load.)
 */
export function searchSpecProblem(spec: string): string | undefined {
  try {
    const p = parseSearchSpec(spec);
    if (p.scheme === "bm25") {
      bm25Options(spec, p.params);
      if (!isFile(p.target)) return `search spec "${spec}": no BM25 corpus file ${resolve(p.target)}`;
    } else {
      httpOptions(spec, p.params);
      if (p.scheme === "serper") num(spec, p.params, "num", 1, true);
    }
    return undefined;
  } catch (err) {
    return (err as Error).message;
  }
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

const providers = new Map<string, Promise<SearchProvider>>();

/** The process-wide provider for a spec (built on first use; a failed build is retried next time). */
export function resolveSearchProvider(spec: string): Promise<SearchProvider> {
  let parsed: ParsedSearchSpec;
  try {
    parsed = parseSearchSpec(spec);
  } catch (err) {
    return Promise.reject(err);
  }
  const key = memoKey(parsed);
  let p = providers.get(key);
  if (!p) {
    p = build(spec, parsed);
    providers.set(key, p);
    p.catch(() => providers.delete(key));
  }
  return p;
}

function memoKey(p: ParsedSearchSpec): string {
  const target = p.scheme === "bm25" ? resolve(p.target) : p.target;
  // The Serper key is part of the identity (a changed key needs a new client) but never leaves this map.
  const secret = p.scheme === "serper" ? (process.env.SERPER_API_KEY ?? "") : "";
  return JSON.stringify([p.scheme, target, Object.entries(p.params).sort(), secret]);
}

async function build(spec: string, p: ParsedSearchSpec): Promise<SearchProvider> {
  switch (p.scheme) {
    case "serper": {
      const apiKey = process.env.SERPER_API_KEY?.trim();
      if (!apiKey) throw new SearchError("search spec serper needs an API key in SERPER_API_KEY (get one at serper.dev)", "config");
      return new SerperProvider({
        apiKey,
        baseUrl: p.target || undefined,
        num: num(spec, p.params, "num", 1, true),
        ...httpOptions(spec, p.params),
      });
    }
    case "searxng":
      return new SearxngProvider({
        url: p.target,
        language: p.params.language,
        categories: p.params.categories,
        ...httpOptions(spec, p.params),
      });
    case "bm25": {
      const path = resolve(p.target);
      const { snippetChars, ...params } = bm25Options(spec, p.params);
      const index = new Bm25Index(await loadCorpus(path), params);
      return new Bm25Provider(`bm25:${path}`, index, { snippetChars });
    }
  }
}
