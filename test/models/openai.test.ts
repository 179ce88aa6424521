import { afterEach, describe, expect, test } from "vitest";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { INTERACT_TOOL } from "../../src/core/action.js";
import { CachedModel, ResponseCache } from "../../src/models/cache.js";
import { startFakeServer, type FakeServer } from "../../src/models/fake-server.js";
import { OpenAIChatModel } from "../../src/models/openai.js";
import { createModel, parseModelSpec, SpecError } from "../../src/models/spec.js";
import { ModelError } from "../../src/models/types.js";
import { LimitedModel, MeteredModel, RetryingModel, UsageMeter } from "../../src/models/wrappers.js";
import { Semaphore } from "../../src/core/semaphore.js";

let server: FakeServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const msgs = [{ role: "user" as const, content: "hello" }];

describe("OpenAI-compatible client against the fake server", () => {
  test("text reply with usage and <think> split off", async () => {
    server = await startFakeServer({ script: [{ text: "<think>hmm</think>Hi there" }] });
    const m = new OpenAIChatModel({ model: "fake", baseURL: server.url });
    const r = await m.chat(msgs, { temperature: 0 });
    expect(r.text).toBe("Hi there");
    expect(r.reasoning).toBe("hmm");
    expect(r.usage.promptTokens).toBeGreaterThan(0);
    expect(server.requests[0].body.temperature).toBe(0);
  });

  test("tool calls round-trip, and the tool message answers the call id", async () => {
    server = await startFakeServer({ script: [{ tool: { arguments: { choice: "action", content: "1 2 3 4" } } }] });
    const m = new OpenAIChatModel({ model: "fake", baseURL: server.url });
    const r = await m.chat(msgs, { tools: [INTERACT_TOOL] });
    expect(r.toolCalls).toHaveLength(1);
    expect(JSON.parse(r.toolCalls[0].arguments)).toEqual({ choice: "action", content: "1 2 3 4" });
    await m.chat([...msgs, { role: "assistant", content: "", toolCalls: r.toolCalls }, { role: "tool", content: "ok" }]);
    const sent = server.requests[1].body.messages as { role: string; tool_call_id?: string }[];
    expect(sent[2].tool_call_id).toBe(r.toolCalls[0].id);
  });

  test("Hermes <tool_call> text from servers without a tool parser becomes a tool call", async () => {
    server = await startFakeServer({
      script: [{ text: 'Let me probe.\n<tool_call>\n{"name": "interact_with_env", "arguments": {"choice": "search", "content": "test"}}\n</tool_call>' }],
    });
    const r = await new OpenAIChatModel({ model: "fake", baseURL: server.url }).chat(msgs);
    expect(r.text).toBe("Let me probe.");
    expect(JSON.parse(r.toolCalls[0].arguments)).toEqual({ choice: "search", content: "test" });
  });

  test("429 with Retry-After is retried after the requested delay", async () => {
    server = await startFakeServer({ script: [{ status: 429, retryAfter: 0.3 }, { text: "ok" }], loop: false });
    const m = new RetryingModel(new OpenAIChatModel({ model: "fake", baseURL: server.url }), { baseDelayMs: 1 });
    const t0 = Date.now();
    const r = await m.chat(msgs);
    expect(r.text).toBe("ok");
    expect(Date.now() - t0).toBeGreaterThanOrEqual(280);
    expect(server.stats.requests).toBe(2);
  });

  test("500s are retried with backoff; 400s are not", async () => {
    server = await startFakeServer({ script: [{ status: 500 }, { status: 503 }, { text: "ok" }], loop: false });
    const meter = new UsageMeter();
    const m = new RetryingModel(new OpenAIChatModel({ model: "fake", baseURL: server.url }), { baseDelayMs: 5, onRetry: () => meter.retries++ });
    expect((await m.chat(msgs)).text).toBe("ok");
    expect(meter.retries).toBe(2);
    await server.close();
    server = await startFakeServer({ script: [{ status: 400 }] });
    const m2 = new RetryingModel(new OpenAIChatModel({ model: "fake", baseURL: server.url }), { baseDelayMs: 5 });
    await expect(m2.chat(msgs)).rejects.toMatchObject({ kind: "http", status: 400 });
    expect(server.stats.requests).toBe(1);
  });

  test("a hanging server hits the per-attempt timeout, then a retry succeeds", async () => {
    server = await startFakeServer({ script: [{ hang: true }, { text: "late but fine" }], loop: false });
    const m = new RetryingModel(new OpenAIChatModel({ model: "fake", baseURL: server.url }), { baseDelayMs: 1, timeoutMs: 200 });
    const r = await m.chat(msgs);
    expect(r.text).toBe("late but fine");
  });

  test("timeouts that never recover surface as a timeout error", async () => {
    server = await startFakeServer({ script: [{ hang: true }] });
    const m = new RetryingModel(new OpenAIChatModel({ model: "fake", baseURL: server.url }), { baseDelayMs: 1, timeoutMs: 100, retries: 1 });
    await expect(m.chat(msgs)).rejects.toMatchObject({ kind: "timeout" });
  });

  test("malformed bodies are errors (retryable), not crashes", async () => {
    server = await startFakeServer({ script: [{ malformed: "{not json" }, { malformed: '{"choices": []}' }, { text: "ok" }], loop: false });
    const base = new OpenAIChatModel({ model: "fake", baseURL: server.url });
    await expect(base.chat(msgs)).rejects.toBeInstanceOf(ModelError);
    await expect(base.chat(msgs)).rejects.toMatchObject({ kind: "malformed" });
    expect((await base.chat(msgs)).text).toBe("ok");
  });

  test("cancellation stops waiting at once", async () => {
    server = await startFakeServer({ script: [{ hang: true }] });
    const m = new RetryingModel(new OpenAIChatModel({ model: "fake", baseURL: server.url }));
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 50);
    await expect(m.chat(msgs, { signal: ac.signal })).rejects.toMatchObject({ kind: "aborted" });
  });

  test("connections are reused (keep-alive pool per endpoint)", async () => {
    server = await startFakeServer({});
    const m = new OpenAIChatModel({ model: "fake", baseURL: server.url });
    const m2 = new OpenAIChatModel({ model: "other", baseURL: server.url });
    for (let i = 0; i < 20; i++) await (i % 2 ? m : m2).chat(msgs);
    expect(server.stats.requests).toBe(20);
    expect(server.stats.connections).toBeLessThanOrEqual(2);
  });
});

