import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { homedir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { INTERACT_TOOL } from "../../src/core/action.js";
import { LOCAL_MODELS } from "../../src/models/local/catalog.js";
import { cachedModelPath, fetchModelFile, hfFileUrl, parseModelRef, type ModelRef } from "../../src/models/local/model-source.js";
import { tinyModelGguf } from "../../src/models/local/tiny-model.js";
import { createModel } from "../../src/models/spec.js";
import { TOOL_CALL_REPLY, tempDir } from "./local-fixture.js";

describe("parseModelRef", () => {
  test("paths, catalog names and Hugging Face references", () => {
    expect(parseModelRef("/m/x.gguf")).toEqual({ kind: "path", path: "/m/x.gguf" });
    expect(parseModelRef("~/m.gguf")).toEqual({ kind: "path", path: join(homedir(), "m.gguf") });
    expect(parseModelRef("qwen3-0.6b")).toMatchObject({ kind: "hf", ...LOCAL_MODELS["qwen3-0.6b"], name: "qwen3-0.6b" });
    expect(parseModelRef("hf:Qwen/Qwen3-0.6B-GGUF/Qwen3-0.6B-Q8_0.gguf")).toEqual({
      kind: "hf",
      repo: "Qwen/Qwen3-0.6B-GGUF",
      revision: "main",
      file: "Qwen3-0.6B-Q8_0.gguf",
    });
    expect(parseModelRef("hf:org/repo@abc123/sub/m.gguf")).toEqual({ kind: "hf", repo: "org/repo", revision: "abc123", file: "sub/m.gguf" });
    expect(() => parseModelRef("hf:org/m.gguf")).toThrow(/hf:<org>\/<repo>/);
    expect(() => parseModelRef("hf:org/repo/../../etc/passwd")).toThrow(/only letters/);
    expect(() => parseModelRef("qwen9")).toThrow(/neither a .gguf path.*qwen3-0.6b/);
  });

  test("catalog pins are complete", () => {
    for (const m of Object.values(LOCAL_MODELS)) {
      expect(m.revision).toMatch(/^[0-9a-f]{40}$/);
      expect(m.sha256).toMatch(/^[0-9a-f]{64}$/);
      expect(m.size).toBeGreaterThan(100e6);
    }
  });
});

/** A stand-in for huggingface.co: resolve URLs redirect (naming the LFS sha256 and size) to a file server with Range support. */
interface FakeHub {
  url: string;
  requests: { method: string; path: string; range?: string }[];
  /** Abort the next file response after this many bytes. */
  cutNextAt?: number;
  /** Announce this sha256 instead of the real one. */
  announceSha?: string;
}

function startHub(files: Record<string, Buffer>): Promise<FakeHub & { server: Server }> {
  const hub = { url: "", requests: [] } as unknown as FakeHub & { server: Server };
  hub.server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname);
    hub.requests.push({ method: req.method ?? "", path, range: req.headers.range });
    const resolve = /^\/(.+?\/.+?)\/resolve\/([^/]+)\/(.+)$/.exec(path);
    if (resolve) {
      const body = files[`${resolve[1]}/${resolve[3]}`];
      if (!body) return res.writeHead(404).end("not found");
      if (resolve[1].startsWith("gated/") && req.headers.authorization !== "Bearer sesame") return res.writeHead(401).end();
      res.writeHead(302, {
        location: `/cdn/${resolve[1]}/${resolve[3]}`,
        "x-linked-etag": `"${hub.announceSha ?? createHash("sha256").update(body).digest("hex")}"`,
        "x-linked-size": String(body.length),
      });
      return res.end();
    }
    const body = files[path.replace(/^\/cdn\//, "")];
    if (!body) return res.writeHead(404).end();
    const m = /^bytes=(\d+)-$/.exec(req.headers.range ?? "");
    const start = m ? Number(m[1]) : 0;
    const chunk = body.subarray(start);
    res.writeHead(m ? 206 : 200, { "content-length": String(chunk.length) });
    if (hub.cutNextAt !== undefined) {
      const cut = hub.cutNextAt;
      hub.cutNextAt = undefined;
      res.write(chunk.subarray(0, cut), () => setTimeout(() => res.destroy(), 100)); // let the bytes arrive, then drop
      return;
    }
    res.end(chunk);
  });
  return new Promise((ok) =>
    hub.server.listen(0, "127.0.0.1", () => {
      hub.url = `http://127.0.0.1:${(hub.server.address() as AddressInfo).port}`;
      ok(hub);
    }),
  );
}

