import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { downloadFile, DownloadError } from "../../src/data/download.js";
import { MANIFEST } from "../../src/data/manifest.js";
import { DataMissingError, DataStore } from "../../src/data/store.js";
import { functionGym } from "../../src/gyms/function/index.js";

const tmp = () => mkdtempSync(join(tmpdir(), "userrl-data-"));

test("the manifest pins every shared data file by size and sha256", async () => {
  const store = new DataStore();
  const status = await store.status(true);
  expect(status).toHaveLength(MANIFEST.length);
  for (const s of status) {
    expect(s.source).toBe("override");
    expect(s.size).toBe(s.expectedSize);
    expect(s.sha256Ok).toBe(true);
  }
});

test("parsed files are memoised: one parse per process", async () => {
  const store = new DataStore();
  const a = await store.json("userrl/gyms/function_functions.json");
  const b = await store.json("userrl/gyms/function_functions.json");
  expect(a).toBe(b);
  const rows = await store.parquet("userrl/parquet/function_multiturn/test.parquet");
  expect(rows).toHaveLength(78);
  expect(typeof (rows[0].extra_info as { index: unknown }).index).toBe("number");
});

describe("missing data", () => {
  test("an override folder without the file says what to do", async () => {
    const store = new DataStore({ dataDir: tmp() });
    await expect(store.json("userrl/gyms/function_functions.json")).rejects.toThrow(/USERRL_DATA_DIR/);
  });
  test("offline with an empty cache says how to get the data", async () => {
    const store = new DataStore({ dataDir: "", cacheDir: tmp(), offline: true });
    const err = await store.path("userrl/gyms/search_questions.json").catch((e) => e);
    expect(err).toBeInstanceOf(DataMissingError);
    expect(err.message).toMatch(/userrl data fetch/);
  });
  test("unknown keys are refused", async () => {
    await expect(new DataStore().path("nope.json")).rejects.toThrow(/manifest/);
  });
});

describe("downloads (local HTTP server, no network)", () => {
  async function serve(body: Buffer, opts: { failFirst?: boolean } = {}) {
    let calls = 0;
    const ranges: (string | undefined)[] = [];
    const server = createServer((req, res) => {
      calls++;
      ranges.push(req.headers.range);
      const m = /bytes=(\d+)-/.exec(req.headers.range ?? "");
      const start = m ? Number(m[1]) : 0;
      if (opts.failFirst && calls === 1) {
        // Send half the body, then cut the connection.
        res.writeHead(200, { "content-length": body.length });
        res.write(body.subarray(0, body.length / 2), () => res.socket?.destroy());
        return;
      }
      res.writeHead(m ? 206 : 200, { "content-length": body.length - start });
      res.end(body.subarray(start));
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/f`, ranges, close: () => new Promise((r) => server.close(r)) };
  }

  test("an interrupted download fails; a partial file is resumed with a Range request", async () => {
    const body = Buffer.from(Array.from({ length: 200_000 }, (_, i) => i % 251));
    const sha = createHash("sha256").update(body).digest("hex");
    const cut = await serve(body, { failFirst: true });
    await expect(downloadFile(cut.url, join(tmp(), "cut.bin"), { sha256: sha, size: body.length })).rejects.toThrow();
    await cut.close();
    // Resume from a known partial file (how much a cut connection delivers depends on the kernel).
    const srv = await serve(body);
    const dest = join(tmp(), "a", "file.bin");
    mkdirSync(join(dest, ".."), { recursive: true });
    writeFileSync(`${dest}.part`, body.subarray(0, 123_456));
    await downloadFile(srv.url, dest, { sha256: sha, size: body.length });
    expect(readFileSync(dest).equals(body)).toBe(true);
    expect(srv.ranges).toEqual(["bytes=123456-"]);
    await srv.close();
  });

  test("a wrong checksum is rejected and nothing is kept", async () => {
    const srv = await serve(Buffer.from("tampered"));
    const dest = join(tmp(), "f");
    await expect(downloadFile(srv.url, dest, { sha256: "0".repeat(64) })).rejects.toBeInstanceOf(DownloadError);
    expect(() => readFileSync(dest)).toThrow();
    await srv.close();
  });

  test("the store downloads a manifest file through its fetch and verifies it", async () => {
    const key = "userrl/gyms/search_questions.json";
    const body = readFileSync(join(process.env.USERRL_DATA_DIR!, key));
    const cacheDir = tmp();
    const seen: string[] = [];
    const fetchImpl = (async (url: string) => {
      seen.push(String(url));
      return new Response(body, { status: 200, headers: { "content-length": String(body.length) } });
    }) as typeof fetch;
    const store = new DataStore({ dataDir: "", cacheDir, offline: false, fetchImpl });
    const q = await store.json<unknown[]>(key);
    expect(q.length).toBe(125);
    expect(seen[0]).toMatch(/raw\.githubusercontent\.com\/SalesforceAIResearch\/UserRL\/cf55a30b.*\/gyms\/SearchGym\/searchgym\/data\/questions\.json$/);
    // Second store on the same cache: no download.
    const again = new DataStore({ dataDir: "", cacheDir, offline: true });
    expect((await again.json<unknown[]>(key)).length).toBe(125);
  });
});

test("corrupt JSON in the data folder is a clear error", async () => {
  const dir = tmp();
  mkdirSync(join(dir, "userrl", "gyms"), { recursive: true });
  writeFileSync(join(dir, "userrl", "gyms", "function_functions.json"), "{oops");
  await expect(new DataStore({ dataDir: dir }).json("userrl/gyms/function_functions.json")).rejects.toThrow(/not valid JSON/);
});

test("valid JSON of the wrong shape is named with what is wrong, in one line, when a gym loads it", async () => {
  const dir = tmp();
  mkdirSync(join(dir, "userrl", "gyms"), { recursive: true });
  writeFileSync(join(dir, "userrl", "gyms", "function_functions.json"), JSON.stringify([{ id: "func-1", rule: 42 }]));
  const loading = functionGym.tasks(new DataStore({ dataDir: dir }));
  await expect(loading).rejects.toThrow(DataMissingError);
  await expect(loading).rejects.toThrow(/^Data file "userrl\/gyms\/function_functions\.json" does not have the expected shape \(0\.[a-z_]+: [^\n]+\); `userrl data status --verify`/);
});
