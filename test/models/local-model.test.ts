import type { Token } from "node-llama-cpp";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { INTERACT_TOOL, parseToolCall } from "../../src/core/action.js";
import { resolveAgent, resolveUser } from "../../src/agents/resolve.js";
import { DEFAULT_LOCAL_MODEL } from "../../src/models/local/catalog.js";
import { LocalChatModel } from "../../src/models/local/local-model.js";
import { createModel } from "../../src/models/spec.js";
import type { ChatMessage } from "../../src/models/types.js";
import { getGym } from "../../src/gyms/index.js";
import { ctx, data, runTestEpisode, task } from "../helpers.js";
import { TOOL_CALL_REPLY, tinyModelFile } from "./local-fixture.js";

const convo: ChatMessage[] = [
  { role: "system", content: "You probe a hidden function." },
  { role: "user", content: "Find the value of the function on the test case." },
];

let randomFile: string;
let random: LocalChatModel;

beforeAll(async () => {
  randomFile = tinyModelFile();
  random = await LocalChatModel.create({ file: randomFile, parallel: 2 });
});
afterAll(async () => {
  await random.close();
});

describe("a scripted tiny model", () => {
  test("its <tool_call> reply becomes an interact_with_env tool call", async () => {
    const model = await LocalChatModel.create({ file: tinyModelFile({ reply: TOOL_CALL_REPLY }) });
    try {
      const r = await model.chat(convo, { tools: [INTERACT_TOOL], temperature: 0 });
      expect(r.finishReason).toBe("tool_calls");
      expect(r.text).toBe("");
      expect(r.toolCalls).toHaveLength(1);
      const call = parseToolCall(r.toolCalls[0].name, r.toolCalls[0].arguments);
      expect(call.ok && call.args).toEqual({ choice: "answer", content: "42" });
      // Token ids: the three reply tokens and the end-of-turn token, which the text leaves out.
      expect(r.tokenIds).toHaveLength(4);
      const ids = r.tokenIds as Token[];
      expect(model.engine.model.detokenize(ids.slice(0, 3), true)).toBe(TOOL_CALL_REPLY.join(""));
      expect(model.engine.model.isEogToken(ids[3])).toBe(true);
      expect(r.usage.completionTokens).toBe(4);
      expect(r.usage.promptTokens).toBe(model.promptTokens(convo, { tools: [INTERACT_TOOL] }).length);
    } finally {
      await model.close();
    }
  });

  test("<think> goes to reasoning, the rest is the visible text", async () => {
    const model = await LocalChatModel.create({ file: tinyModelFile({ reply: ["<think>", "Probe-first.", "</think>", "Hello!"] }) });
    try {
      const r = await model.chat(convo, { temperature: 0 });
      expect(r).toMatchObject({ reasoning: "Probe-first.", text: "Hello!", finishReason: "stop", toolCalls: [] });
    } finally {
      await model.close();
    }
  });

  test("a broken <tool_call> is kept as text, not turned into a call", async () => {
    const model = await LocalChatModel.create({ file: tinyModelFile({ reply: ["<tool_call>", '{"name":"interact_with_env","arguments":{', "</tool_call>"] }) });
    try {
      const r = await model.chat(convo, { tools: [INTERACT_TOOL], temperature: 0 });
      expect(r.toolCalls).toEqual([]);
      expect(r.text).toContain("<tool_call>");
      expect(r.finishReason).toBe("stop");
    } finally {
      await model.close();
    }
  });
});

