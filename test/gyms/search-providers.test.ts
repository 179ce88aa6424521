import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterEach, describe, expect, test } from "vitest";
import { Bm25Index, loadCorpus } from "../../src/gyms/search/providers/bm25.js";
import { formatResults, searchFeedback } from "../../src/gyms/search/providers/format.js";
import { SearxngProvider } from "../../src/gyms/search/providers/searxng.js";
import { SerperProvider } from "../../src/gyms/search/providers/serper.js";
import { parseSearchSpec, resolveSearchProvider } from "../../src/gyms/search/providers/spec.js";
import { SearchError } from "../../src/gyms/search/providers/types.js";
import { startFakeSearch, type FakeSearchServer } from "./search-fakes.js";

const CORPUS = resolve("test/fixtures/search-corpus.jsonl");
const fast = { retryBaseMs: 5, timeoutMs: 2_000 };

let servers: FakeSearchServer[] = [];
afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
});
async function fake(...args: Parameters<typeof startFakeSearch>): Promise<FakeSearchServer> {
  const s = await startFakeSearch(...args);
  servers.push(s);
  return s;
}

const serperReply = {
  answerBox: { title: "Citibank / Founded", answer: "June 16, 1812" },
  organic: [
    { title: "Citibank - Wikipedia", snippet: "Citibank was founded in 1812.", link: "https://example.org/a" },
    { title: "No snippet here", link: "https://example.org/b" },
    { title: "History of Citi", snippet: "City Bank of New York opened in 1812." },
    { title: 42, snippet: "numbers are shown as text" },
    { title: "Fourth", snippet: "four" },
    { title: "Fifth", snippet: "five" },
    { title: "Sixth", snippet: "six" },
  ],
};

describe("result formatting (the reference's)", () => {
  test("answer first, snippets, at most five, no URLs, stripped", () => {
    const text = formatResults(
      [
        { title: "Box", answer: "42" },
        { title: "A", snippet: "a " },
        { title: "B", snippet: "b" },
        { title: "C", snippet: "c" },
        { title: "D", snippet: "d" },
        { title: "E", snippet: "e" },
      ],
      5,
    );
    expect(text).toBe("1. Box\n- Answer: 42\n2. A\n- Snippet: a \n3. B\n- Snippet: b\n4. C\n- Snippet: c\n5. D\n- Snippet: d");
    expect(searchFeedback("q", [{ title: "T", snippet: "end  " }], 5)).toBe("Search results for 'q':\n1. T\n- Snippet: end");
    expect(searchFeedback("nothing", [], 5)).toBe("Search results for 'nothing':\nNo results found.");
  });
});

