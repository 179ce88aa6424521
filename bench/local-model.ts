/**
 * Local GGUF models through the full model stack (`createModel("local:…")`):
 *  1. load time (file check, model, a context of 4 sequences × 4,096 tokens unless the spec sets `context`);
 *  2. prefill tokens/s (a fresh prompt of about 1,000 tokens, one generated token);
 *  3. decode tokens/s of one sequence, with and without logprobs;
 *  4. aggregate decode tokens/s of 4 concurrent calls on a context with 4 sequences;
 *  5. the second turn of a conversation with and without the cached prefix.
 * Without an argument it measures the generated tiny model (115k parameters) at threads 1 and 2;
 * `npm run bench -- local-model <spec>` measures any model (`local:<path>`, `local:qwen3-0.6b`, `local:hf:…`;
 * the `local:` may be left out), `--tokens N` sets the decode length (default 256, tiny model 1,024).
 */
import { join } from "node:path";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { createModel } from "../src/models/spec.js";
import type { ChatMessage } from "../src/models/types.js";
import { printTable } from "./lib/table.js";

export const describe = "local GGUF models: load time, prefill and decode tokens/s (1 and 4 sequences), prefix reuse";

const FILLER = "The user thinks of an animal; the assistant asks yes or no questions to find it. ";

function conversation(n: number, words: number): ChatMessage[] {
  // A distinct first line per prompt, so no prompt reuses another's cached prefix.
  return [
    { role: "system", content: `Session ${n}. ${FILLER.repeat(Math.ceil(words / 16))}` },
    { role: "user", content: "Is it a mammal?" },
  ];
}

interface Row {
  label: string;
  values: (string | number)[];
}

async function measure(spec: string, tokens: number, label: string): Promise<Row[]> {
  // 4 sequences of 4,096 tokens: the longest prompt here is about 2,300 tokens.
  const options = new URLSearchParams(spec.includes("?") ? spec.slice(spec.indexOf("?") + 1) : "");
  options.set("parallel", "4");
  if (!options.has("context")) options.set("context", "4096");
  const t0 = performance.now();
  const model = await createModel(`${spec.replace(/\?.*$/, "")}?${options}`, { cache: null });
  // The first call also pays the lazy parts of loading; time it with the load.
  await model.chat(conversation(0, 16), { maxTokens: 1, temperature: 0 });
  const loadS = (performance.now() - t0) / 1000;
  const rows: Row[] = [];
  try {
    const prefill = async () => {
      const t = performance.now();
      const r = await model.chat(conversation(Math.random(), 800), { maxTokens: 1, temperature: 0 });
      return r.usage.promptTokens / ((performance.now() - t) / 1000);
    };
    await prefill();
    rows.push({ label: `${label}: prefill`, values: ["tok/s", await prefill()] });

    for (const logprobs of [false, true]) {
      const t = performance.now();
      const r = await model.chat(conversation(Math.random(), 8), { maxTokens: tokens, temperature: 1, seed: 7, logprobs });
      rows.push({
        label: `${label}: decode, 1 sequence${logprobs ? ", logprobs" : ""}`,
        values: ["tok/s", r.usage.completionTokens / ((performance.now() - t) / 1000)],
      });
    }

    const t = performance.now();
    const all = await Promise.all([1, 2, 3, 4].map((i) => model.chat(conversation(i + Math.random(), 8), { maxTokens: tokens, temperature: 1, seed: i })));
    const generated = all.reduce((a, r) => a + r.usage.completionTokens, 0);
    rows.push({ label: `${label}: decode, 4 sequences (aggregate)`, values: ["tok/s", generated / ((performance.now() - t) / 1000)] });

    const convo = conversation(Math.random(), 800);
    const first = await model.chat(convo, { maxTokens: 16, temperature: 0 });
    const next = [...convo, { role: "assistant" as const, content: first.text }, { role: "user" as const, content: "Does it fly?" }];
    let tw = performance.now();
    const warm = await model.chat(next, { maxTokens: 1, temperature: 0 });
    const warmMs = performance.now() - tw;
    tw = performance.now();
    await model.chat([{ ...next[0], content: `Fresh. ${next[0].content}` }, ...next.slice(1)], { maxTokens: 1, temperature: 0 });
    const coldMs = performance.now() - tw;
    rows.push({
      label: `${label}: 2nd turn, cached prefix (${warm.usage.cachedPromptTokens}/${warm.usage.promptTokens} tokens) vs cold`,
      values: ["ms", `${warmMs.toFixed(0)} vs ${coldMs.toFixed(0)}`],
    });
    rows.unshift({ label: `${label}: load + first token`, values: ["s", loadS] });
  } finally {
    await model.close?.();
  }
  return rows;
}

export async function run(args: string[]): Promise<void> {
  const at = args.indexOf("--tokens");
  const tokensArg = at >= 0 ? Number(args[at + 1]) : undefined;
  const named = args.filter((a, i) => !a.startsWith("--") && !(at >= 0 && i === at + 1))[0];
  const rows: Row[] = [];
  if (named) {
    const spec = named.startsWith("local:") ? named : `local:${named}`;
    rows.push(...(await measure(spec, tokensArg ?? 256, spec.replace(/\?.*$/, ""))));
  } else {
    const { writeTinyModel } = await import("../src/models/local/tiny-model.js");
    const dir = mkdtempSync(join(tmpdir(), "userrl-bench-"));
    const file = writeTinyModel(join(dir, "tiny.gguf"));
    try {
      // threads=2 is shown for the 2-core finding (ggml's spinning threads fight Node's); it is slow, so decode less.
      for (const threads of [1, 2]) {
        const tokens = tokensArg ?? (threads === 1 ? 1024 : 64);
        rows.push(...(await measure(`local:${file}?threads=${threads}`, tokens, `tiny, threads=${threads}`)));
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  printTable("local model (node-llama-cpp, through createModel)", ["measure", "unit", "value"], rows.map((r) => [r.label, ...r.values]));
}
