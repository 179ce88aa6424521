/**
 * Fully offline search: Okapi BM25 over a local JSONL corpus of passages.
 *
 * Corpus: one JSON object per line, `{"title": "…", "text": "…"}` (an optional `id` is ignored), or the
 * DPR / FlashRAG / Pyserini form `{"id": …, "contents": "\"Title\"\nText"}` whose first line is the title.
 * Blank lines are skipped; any other malformed line is an error naming the line.
 *
 * Scoring is Lucene's BM25 (idf = ln(1 + (N − df + 0.5) / (df + 0.5))) with Pyserini's defaults k1 = 0.9,
 * b = 0.4, over the title and text together, using the terms of `text.ts` (stop words dropped, Porter
 * stems). Ties go to the earlier passage, so results are deterministic. An index is built once per corpus
 * and parameters per process (see `spec.ts`).
 */
import { createReadStream } from "node:fs";
import { createInterface } from "node:readline";
import { z } from "zod";
import { terms } from "../text.js";
import { MAX_PROVIDER_QUERY_CHARS, SearchError, type SearchEntry, type SearchOptions, type SearchProvider } from "./types.js";

export interface Passage {
  title: string;
  text: string;
}

export interface Bm25Params {
  k1: number;
  b: number;
}

export const DEFAULT_BM25: Bm25Params = { k1: 0.9, b: 0.4 };

/** An inverted index: per term, the passages that hold it and how often. */
export class Bm25Index {
  private readonly postings = new Map<string, Int32Array>();
  private readonly lengths: Float64Array;
  private readonly avgLength: number;

  constructor(
    readonly passages: readonly Passage[],
    readonly params: Bm25Params = DEFAULT_BM25,
  ) {
    const building = new Map<string, number[]>();
    this.lengths = new Float64Array(passages.length);
    let total = 0;
    passages.forEach((p, doc) => {
      const ts = terms(`${p.title}\n${p.text}`);
      this.lengths[doc] = ts.length;
      total += ts.length;
      const tf = new Map<string, number>();
      for (const t of ts) tf.set(t, (tf.get(t) ?? 0) + 1);
      for (const [t, n] of tf) {
        let list = building.get(t);
        if (!list) building.set(t, (list = []));
        list.push(doc, n);
      }
    });
    for (const [t, list] of building) this.postings.set(t, Int32Array.from(list));
    this.avgLength = passages.length ? total / passages.length : 0;
  }

  /** The `k` best passages for a query, best first (only passages sharing a term with it). */
  search(query: string, k: number): { doc: number; score: number }[] {
    const n = this.passages.length;
    const scores = new Map<number, number>();
    const { k1, b } = this.params;
    for (const t of terms(query)) {
      const list = this.postings.get(t);
      if (!list) continue;
      const df = list.length / 2;
      const idf = Math.log(1 + (n - df + 0.5) / (df + 0.5));
      for (let i = 0; i < list.length; i += 2) {
        const doc = list[i];
        const tf = list[i + 1];
        const norm = tf + k1 * (1 - b + (b * this.lengths[doc]) / this.avgLength);
        scores.set(doc, (scores.get(doc) ?? 0) + (idf * tf * (k1 + 1)) / norm);
      }
    }
    return [...scores]
      .map(([doc, score]) => ({ doc, score }))
      .sort((x, y) => y.score - x.score || x.doc - y.doc)
      .slice(0, k);
  }
}

const line = z.union([
  z.object({ title: z.string(), text: z.string() }),
  z.object({ contents: z.string() }).transform((x) => splitContents(x.contents)),
]);

/** `"Title"\nText` (DPR/FlashRAG) → title and text; a single line is all text. */
function splitContents(contents: string): Passage {
  const nl = contents.indexOf("\n");
  if (nl < 0) return { title: "", text: contents };
  return { title: contents.slice(0, nl).trim().replace(/^"(.*)"$/, "$1"), text: contents.slice(nl + 1).trim() };
}

/** Read a JSONL corpus; a malformed line is a configuration error that names it. */
export async function loadCorpus(path: string): Promise<Passage[]> {
  const passages: Passage[] = [];
  const stream = createReadStream(path, { encoding: "utf8" });
  const opened = new Promise<void>((resolve, reject) => {
    stream.once("open", () => resolve());
    stream.once("error", reject);
  });
  try {
    await opened;
  } catch (err) {
    throw new SearchError(`BM25 corpus ${path} cannot be read: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, "config");
  }
  let no = 0;
  for await (const raw of createInterface({ input: stream, crlfDelay: Infinity })) {
    no++;
    if (!raw.trim()) continue;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch {
      throw new SearchError(`BM25 corpus ${path}, line ${no}: not valid JSON`, "config");
    }
    const p = line.safeParse(value);
    if (!p.success) {
      throw new SearchError(`BM25 corpus ${path}, line ${no}: expected {"title", "text"} or {"contents"} strings`, "config");
    }
    passages.push(p.data);
  }
  if (passages.length === 0) throw new SearchError(`BM25 corpus ${path} holds no passages`, "config");
  return passages;
}

export interface Bm25ProviderOptions {
  /** Longest snippet shown per passage, in characters (default 600; cut at a word boundary). */
  snippetChars?: number;
}

export class Bm25Provider implements SearchProvider {
  constructor(
    readonly spec: string,
    private readonly index: Bm25Index,
    private readonly opts: Bm25ProviderOptions = {},
  ) {}

  async search(query: string, opts: SearchOptions): Promise<SearchEntry[]> {
    if (opts.signal?.aborted) throw new SearchError("BM25: the search was cancelled", "aborted");
    const max = this.opts.snippetChars ?? 600;
    return this.index.search(query.slice(0, MAX_PROVIDER_QUERY_CHARS), opts.maxResults).map(({ doc }) => {
      const p = this.index.passages[doc];
      return { title: p.title || `Passage ${doc + 1}`, snippet: cut(p.text.replace(/\s+/g, " ").trim(), max) };
    });
  }
}

function cut(text: string, max: number): string {
  if (text.length <= max) return text;
  const head = text.slice(0, max);
  const space = head.lastIndexOf(" ");
  return `${space > max * 0.6 ? head.slice(0, space) : head}…`;
}
