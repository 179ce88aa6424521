/**
 * A self-hosted SearXNG instance (`GET /search?q=…&format=json`). Its JSON output must be enabled in
 * the instance's settings.yml (`search: formats: [html, json]`); otherwise it answers HTTP 403.
 * Entries: the first direct answer (shown as `- Answer:`), infoboxes, then results with a title and
 * content.
 */
import { z } from "zod";
import { JsonHttpClient, withSlash, type HttpClientOptions } from "./http.js";
import { MAX_PROVIDER_QUERY_CHARS, SearchError, type SearchEntry, type SearchOptions, type SearchProvider } from "./types.js";

export interface SearxngOptions extends Omit<HttpClientOptions, "label" | "headers"> {
  /** The instance's base URL, e.g. `http://localhost:8888`. */
  url: string;
  /** SearXNG `language` (e.g. `en`); default: the instance's. */
  language?: string;
  /** SearXNG `categories` (default `general`). */
  categories?: string;
}

const text = z.union([z.string(), z.number()]).transform(String);
const reply = z.object({
  results: z.array(z.unknown()).optional(),
  answers: z.array(z.unknown()).optional(),
  infoboxes: z.array(z.unknown()).optional(),
  unresponsive_engines: z.array(z.unknown()).optional(),
});
const result = z.object({ title: text, content: text });
const answer = z.union([text, z.object({ answer: text }).transform((a) => a.answer)]);
const infobox = z.object({ infobox: text, content: text });

export const DIRECT_ANSWER_TITLE = "Direct answer";

export class SearxngProvider implements SearchProvider {
  readonly spec: string;
  private readonly client: JsonHttpClient;

  constructor(private readonly opts: SearxngOptions) {
    this.spec = `searxng:${opts.url}`;
    this.client = new JsonHttpClient(new URL(withSlash(opts.url)), { ...opts, label: "SearXNG" });
  }

  async search(query: string, opts: SearchOptions): Promise<SearchEntry[]> {
    const params = new URLSearchParams({ q: query.slice(0, MAX_PROVIDER_QUERY_CHARS), format: "json", categories: this.opts.categories ?? "general" });
    if (this.opts.language) params.set("language", this.opts.language);
    let data: unknown;
    try {
      data = await this.client.request({ method: "GET", path: `search?${params}`, signal: opts.signal });
    } catch (err) {
      if (err instanceof SearchError && err.status === 403) {
        throw new SearchError(
          "SearXNG refused JSON output (HTTP 403); enable it in the instance's settings.yml: search.formats: [html, json]",
          "http",
          false,
          403,
        );
      }
      throw err;
    }
    const parsed = reply.safeParse(data);
    if (!parsed.success) throw new SearchError("SearXNG: the reply is not a search result object", "malformed");
    const entries: SearchEntry[] = [];
    for (const a of parsed.data.answers ?? []) {
      const v = answer.safeParse(a);
      if (v.success && v.data.trim()) {
        entries.push({ title: DIRECT_ANSWER_TITLE, answer: v.data });
        break;
      }
    }
    for (const b of parsed.data.infoboxes ?? []) {
      const v = infobox.safeParse(b);
      if (v.success && v.data.content.trim()) entries.push({ title: v.data.infobox, snippet: v.data.content });
    }
    for (const r of parsed.data.results ?? []) {
      const v = result.safeParse(r);
      if (v.success && v.data.content.trim()) entries.push({ title: v.data.title, snippet: v.data.content });
    }
    if (entries.length === 0 && (parsed.data.unresponsive_engines?.length ?? 0) > 0) {
      // Every engine failed (blocked, timed out): that is an outage, not "no results".
      const names = parsed.data.unresponsive_engines!.map((e) => (Array.isArray(e) ? e.join(": ") : String(e))).join(", ");
      throw new SearchError(`SearXNG: no search engine answered (${names.slice(0, 200)})`, "network", false);
    }
    return entries.slice(0, opts.maxResults);
  }

  async close(): Promise<void> {
    this.client.close();
  }
}
