/**
 * A tiny GGUF chat model generated in-process (tests, benchmarks, offline demos): qwen3 or llama
 * architecture, 2 layers, n_embd 64, random weights, a byte-level BPE vocabulary with the Qwen special
 * tokens, and the project's ChatML template. About half a megabyte; it loads in milliseconds.
 *
 * Its play is random. With `reply`, it becomes a scripted model: layer weights are small next to the
 * token embeddings, so the logits are close to a function of the current token alone, and the output
 * matrix is built so that after "\n" (the end of every generation prompt) the model emits the `reply`
 * tokens in order and then `<|im_end|>` — greedily, and with probability ≈ 1 when sampling.
 */
import { writeFileSync } from "node:fs";
import { learnByteBpe } from "./byte-bpe.js";
import { CHATML_TOOLS_TEMPLATE } from "./chatml-template.js";
import { encodeGguf, f32, i32s, strings, u32, type GgufTensor, type GgufValue, type TensorEncoding } from "./gguf-writer.js";

export interface TinyModelOptions {
  arch?: "qwen3" | "llama";
  /** Seed of the random weights (default 1). */
  seed?: number;
  /** Encoding of the 2-D weight matrices (default F32). */
  encoding?: TensorEncoding;
  /** Trained context length recorded in the file (default 4096). */
  contextLength?: number;
  /**
   * Tokens the model emits after "\n", then `<|im_end|>`. Tokens not in the vocabulary are added as
   * user-defined tokens; they must be distinct and free of spaces and newlines.
   */
  reply?: readonly string[];
  /** Chat template; null leaves the key out (default: the project's ChatML template). */
  chatTemplate?: string | null;
  /** Metadata to add or replace (for tests of unusual or broken files). */
  metadata?: Readonly<Record<string, GgufValue>>;
  /** Metadata keys to leave out (for tests of broken files). */
  omitKeys?: readonly string[];
  /** Tensors to leave out (for tests of broken files). */
  omitTensors?: readonly string[];
}

export const TINY_SHAPE = { nEmbd: 64, layers: 2, heads: 4, kvHeads: 2, ff: 128 } as const;

const CONTROL_TOKENS = ["<|endoftext|>", "<|im_start|>", "<|im_end|>"];
const USER_TOKENS = ["<tool_call>", "</tool_call>", "<think>", "</think>", "<tool_response>", "</tool_response>"];
const TOKEN_TYPE = { normal: 1, control: 3, userDefined: 4 };

/** Text the merges are learned from: the words the gyms' prompts use most. */
const MERGE_TEXT = `The user is the assistant's partner. The assistant can search, ask a question or answer.
Use the tool interact_with_env with a choice and a content. The environment returns feedback to the assistant.
The function of the numbers: the answer is the value of the function on the test case. system user assistant tool
What is the answer? Is it an animal? Is it a person? The story is about a man and a woman. Thank you.`;

/** Mulberry32 with Box–Muller normals: reproducible weights without a dependency. */
function gaussian(seed: number): () => number {
  let s = seed >>> 0;
  const uniform = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return () => Math.sqrt(-2 * Math.log(uniform() + 1e-12)) * Math.cos(2 * Math.PI * uniform());
}

export interface TinyVocabulary {
  tokens: string[];
  types: number[];
  merges: string[];
}

export function tinyVocabulary(extra: readonly string[] = []): TinyVocabulary {
  const bpe = learnByteBpe(MERGE_TEXT, 64);
  const tokens = [...bpe.tokens];
  const types = tokens.map(() => TOKEN_TYPE.normal);
  for (const t of CONTROL_TOKENS) tokens.push(t), types.push(TOKEN_TYPE.control);
  for (const t of [...USER_TOKENS, ...extra]) {
    if (tokens.includes(t)) continue;
    tokens.push(t);
    types.push(TOKEN_TYPE.userDefined);
  }
  return { tokens, types, merges: bpe.merges };
}