describe("Serper (against a local fake)", () => {
  test("request shape, key header, answer box and organic results", async () => {
    const s = await fake(() => ({ json: serperReply }));
    const p = new SerperProvider({ apiKey: "k-123", baseUrl: s.url, ...fast });
    const entries = await p.search("when was citibank founded", { maxResults: 5 });
    expect(entries).toEqual([
      { title: "Citibank / Founded", answer: "June 16, 1812" },
      { title: "Citibank - Wikipedia", snippet: "Citibank was founded in 1812." },
      { title: "History of Citi", snippet: "City Bank of New York opened in 1812." },
      { title: "42", snippet: "numbers are shown as text" },
      { title: "Fourth", snippet: "four" },
    ]);
    expect(s.hits[0]).toMatchObject({ method: "POST", url: "/search" });
    expect(s.hits[0].headers["x-api-key"]).toBe("k-123");
    expect(JSON.parse(s.hits[0].body)).toEqual({ q: "when was citibank founded", num: 10 });
    expect(p.spec).toBe(`serper@${s.url}`);
    expect(p.spec).not.toContain("k-123");
  });

  test("an answer box without an answer shows its snippet; one without either is skipped", async () => {
    const s = await fake((_, i) => ({
      json: i === 0 ? { answerBox: { title: "Box", snippet: "boxed" }, organic: [] } : { answerBox: { title: "Bare" }, organic: [] },
    }));
    const p = new SerperProvider({ apiKey: "k", baseUrl: s.url, ...fast });
    expect(await p.search("a", { maxResults: 5 })).toEqual([{ title: "Box", snippet: "boxed" }]);
    expect(await p.search("b", { maxResults: 5 })).toEqual([]);
  });

  test("transient failures are retried (Retry-After honoured) over one keep-alive connection", async () => {
    const s = await fake((_, i) => (i === 0 ? { json: { message: "busy" }, status: 503 } : i === 1 ? { json: {}, status: 429, retryAfter: 0 } : i === 2 ? { raw: "{oops" } : { json: serperReply }));
    const p = new SerperProvider({ apiKey: "k", baseUrl: s.url, ...fast, retries: 3 });
    const entries = await p.search("q", { maxResults: 2 });
    expect(entries).toHaveLength(2);
    expect(s.hits).toHaveLength(4);
    expect(new Set(s.hits.map((h) => h.remotePort)).size).toBe(1);
  });

  test("persistent 500s, a rejected key, timeouts and malformed bodies become SearchErrors", async () => {
    const s = await fake((h) => {
      const q = JSON.parse(h.body).q as string;
      if (q === "500") return { json: { message: "internal" }, status: 500 };
      if (q === "key") return { json: { message: "Unauthorized." }, status: 403 };
      if (q === "hang") return { hang: true };
      if (q === "shape") return { json: ["not", "an", "object"] };
      return { raw: "<html>oops</html>" };
    });
    const p = new SerperProvider({ apiKey: "k", baseUrl: s.url, retries: 1, retryBaseMs: 5, timeoutMs: 150 });
    await expect(p.search("500", { maxResults: 5 })).rejects.toThrow("Serper answered HTTP 500: internal (after 2 attempts)");
    await expect(p.search("key", { maxResults: 5 })).rejects.toThrow("Serper rejected the API key (HTTP 403); check SERPER_API_KEY");
    await expect(p.search("hang", { maxResults: 5 })).rejects.toThrow("Serper: no reply within 150 ms (after 2 attempts)");
    await expect(p.search("shape", { maxResults: 5 })).rejects.toThrow("Serper: the reply is not a search result object");
    await expect(p.search("html", { maxResults: 5 })).rejects.toThrow(/not valid JSON \(<html>oops<\/html>\)/);
    const byQuery = (q: string) => s.hits.filter((h) => JSON.parse(h.body).q === q).length;
    expect([byQuery("500"), byQuery("key"), byQuery("hang"), byQuery("shape")]).toEqual([2, 1, 2, 1]);
  });

  test("an unreachable server and a cancelled search", async () => {
    const s = await fake(() => ({ hang: true }));
    const url = s.url;
    const p = new SerperProvider({ apiKey: "k", baseUrl: url, retries: 0, timeoutMs: 5_000 });
    const ac = new AbortController();
    const pending = p.search("q", { maxResults: 5, signal: ac.signal });
    setTimeout(() => ac.abort(), 30);
    await expect(pending).rejects.toMatchObject({ kind: "aborted" });
    await s.close();
    servers = [];
    await expect(new SerperProvider({ apiKey: "k", baseUrl: url, retries: 1, retryBaseMs: 5 }).search("q", { maxResults: 5 })).rejects.toThrow(/cannot reach .*ECONNREFUSED/);
  });
});

