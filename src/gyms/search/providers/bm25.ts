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

/**
 * An inverted index in flat typed arrays (built in two passes, so a corpus of 10^5 passages costs
 * seconds, not minutes of garbage collection): per term, the passages that hold it and how often.
 */
export class Bm25Index {
  private readonly vocab = new Map<string, number>();
  /** Postings of term t: `docs`/`freqs` from `offsets[t]` to `offsets[t + 1]`, in passage order. */
  private readonly offsets: Int32Array;
  private readonly docs: Int32Array;
  private readonly freqs: Int32Array;
  private readonly lengths: Int32Array;
  private readonly avgLength: number;
  /** Query scratch space, reused. */
  private readonly scores: Float64Array;

  constructor(
    readonly passages: readonly Passage[],
    readonly params: Bm25Params = DEFAULT_BM25,
  ) {
    const n = passages.length;
    // Pass 1: each passage as sorted term ids; document frequencies.
    const perDoc: Int32Array[] = new Array(n);
    let df = new Int32Array(1024);
    let total = 0;
    this.lengths = new Int32Array(n);
    for (let d = 0; d < n; d++) {
      const ids = Int32Array.from(terms(`${passages[d].title}\n${passages[d].text}`), (t) => {
        let id = this.vocab.get(t);
        if (id === undefined) this.vocab.set(t, (id = this.vocab.size));
        return id;
      }).sort();
      perDoc[d] = ids;
      this.lengths[d] = ids.length;
      total += ids.length;
      if (this.vocab.size > df.length) {
        const grown = new Int32Array(Math.max(this.vocab.size, df.length * 2));
        grown.set(df);
        df = grown;
      }
      for (let i = 0; i < ids.length; i++) if (i === 0 || ids[i] !== ids[i - 1]) df[ids[i]]++;
    }
    // Pass 2: postings laid out by term.
    const v = this.vocab.size;
    this.offsets = new Int32Array(v + 1);
    for (let t = 0; t < v; t++) this.offsets[t + 1] = this.offsets[t] + df[t];
    const size = this.offsets[v];
    this.docs = new Int32Array(size);
    this.freqs = new Int32Array(size);
    const fill = this.offsets.slice(0, v);
    for (let d = 0; d < n; d++) {
      const ids = perDoc[d];
      for (let i = 0; i < ids.length; ) {
        let j = i + 1;
        while (j < ids.length && ids[j] === ids[i]) j++;
        const at = fill[ids[i]]++;
        this.docs[at] = d;
        this.freqs[at] = j - i;
        i = j;
      }
    }
    this.avgLength = n ? total / n : 0;
    this.scores = new Float64Array(n);
  }

  /** The `k` best passages for a query, best first (only passages sharing a term with it). */
  search(query: string, k: number): { doc: number; score: number }[] {
    const n = this.passages.length;
    if (k <= 0 || n === 0) return [];
    const { k1, b } = this.params;
    const touched: number[] = [];
    const scores = this.scores;
    for (const t of terms(query)) {
      const id = this.vocab.get(t);
      if (id === undefined) continue;
      const from = this.offsets[id];
      const to = this.offsets[id + 1];
      const df = to - from;
      const idf = Math.log(1 + (n - df + 0.5) / (df + 0.5));
      for (let i = from; i < to; i++) {
        const doc = this.docs[i];
        const tf = this.freqs[i];
        if (scores[doc] === 0) touched.push(doc);
        scores[doc] += (idf * tf * (k1 + 1)) / (tf + k1 * (1 - b + (b * this.lengths[doc]) / this.avgLength));
      }
    }
    // Top k by a bounded insertion (k is small); ties go to the earlier passage.
    const best: { doc: number; score: number }[] = [];
    const better = (x: { doc: number; score: number }, y: { doc: number; score: number }) => x.score > y.score || (x.score === y.score && x.doc < y.doc);
    for (const doc of touched) {
      const cand = { doc, score: scores[doc] };
      scores[doc] = 0;
      if (best.length === k && !better(cand, best[k - 1])) continue;
      let i = Math.min(best.length, k - 1);
      if (best.length < k) best.push(cand);
      while (i > 0 && better(cand, best[i - 1])) {
        best[i] = best[i - 1];
        i--;
      }
      best[i] = cand;
    }
    return best;
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