/** Build the GGUF bytes of a tiny model. */
export function tinyModelGguf(opts: TinyModelOptions = {}): Buffer {
  const arch = opts.arch ?? "qwen3";
  const { nEmbd, layers, heads, kvHeads, ff } = TINY_SHAPE;
  const hd = nEmbd / heads;
  const reply = opts.reply ?? [];
  for (const t of reply) {
    if (!t || /[\s]/.test(t)) throw new Error(`reply token ${JSON.stringify(t)} must be non-empty and free of whitespace`);
  }
  if (new Set(reply).size !== reply.length) throw new Error("reply tokens must be distinct");
  const vocab = tinyVocabulary(reply);
  const nVocab = vocab.tokens.length;
  const id = (t: string) => vocab.tokens.indexOf(t);
  const randn = gaussian(opts.seed ?? 1);
  const matrix = (rows: number, cols: number, scale: number) => Float32Array.from({ length: rows * cols }, () => randn() * scale);
  const ones = (n: number) => new Float32Array(n).fill(1);
  const enc = opts.encoding ?? "F32";

  const embed = matrix(nVocab, nEmbd, 1);
  const output = matrix(nVocab, nEmbd, 0.02);
  // Scripted successors: the output row of `next` points along the embedding of `prev`.
  const chain = ["\u010a", ...reply, "<|im_end|>"]; // "\n" is byte 10, written as U+010A
  for (let i = 0; i + 1 < chain.length && reply.length; i++) {
    const prev = id(chain[i]);
    const next = id(chain[i + 1]);
    let norm = 0;
    for (let k = 0; k < nEmbd; k++) norm += embed[prev * nEmbd + k] ** 2;
    norm = Math.sqrt(norm);
    for (let k = 0; k < nEmbd; k++) output[next * nEmbd + k] += (3 * embed[prev * nEmbd + k]) / norm;
  }

  const tensors: GgufTensor[] = [
    { name: "token_embd.weight", dims: [nEmbd, nVocab], data: embed, encoding: enc },
    { name: "output_norm.weight", dims: [nEmbd], data: ones(nEmbd) },
    { name: "output.weight", dims: [nEmbd, nVocab], data: output, encoding: enc },
  ];
  for (let l = 0; l < layers; l++) {
    const p = `blk.${l}.`;
    tensors.push(
      { name: `${p}attn_norm.weight`, dims: [nEmbd], data: ones(nEmbd) },
      { name: `${p}attn_q.weight`, dims: [nEmbd, heads * hd], data: matrix(heads * hd, nEmbd, 0.02), encoding: enc },
      { name: `${p}attn_k.weight`, dims: [nEmbd, kvHeads * hd], data: matrix(kvHeads * hd, nEmbd, 0.02), encoding: enc },
      { name: `${p}attn_v.weight`, dims: [nEmbd, kvHeads * hd], data: matrix(kvHeads * hd, nEmbd, 0.02), encoding: enc },
      { name: `${p}attn_output.weight`, dims: [heads * hd, nEmbd], data: matrix(nEmbd, heads * hd, 0.02), encoding: enc },
      { name: `${p}ffn_norm.weight`, dims: [nEmbd], data: ones(nEmbd) },
      { name: `${p}ffn_gate.weight`, dims: [nEmbd, ff], data: matrix(ff, nEmbd, 0.02), encoding: enc },
      { name: `${p}ffn_up.weight`, dims: [nEmbd, ff], data: matrix(ff, nEmbd, 0.02), encoding: enc },
      { name: `${p}ffn_down.weight`, dims: [ff, nEmbd], data: matrix(nEmbd, ff, 0.02), encoding: enc },
    );
    if (arch === "qwen3") {
      tensors.push({ name: `${p}attn_q_norm.weight`, dims: [hd], data: ones(hd) }, { name: `${p}attn_k_norm.weight`, dims: [hd], data: ones(hd) });
    }
  }

  const metadata: Record<string, GgufValue> = {
    "general.architecture": arch,
    "general.name": "userrl-tiny",
    [`${arch}.context_length`]: u32(opts.contextLength ?? 4096),
    [`${arch}.embedding_length`]: u32(nEmbd),
    [`${arch}.block_count`]: u32(layers),
    [`${arch}.feed_forward_length`]: u32(ff),
    [`${arch}.attention.head_count`]: u32(heads),
    [`${arch}.attention.head_count_kv`]: u32(kvHeads),
    [`${arch}.attention.key_length`]: u32(hd),
    [`${arch}.attention.value_length`]: u32(hd),
    [`${arch}.attention.layer_norm_rms_epsilon`]: f32(1e-6),
    [`${arch}.rope.freq_base`]: f32(1_000_000),
    "tokenizer.ggml.model": "gpt2",
    "tokenizer.ggml.pre": "qwen2",
    "tokenizer.ggml.tokens": strings(vocab.tokens),
    "tokenizer.ggml.token_type": i32s(vocab.types),
    "tokenizer.ggml.merges": strings(vocab.merges),
    "tokenizer.ggml.eos_token_id": u32(id("<|im_end|>")),
    "tokenizer.ggml.padding_token_id": u32(id("<|endoftext|>")),
    "tokenizer.ggml.bos_token_id": u32(id("<|endoftext|>")),
    "tokenizer.ggml.add_bos_token": false,
  };
  if (opts.chatTemplate !== null) metadata["tokenizer.chat_template"] = opts.chatTemplate ?? CHATML_TOOLS_TEMPLATE;
  Object.assign(metadata, opts.metadata);
  for (const k of opts.omitKeys ?? []) delete metadata[k];
  const omit = new Set(opts.omitTensors ?? []);
  return encodeGguf(metadata, tensors.filter((t) => !omit.has(t.name)));
}

/** Write a tiny model to `path` (see {@link tinyModelGguf}). */
export function writeTinyModel(path: string, opts: TinyModelOptions = {}): string {
  writeFileSync(path, tinyModelGguf(opts));
  return path;
}