describe("SearXNG (against a local fake)", () => {
  const reply = {
    query: "q",
    answers: [{ answer: "1812", url: "https://x" }],
    infoboxes: [{ infobox: "Citibank", content: "A bank founded in 1812." }],
    results: [
      { title: "Citibank", content: "Citibank was founded in 1812.", url: "https://a" },
      { title: "Empty", content: "", url: "https://b" },
      { title: "Other", content: "Something else." },
    ],
  };

  test("request shape and entries", async () => {
    const s = await fake(() => ({ json: reply }));
    const p = new SearxngProvider({ url: `${s.url}/searx`, language: "en", ...fast });
    const entries = await p.search("citibank founded", { maxResults: 5 });
    expect(entries).toEqual([
      { title: "Direct answer", answer: "1812" },
      { title: "Citibank", snippet: "A bank founded in 1812." },
      { title: "Citibank", snippet: "Citibank was founded in 1812." },
      { title: "Other", snippet: "Something else." },
    ]);
    const url = new URL(s.hits[0].url, s.url);
    expect(url.pathname).toBe("/searx/search");
    expect(Object.fromEntries(url.searchParams)).toEqual({ q: "citibank founded", format: "json", categories: "general", language: "en" });
    expect(s.hits[0].method).toBe("GET");
  });

  test("JSON output disabled, all engines down, odd unicode in the query", async () => {
    const s = await fake((h) => {
      const q = new URL(h.url, "http://x").searchParams.get("q");
      if (q === "403") return { raw: "Forbidden", status: 403 };
      if (q === "down") return { json: { results: [], answers: [], unresponsive_engines: [["google", "timeout"]] } };
      return { json: { results: [{ title: "echo", content: q }] } };
    });
    const p = new SearxngProvider({ url: s.url, ...fast });
    await expect(p.search("403", { maxResults: 5 })).rejects.toThrow(/enable it in the instance's settings\.yml/);
    await expect(p.search("down", { maxResults: 5 })).rejects.toThrow("SearXNG: no search engine answered (google: timeout)");
    expect(await p.search("\uD800 naïve ∑", { maxResults: 5 })).toEqual([{ title: "echo", snippet: "\uFFFD naïve ∑" }]);
    expect(await p.search("nothing", { maxResults: 5 })).toEqual([{ title: "echo", snippet: "nothing" }]);
  });
});

describe("BM25 over a local corpus", () => {
  test("ranks the passage that answers a query first", async () => {
    const index = new Bm25Index(await loadCorpus(CORPUS));
    const title = (q: string) => index.passages[index.search(q, 1)[0].doc].title;
    expect(title("When was Citibank founded?")).toBe("Citibank");
    expect(title("first African American mayor of New York City")).toBe("David Dinkins");
    expect(title("Which spacecraft approached Uranus?")).toBe("Voyager 2");
    expect(index.search("zzzz qqqq", 5)).toEqual([]);
  });

  test("Okapi BM25 scores (Lucene idf, k1 = 0.9, b = 0.4), ties to the earlier passage", () => {
    const index = new Bm25Index([
      { title: "", text: "apple banana" },
      { title: "", text: "apple apple cherry date" },
      { title: "", text: "banana" },
    ]);
    const [top, second] = index.search("apple", 5);
    const idf = Math.log(1 + (3 - 2 + 0.5) / (2 + 0.5));
    const avg = 7 / 3;
    const score = (tf: number, len: number) => (idf * tf * 1.9) / (tf + 0.9 * (1 - 0.4 + (0.4 * len) / avg));
    expect(top.doc).toBe(1);
    expect(top.score).toBeCloseTo(score(2, 4), 12);
    expect(second.score).toBeCloseTo(score(1, 2), 12);
    const tie = new Bm25Index([{ title: "", text: "x" }, { title: "", text: "x" }]);
    expect(tie.search("x", 2).map((r) => r.doc)).toEqual([0, 1]);
  });

  test("stems and folds: inflections and diacritics still match", () => {
    const index = new Bm25Index([{ title: "Toghon Temür", text: "He was founding the dynasty." }, { title: "Other", text: "Nothing here." }]);
    expect(index.search("toghon temur founded", 5).map((r) => r.doc)).toEqual([0]);
  });

  test("corpus formats and errors", async () => {
    const dir = mkdtempSync(join(tmpdir(), "bm25-"));
    const dpr = join(dir, "dpr.jsonl");
    writeFileSync(dpr, `${JSON.stringify({ id: "1", contents: '"Citibank"\nFounded in 1812.' })}\n\n${JSON.stringify({ id: 2, contents: "one line only" })}\n`);
    expect(await loadCorpus(dpr)).toEqual([
      { title: "Citibank", text: "Founded in 1812." },
      { title: "", text: "one line only" },
    ]);
    const bad = join(dir, "bad.jsonl");
    writeFileSync(bad, `${JSON.stringify({ title: "a", text: "b" })}\n{oops\n`);
    await expect(loadCorpus(bad)).rejects.toThrow(/bad\.jsonl, line 2: not valid JSON/);
    writeFileSync(bad, `${JSON.stringify({ title: "a" })}\n`);
    await expect(loadCorpus(bad)).rejects.toThrow(/line 1: expected/);
    writeFileSync(bad, "\n\n");
    await expect(loadCorpus(bad)).rejects.toThrow(/holds no passages/);
    await expect(loadCorpus(join(dir, "missing.jsonl"))).rejects.toThrow(/cannot be read: ENOENT/);
  });

  test("snippets are cut at a word boundary, titles default to the passage number", async () => {
    const dir = mkdtempSync(join(tmpdir(), "bm25-"));
    const file = join(dir, "c.jsonl");
    writeFileSync(file, `${JSON.stringify({ title: "", text: `${"word ".repeat(200)}end` })}\n`);
    const p = await resolveSearchProvider(`bm25:${file}?snippet=50`);
    const [e] = await p.search("word", { maxResults: 5 });
    expect(e.title).toBe("Passage 1");
    expect(e.snippet).toBe(`${"word ".repeat(9)}word…`);
  });
});

describe("search specs", () => {
  test("parsing", () => {
    expect(parseSearchSpec("serper")).toEqual({ scheme: "serper", target: "", params: {} });
    expect(parseSearchSpec("searxng:http://localhost:8888?timeout=5&language=en")).toEqual({
      scheme: "searxng",
      target: "http://localhost:8888",
      params: { timeout: "5", language: "en" },
    });
    expect(parseSearchSpec("BM25:corpus.jsonl")).toMatchObject({ scheme: "bm25", target: "corpus.jsonl" });
    expect(() => parseSearchSpec("google")).toThrow(/not a search spec/);
    expect(() => parseSearchSpec("bm25:")).toThrow(/needs a corpus path/);
    expect(() => parseSearchSpec("searxng")).toThrow(/needs a URL/);
    expect(() => parseSearchSpec("bm25:c.jsonl?k=1")).toThrow(/unknown option "k" \(bm25 takes k1, b, snippet\)/);
  });

  test("one provider per spec per process: the BM25 index is built once", async () => {
    const a = await resolveSearchProvider(`bm25:${CORPUS}`);
    const b = await resolveSearchProvider("bm25:test/fixtures/search-corpus.jsonl");
    expect(a).toBe(b);
    expect(await resolveSearchProvider(`bm25:${CORPUS}?k1=1.2`)).not.toBe(a);
    await expect(resolveSearchProvider(`bm25:${CORPUS}?b=2`)).rejects.toThrow(/between 0 and 1/);
    await expect(resolveSearchProvider(`bm25:${CORPUS}?k1=abc`)).rejects.toThrow(/k1=abc must be a number/);
  });

  test("serper needs SERPER_API_KEY, and reads it when the provider is built", async () => {
    const saved = process.env.SERPER_API_KEY;
    try {
      delete process.env.SERPER_API_KEY;
      await expect(resolveSearchProvider("serper")).rejects.toThrow(/needs an API key in SERPER_API_KEY/);
      const s = await fake(() => ({ json: { organic: [{ title: "T", snippet: "S" }] } }));
      process.env.SERPER_API_KEY = "from-env";
      const p = await resolveSearchProvider(`serper:${s.url}?num=15&timeout=2&retries=0`);
      expect(await p.search("q", { maxResults: 5 })).toEqual([{ title: "T", snippet: "S" }]);
      expect(s.hits[0].headers["x-api-key"]).toBe("from-env");
      expect(JSON.parse(s.hits[0].body).num).toBe(15);
    } finally {
      if (saved === undefined) delete process.env.SERPER_API_KEY;
      else process.env.SERPER_API_KEY = saved;
    }
  });

  test("options a spec leaves out keep their defaults (3 attempts, then a clear error)", async () => {
    const s = await fake(() => ({ json: { error: "boom" }, status: 500 }));
    const p = await resolveSearchProvider(`searxng:${s.url}`);
    await expect(p.search("q", { maxResults: 5 })).rejects.toThrow("SearXNG answered HTTP 500: boom (after 3 attempts)");
    expect(s.hits).toHaveLength(3);
  }, 10_000);

  test("a SearchError carries its kind", () => {
    const e = new SearchError("x", "timeout", true);
    expect([e.kind, e.retryable, e.name]).toEqual(["timeout", true, "SearchError"]);
  });
});