describe("sampling, token ids and logprobs", () => {
  test("the logprob of every sampled token is log softmax(logits / T) over the whole vocabulary", async () => {
    const T = 0.7;
    const prompt = random.promptTokens(convo);
    const r = await random.chat(convo, { temperature: T, seed: 11, maxTokens: 12, logprobs: true });
    expect(r.tokenIds).toHaveLength(12);
    expect(r.logprobs?.map((l) => l.tokenId)).toEqual(r.tokenIds);
    // Teacher-forced reference on a fresh context: the full next-token distribution at each step.
    const { model } = random.engine;
    const ctx = await model.createContext({ contextSize: 2048, threads: 1 });
    try {
      const seq = ctx.getSequence();
      const input = [...prompt, ...r.tokenIds!.slice(0, -1)].map((tok, i) =>
        i >= prompt.length - 1 ? ([tok, { generateNext: { probabilities: true, options: { temperature: T, topK: 0, topP: 1, minP: 0 } } }] as const) : tok,
      );
      const outputs = await seq.controlledEvaluate(input as never);
      r.tokenIds!.forEach((tok, k) => {
        const dist = outputs[prompt.length - 1 + k]?.next?.probabilities as Map<number, number>;
        expect(dist.size).toBe(random.engine.summary.vocabSize);
        expect(r.logprobs![k].logprob).toBeCloseTo(Math.log(dist.get(tok)!), 4);
      });
    } finally {
      await ctx.dispose();
    }
  });

  test("greedy decoding reports log softmax(logits) and is deterministic; seeds make sampling reproducible", async () => {
    const a = await random.chat(convo, { temperature: 0, maxTokens: 8, logprobs: true });
    const b = await random.chat(convo, { temperature: 0, maxTokens: 8 });
    expect(b.tokenIds).toEqual(a.tokenIds);
    for (const l of a.logprobs!) expect(l.logprob).toBeLessThan(0);
    const s1 = await random.chat(convo, { temperature: 1, seed: 5, maxTokens: 10 });
    const s2 = await random.chat(convo, { temperature: 1, seed: 5, maxTokens: 10 });
    const s3 = await random.chat(convo, { temperature: 1, seed: 6, maxTokens: 10 });
    expect(s2.tokenIds).toEqual(s1.tokenIds);
    expect(s3.tokenIds).not.toEqual(s1.tokenIds);
    expect(s1.finishReason).toBe("length");
    expect(s1.logprobs).toBeUndefined();
  });

  test("concurrent calls share the context's sequences; a follow-up turn reuses the cached prefix", async () => {
    const calls = Array.from({ length: 5 }, (_, i) => random.chat(convo, { temperature: 1, seed: i, maxTokens: 6 }));
    const results = await Promise.all(calls);
    // Six tokens each, unless the random model happened to sample an end-of-turn token.
    for (const r of results) expect(r.tokenIds!.length === 6 || r.finishReason === "stop").toBe(true);
    const first = await random.chat(convo, { temperature: 0, maxTokens: 5 });
    const next = await random.chat([...convo, { role: "assistant", content: first.text }, { role: "user", content: "And now?" }], { temperature: 0, maxTokens: 5 });
    expect(next.usage.cachedPromptTokens).toBeGreaterThanOrEqual(random.promptTokens(convo).length);
  });

  test("stop strings cut the reply", async () => {
    const model = await LocalChatModel.create({ file: tinyModelFile({ reply: ["<think>", "Probe-first.", "</think>", "Hello!"] }) });
    try {
      const r = await model.chat(convo, { temperature: 0, stop: ["</think>"] });
      expect(r.finishReason).toBe("stop");
      expect(r.reasoning).toBe("Probe-first.");
      expect(r.text).toBe("");
    } finally {
      await model.close();
    }
  });

  test("JSON mode constrains the output with llama.cpp's JSON grammar", async () => {
    const r = await random.chat(convo, { json: true, temperature: 1, seed: 3, maxTokens: 24 });
    expect(r.text.trimStart().startsWith("{")).toBe(true);
  });
});