describe("downloads from a Hugging Face endpoint", () => {
  const model = tinyModelGguf({ reply: TOOL_CALL_REPLY });
  const sha = createHash("sha256").update(model).digest("hex");
  let hub: Awaited<ReturnType<typeof startHub>>;
  const ref = (over: Partial<Extract<ModelRef, { kind: "hf" }>> = {}): Extract<ModelRef, { kind: "hf" }> => ({
    kind: "hf",
    repo: "org/tiny",
    revision: "main",
    file: "tiny.gguf",
    ...over,
  });
  const opts = (cacheDir: string) => ({ cacheDir, offline: false, endpoint: hub.url, onProgress: () => {} });

  beforeAll(async () => {
    hub = await startHub({ "org/tiny/tiny.gguf": model, "gated/tiny/tiny.gguf": model });
  });
  afterAll(() => new Promise<void>((ok) => hub.server.close(() => ok())));

  test("downloads once into the cache, checked against the published sha256, with progress", async () => {
    const cacheDir = tempDir();
    const progress: number[] = [];
    const path = await fetchModelFile(ref(), { ...opts(cacheDir), onProgress: (_f, received) => progress.push(received) });
    expect(path).toBe(join(cacheDir, "models", "org", "tiny", "main", "tiny.gguf"));
    expect(path).toBe(cachedModelPath(ref(), cacheDir));
    expect(createHash("sha256").update(readFileSync(path)).digest("hex")).toBe(sha);
    expect(progress.at(-1)).toBe(model.length);
    const before = hub.requests.length;
    expect(await fetchModelFile(ref(), { ...opts(cacheDir), offline: true })).toBe(path);
    expect(hub.requests.length).toBe(before);
  });

  test("an interrupted download resumes from the partial file", async () => {
    const cacheDir = tempDir();
    hub.cutNextAt = 100_000;
    await expect(fetchModelFile(ref(), opts(cacheDir))).rejects.toThrow(/run again to resume/);
    const part = `${cachedModelPath(ref(), cacheDir)}.part`;
    const kept = readFileSync(part).length; // what arrived before the connection dropped
    expect(kept).toBeGreaterThan(0);
    expect(kept).toBeLessThanOrEqual(100_000);
    const path = await fetchModelFile(ref(), opts(cacheDir));
    expect(hub.requests.at(-1)).toMatchObject({ method: "GET", range: `bytes=${kept}-` });
    expect(readFileSync(path).equals(model)).toBe(true);
    expect(existsSync(part)).toBe(false);
  });

  test("a checksum mismatch rejects the file; a pin that disagrees with the server refuses to download", async () => {
    const cacheDir = tempDir();
    hub.announceSha = "0".repeat(64);
    try {
      await expect(fetchModelFile(ref(), opts(cacheDir))).rejects.toThrow(/sha256 .* does not match the pinned 0{64}/);
      expect(existsSync(cachedModelPath(ref(), cacheDir))).toBe(false);
      const n = hub.requests.length;
      await expect(fetchModelFile(ref({ sha256: "1".repeat(64) }), opts(cacheDir))).rejects.toThrow(/differs from the pinned 1{64}; refusing/);
      expect(hub.requests.slice(n).map((r) => r.method)).toEqual(["HEAD"]);
    } finally {
      hub.announceSha = undefined;
    }
  });

  test("missing files, gated repositories and offline mode say what to do", async () => {
    const cacheDir = tempDir();
    await expect(fetchModelFile(ref({ file: "nope.gguf" }), opts(cacheDir))).rejects.toThrow(/no such file at revision main \(HTTP 404\)/);
    await expect(fetchModelFile(ref({ repo: "gated/tiny" }), opts(cacheDir))).rejects.toThrow(/set HF_TOKEN/);
    expect(await fetchModelFile(ref({ repo: "gated/tiny" }), { ...opts(cacheDir), token: "sesame" })).toMatch(/tiny\.gguf$/);
    await expect(fetchModelFile(ref(), { ...opts(cacheDir), offline: true })).rejects.toThrow(/not in the model cache .*USERRL_OFFLINE=1.*local:<path\.gguf>/);
    await expect(fetchModelFile(ref(), { ...opts(cacheDir), endpoint: "http://127.0.0.1:1" })).rejects.toThrow(/cannot reach .*without internet, pass local:<path\.gguf>/);
    expect(hfFileUrl(ref({ file: "a b/c.gguf" }), "https://hub/")).toBe("https://hub/org/tiny/resolve/main/a%20b/c.gguf");
  });

  test("`local:hf:…` downloads (HF_ENDPOINT, user cache) and runs the model", async () => {
    const saved = { HF_ENDPOINT: process.env.HF_ENDPOINT, USERRL_CACHE_DIR: process.env.USERRL_CACHE_DIR, USERRL_OFFLINE: process.env.USERRL_OFFLINE };
    process.env.HF_ENDPOINT = hub.url;
    process.env.USERRL_CACHE_DIR = tempDir();
    process.env.USERRL_OFFLINE = "0";
    const stderr = process.stderr.write;
    process.stderr.write = (() => true) as typeof process.stderr.write; // the progress line
    try {
      const m = await createModel("local:hf:org/tiny/tiny.gguf?temperature=0&parallel=1");
      const r = await m.chat([{ role: "user", content: "go" }], { tools: [INTERACT_TOOL] });
      expect(r.toolCalls[0]).toMatchObject({ name: "interact_with_env", arguments: '{"choice":"answer","content":"42"}' });
      await m.close?.();
      expect(existsSync(join(process.env.USERRL_CACHE_DIR, "models", "org", "tiny", "main", "tiny.gguf"))).toBe(true);
    } finally {
      process.stderr.write = stderr;
      for (const [k, v] of Object.entries(saved)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    }
  });
});
