/** Local fake search endpoints (Serper- and SearXNG-shaped) for SearchGym tests: no network. */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { SearchEntry, SearchOptions, SearchProvider } from "../../src/gyms/search/providers/types.js";

export interface FakeHit {
  method: string;
  url: string;
  headers: IncomingMessage["headers"];
  body: string;
  /** Remote port: a reused keep-alive connection keeps its port. */
  remotePort: number;
}

/** What the fake does for one request: a JSON body, a status (with Retry-After), raw text, or hang. */
export type FakeAction =
  | { json: unknown; status?: number; retryAfter?: number }
  | { raw: string; status?: number }
  | { hang: true };

export interface FakeSearchServer {
  url: string;
  hits: FakeHit[];
  close(): Promise<void>;
}

export async function startFakeSearch(respond: (hit: FakeHit, index: number) => FakeAction): Promise<FakeSearchServer> {
  const hits: FakeHit[] = [];
  const hanging: ServerResponse[] = [];
  const server = createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString("utf8")));
    req.on("end", () => {
      const hit: FakeHit = { method: req.method ?? "", url: req.url ?? "", headers: req.headers, body, remotePort: req.socket.remotePort ?? 0 };
      hits.push(hit);
      const a = respond(hit, hits.length - 1);
      if ("hang" in a) return void hanging.push(res);
      const headers: Record<string, string> = { "content-type": "application/json" };
      if ("retryAfter" in a && a.retryAfter !== undefined) headers["retry-after"] = String(a.retryAfter);
      res.writeHead(a.status ?? 200, headers);
      res.end("json" in a ? JSON.stringify(a.json) : a.raw);
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    hits,
    close: () =>
      new Promise<void>((r) => {
        for (const res of hanging) res.destroy();
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

/** An in-memory provider: fixed entries (or a function of the query), counting its calls. */
export class StaticProvider implements SearchProvider {
  readonly queries: string[] = [];
  constructor(
    private readonly reply: SearchEntry[] | ((q: string) => SearchEntry[] | Promise<SearchEntry[]>),
    readonly spec = "static",
  ) {}
  async search(query: string, opts: SearchOptions): Promise<SearchEntry[]> {
    this.queries.push(query);
    const r = typeof this.reply === "function" ? await this.reply(query) : this.reply;
    return r.slice(0, opts.maxResults);
  }
}

/** The reference's mock results (SERPER_API_KEY=mock_api_key_for_testing), as provider entries. */
export const MOCK_ENTRIES: SearchEntry[] = [
  { title: "Mock Result 1", snippet: "This is a mock search result for testing purposes." },
  { title: "Mock Result 2", snippet: "Another mock result to demonstrate the search functionality." },
];