describe("limits and errors", () => {
  test("a conversation that fills the context ends the turn with finish reason 'length'; replies never overflow it", async () => {
    const small = await LocalChatModel.create({ file: randomFile, contextSize: 256, parallel: 1 });
    try {
      const long = [{ role: "user" as const, content: "word ".repeat(400) }];
      expect(await small.chat(long)).toMatchObject({ text: "", toolCalls: [], finishReason: "length", usage: { completionTokens: 0 } });
      const r = await small.chat(convo, { maxTokens: 10_000, temperature: 1 });
      expect(r.usage.promptTokens + r.usage.completionTokens).toBeLessThanOrEqual(256);
    } finally {
      await small.close();
    }
  });

  test("a call aborted while generating or while waiting for a sequence fails 'aborted' and frees its sequence", async () => {
    const long = Array.from({ length: 300 }, (_, i) => `w${i}`); // a deterministic 300-token reply
    const model = await LocalChatModel.create({ file: tinyModelFile({ reply: long }), parallel: 1 });
    try {
      const generating = new AbortController();
      const waiting = new AbortController();
      const first = model.chat(convo, { temperature: 0, signal: generating.signal });
      const second = model.chat(convo, { temperature: 0, signal: waiting.signal }); // queued: one sequence
      waiting.abort();
      await expect(second).rejects.toMatchObject({ kind: "aborted" });
      setTimeout(() => generating.abort(), 0);
      await expect(first).rejects.toMatchObject({ kind: "aborted" });
      const r = await model.chat(convo, { temperature: 0 });
      expect(r.text).toBe(long.join(""));
      expect(r.tokenIds).toHaveLength(301);
    } finally {
      await model.close();
    }
  });
});

describe("the local: spec", () => {
  test("createModel builds a local model from the spec and its options", async () => {
    const spec = `local:${randomFile}?threads=1&parallel=2&context=1024&temperature=0&max_tokens=4&thinking=off`;
    const m = await createModel(spec);
    try {
      const r = await m.chat(convo);
      expect(r.tokenIds).toHaveLength(4);
      expect(m.spec).toBe(spec);
      expect(m.meter.snapshot()).toMatchObject({ calls: 1, completionTokens: 4 });
    } finally {
      await m.close?.();
    }
  });

  test("models on the same file and engine settings share one loaded model until the last is closed", async () => {
    const a = await LocalChatModel.create({ file: randomFile, parallel: 2, thinking: false });
    const b = await LocalChatModel.create({ file: randomFile, parallel: 2 });
    expect(b.engine).toBe(random.engine);
    expect(a.engine).toBe(random.engine);
    await a.close();
    await b.close();
    expect((await random.chat(convo, { maxTokens: 2 })).tokenIds).toHaveLength(2);
  });

  test("bad options and bad targets are spec errors", async () => {
    await expect(createModel(`local:${randomFile}?threads=0`)).rejects.toThrow(/threads=0 must be an integer from 1/);
    await expect(createModel(`local:${randomFile}?gpu=tpu`)).rejects.toThrow(/gpu=tpu/);
    await expect(createModel(`local:${randomFile}?bogus=1`)).rejects.toThrow(/unknown option "bogus"/);
    await expect(createModel("local:no-such-model")).rejects.toThrow(/neither a .gguf path/);
    await expect(createModel("local:/nonexistent/m.gguf")).rejects.toThrow(/does not exist/);
    // The default model is not in the (empty) test cache and downloads are off.
    await expect(createModel("local:qwen3-0.6b")).rejects.toThrow(/not in the model cache.*USERRL_OFFLINE/);
  });

  test("`local` names the default model for agents; the default user is offline where the gym has one, else the local model", async () => {
    await expect(resolveAgent("local")).rejects.toThrow(/local:qwen3-0\.6b/);
    const user = await resolveUser(undefined);
    expect(user.roles(getGym("function"))).toEqual({ kind: "offline", spec: "offline" });
    const roles = user.roles({ ...getGym("function"), name: "userless", offline: false, offlineUser: null });
    expect(roles).toMatchObject({ kind: "llm", spec: DEFAULT_LOCAL_MODEL });
    await user.close();
    await expect(resolveUser("auto")).rejects.toThrow(/not in the model cache/);
  });

  test("a lazily loaded default user that cannot load stops the episode with the reason, instead of feeding fallbacks", async () => {
    const user = await resolveUser(undefined);
    const turtle = getGym("turtle");
    const roles = user.roles(turtle);
    const t = await task(turtle, (await turtle.tasks(data))[0].id);
    await expect(runTestEpisode(turtle, t, ctx({ user: roles }), { maxTurns: 2 })).rejects.toThrow(
      /default local user local:qwen3-0\.6b could not be loaded: .*not in the model cache/,
    );
    await user.close();
  });
});
