/**
 * Serper (google.serper.dev): Google results over a JSON API, the reference's provider.
 * `POST /search {"q", "num"}` with the key in `X-API-KEY`; the answer box (when it has a title and an
 * answer or snippet) comes first, then organic results that have both a title and a snippet.
 */
import { z } from "zod";
import { JsonHttpClient, withSlash, type HttpClientOptions } from "./http.js";
import { MAX_PROVIDER_QUERY_CHARS, SearchError, type SearchEntry, type SearchOptions, type SearchProvider } from "./types.js";

export const SERPER_URL = "https://google.serper.dev/";

export interface SerperOptions extends Omit<HttpClientOptions, "label" | "headers"> {
  apiKey: string;
  /** Another endpoint with Serper's API (a proxy, a test fake); default google.serper.dev. */
  baseUrl?: string;
  /** Results requested per query (default 10; the gym shows at most 5). */
  num?: number;
}

const text = z.union([z.string(), z.number()]).transform(String);
const answerBox = z.object({ title: text, answer: text.optional(), snippet: text.optional() });
const organic = z.object({ title: text, snippet: text });
const reply = z.object({ answerBox: z.unknown().optional(), organic: z.array(z.unknown()).optional() });

export class SerperProvider implements SearchProvider {
  readonly spec: string;
  private readonly client: JsonHttpClient;
  private readonly num: number;

  constructor(opts: SerperOptions) {
    const base = withSlash(opts.baseUrl ?? SERPER_URL);
    this.spec = opts.baseUrl ? `serper@${opts.baseUrl}` : "serper";
    this.num = opts.num ?? 10;
    this.client = new JsonHttpClient(new URL(base), { ...opts, label: "Serper", headers: { "X-API-KEY": opts.apiKey } });
  }

  async search(query: string, opts: SearchOptions): Promise<SearchEntry[]> {
    let data: unknown;
    try {
      data = await this.client.request({
        method: "POST",
        path: "search",
        body: { q: query.slice(0, MAX_PROVIDER_QUERY_CHARS), num: this.num },
        signal: opts.signal,
      });
    } catch (err) {
      if (err instanceof SearchError && (err.status === 401 || err.status === 403)) {
        throw new SearchError(`Serper rejected the API key (HTTP ${err.status}); check SERPER_API_KEY`, "http", false, err.status);
      }
      throw err;
    }
    const parsed = reply.safeParse(data);
    if (!parsed.success) throw new SearchError("Serper: the reply is not a search result object", "malformed");
    const entries: SearchEntry[] = [];
    const box = answerBox.safeParse(parsed.data.answerBox);
    if (box.success) {
      if (box.data.answer !== undefined) entries.push({ title: box.data.title, answer: box.data.answer });
      else if (box.data.snippet !== undefined) entries.push({ title: box.data.title, snippet: box.data.snippet });
    }
    for (const item of parsed.data.organic ?? []) {
      const o = organic.safeParse(item);
      if (o.success) entries.push({ title: o.data.title, snippet: o.data.snippet });
    }
    return entries.slice(0, opts.maxResults);
  }

  async close(): Promise<void> {
    this.client.close();
  }
}