describe("wrappers", () => {
  test("the concurrency limit holds across model objects of one endpoint", async () => {
    let inFlight = 0;
    let peak = 0;
    server = await startFakeServer({
      responder: async () => {
        inFlight++;
        peak = Math.max(peak, inFlight);
        await new Promise((r) => setTimeout(r, 20));
        inFlight--;
        return { text: "ok" };
      },
    });
    const sem = new Semaphore(3);
    const m = new LimitedModel(new OpenAIChatModel({ model: "fake", baseURL: server.url }), sem);
    await Promise.all(Array.from({ length: 12 }, () => m.chat(msgs)));
    expect(peak).toBe(3);
  });

  test("the response cache serves temperature-0 calls only, keyed by the full request", async () => {
    server = await startFakeServer({});
    const cache = new ResponseCache(join(mkdtempSync(join(tmpdir(), "cache-")), "r.sqlite"));
    const m = new CachedModel(new OpenAIChatModel({ model: "fake", baseURL: server.url }), cache);
    await m.chat(msgs, { temperature: 0 });
    const hit = await m.chat(msgs, { temperature: 0 });
    expect(hit.cached).toBe(true);
    await m.chat([{ role: "user", content: "other" }], { temperature: 0 });
    await m.chat(msgs, { temperature: 1 });
    await m.chat(msgs, { temperature: 1 });
    expect(server.stats.requests).toBe(4);
    expect(cache.size()).toBe(2);
    // Persistent: a new cache object on the same file still hits.
    const again = new CachedModel(new OpenAIChatModel({ model: "fake", baseURL: server.url }), new ResponseCache(cache.path));
    expect((await again.chat(msgs, { temperature: 0 })).cached).toBe(true);
  });

  test("the meter counts calls, tokens, errors and latency", async () => {
    server = await startFakeServer({ script: [{ text: "abcd" }, { status: 400 }], loop: false });
    const meter = new UsageMeter();
    const m = new MeteredModel(new OpenAIChatModel({ model: "fake", baseURL: server.url }), meter);
    await m.chat(msgs);
    await expect(m.chat(msgs)).rejects.toThrow();
    const s = meter.snapshot();
    expect(s).toMatchObject({ calls: 2, errors: 1, completionTokens: 1 });
    expect(s.promptTokens).toBeGreaterThan(0);
    expect(s.maxLatencyMs).toBeGreaterThan(0);
  });
});

describe("model specs", () => {
  test("grammar", () => {
    expect(parseModelSpec("openai:gpt-4o")).toEqual({ scheme: "openai", target: "gpt-4o", params: {} });
    expect(parseModelSpec("openai:Qwen/Qwen3-32B@http://localhost:8000/v1?temperature=0.7&concurrency=4")).toEqual({
      scheme: "openai",
      target: "Qwen/Qwen3-32B@http://localhost:8000/v1",
      params: { temperature: "0.7", concurrency: "4" },
    });
    expect(() => parseModelSpec("gpt-4o")).toThrow(SpecError);
  });

  test("createModel builds the wrapped stack and applies spec options", async () => {
    server = await startFakeServer({});
    const m = await createModel(`openai:fake@${server.url}?temperature=0.3&max_tokens=77`, { cache: null });
    await m.chat(msgs);
    expect(server.requests[0].body).toMatchObject({ model: "fake", temperature: 0.3, max_tokens: 77 });
    expect(m.meter.snapshot().calls).toBe(1);
    await expect(createModel("openai:fake@ftp://x")).rejects.toThrow(SpecError);
    await expect(createModel(`openai:fake@${server.url}?bogus=1`)).rejects.toThrow(/unknown option/);
    await expect(createModel("nope:thing")).rejects.toThrow(/unknown model scheme/);
  });
});

describe("the keep-alive transport", () => {
  test("survives a server restart on the same port (stale pooled sockets are retried once)", async () => {
    server = await startFakeServer({});
    const m = new OpenAIChatModel({ model: "fake", baseURL: server.url });
    await m.chat(msgs);
    const port = server.port;
    await server.close();
    server = await startFakeServer({ port });
    for (let i = 0; i < 5; i++) expect((await m.chat(msgs)).text).toBe("OK");
  });

  test("a refused connection is a retryable network error", async () => {
    server = await startFakeServer({});
    const url = server.url;
    await server.close();
    server = undefined;
    const err = await new OpenAIChatModel({ model: "fake", baseURL: url }).chat(msgs).catch((e) => e);
    expect(err).toMatchObject({ kind: "network", retryable: true });
  });
});
