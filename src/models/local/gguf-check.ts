/**
 * Check a GGUF file before llama.cpp loads it. llama.cpp *aborts the process* (GGML_ASSERT) on some
 * broken files instead of failing the load — measured with node-llama-cpp 3.22.1:
 *  - a missing or zero `{arch}.feed_forward_length`, `attention.head_count`, `head_count_kv`,
 *    `key_length`/`value_length` or `embedding_length` (a tensor gets a zero dimension);
 *  - `{arch}.block_count` of 0 or above 512; an empty `tokenizer.ggml.tokens`.
 * Those are rejected here with a clear message, as are the other common faults (missing required keys
 * and tensors, a truncated download), whose llama.cpp error would only read "Failed to load model".
 */
import { statSync } from "node:fs";
import { readGgufFileInfo, type GgufFileInfo } from "node-llama-cpp";

export class GgufError extends Error {
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(`${path}: ${message}`);
    this.name = "GgufError";
  }
}

/** What the rest of the backend needs to know about a checked file. */
export interface GgufSummary {
  path: string;
  sizeBytes: number;
  architecture: string;
  name?: string;
  contextLength: number;
  blockCount: number;
  embeddingLength: number;
  vocabSize: number;
  /** Parameter count from the tensor shapes. */
  parameters: number;
  /** K/V cache bytes per token of context at F16 (llama.cpp's default cache type). */
  kvBytesPerToken: number;
  chatTemplate?: string;
  /** Token strings of the BOS/EOS ids, for templates that print them. */
  bosToken?: string;
  eosToken?: string;
  addBos: boolean;
}

/** llama.cpp's LLAMA_MAX_LAYERS. */
const MAX_LAYERS = 512;

/** ggml block size and bytes per block of the common tensor types (ggml.c's type traits). */
const GGML_LAYOUT: Record<number, [number, number]> = {
  0: [1, 4], // F32
  1: [1, 2], // F16
  2: [32, 18], // Q4_0
  3: [32, 20], // Q4_1
  6: [32, 22], // Q5_0
  7: [32, 24], // Q5_1
  8: [32, 34], // Q8_0
  9: [32, 36], // Q8_1
  10: [256, 84], // Q2_K
  11: [256, 110], // Q3_K
  12: [256, 144], // Q4_K
  13: [256, 176], // Q5_K
  14: [256, 210], // Q6_K
  15: [256, 292], // Q8_K
  16: [256, 66], // IQ2_XXS
  17: [256, 74], // IQ2_XS
  18: [256, 98], // IQ3_XXS
  19: [256, 50], // IQ1_S
  20: [32, 18], // IQ4_NL
  21: [256, 110], // IQ3_S
  22: [256, 82], // IQ2_S
  23: [256, 136], // IQ4_XS
  24: [1, 1], // I8
  25: [1, 2], // I16
  26: [1, 4], // I32
  27: [1, 8], // I64
  28: [1, 8], // F64
  29: [256, 56], // IQ1_M
  30: [1, 2], // BF16
  34: [256, 54], // TQ1_0
  35: [256, 66], // TQ2_0
  39: [32, 17], // MXFP4
};

type Meta = Record<string, unknown>;

function get(meta: Meta, key: string): unknown {
  let cur: unknown = meta;
  for (const part of key.split(".")) {
    if (!cur || typeof cur !== "object") return undefined;
    cur = (cur as Meta)[part];
  }
  return cur;
}

const isCount = (v: unknown): v is number | bigint => (typeof v === "number" && Number.isInteger(v)) || typeof v === "bigint";

/**
 * A per-model or per-layer dimension: a positive integer, or an array of one value per layer in which
 * at least one is positive (hybrid models list 0 for layers without attention).
 */
function checkDimension(path: string, meta: Meta, key: string, layers: number, required: boolean): void {
  const v = get(meta, key);
  if (v === undefined) {
    if (required) throw new GgufError(path, `metadata key "${key}" is missing; llama.cpp would abort the process on this file`);
    return;
  }
  if (Array.isArray(v)) {
    if (v.length !== layers || !v.every(isCount) || !v.some((x) => Number(x) >= 1)) {
      throw new GgufError(path, `metadata key "${key}" must list ${layers} non-negative integers, at least one positive`);
    }
    return;
  }
  if (!isCount(v) || Number(v) < 1) {
    throw new GgufError(path, `metadata key "${key}" is ${JSON.stringify(String(v))}; it must be a positive integer`);
  }
}

/** Read and check a GGUF file's header, metadata and tensor table. Never loads the weights. */
export async function checkGguf(path: string): Promise<GgufSummary> {
  let sizeBytes: number;
  try {
    const st = statSync(path);
    if (!st.isFile()) throw new GgufError(path, "not a file");
    sizeBytes = st.size;
  } catch (err) {
    if (err instanceof GgufError) throw err;
    throw new GgufError(path, `cannot read the model file (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  let info: GgufFileInfo;
  try {
    info = await readGgufFileInfo(path, { sourceType: "filesystem", readTensorInfo: true, logWarnings: false, spliceSplitFiles: false });
  } catch (err) {
    throw new GgufError(path, `not a valid GGUF file (${(err as Error).message})`);
  }
  if (info.version !== 2 && info.version !== 3) throw new GgufError(path, `GGUF version ${info.version} is not supported (2 or 3)`);
  const meta = info.metadata as unknown as Meta;
  const arch = get(meta, "general.architecture");
  if (typeof arch !== "string" || !arch) throw new GgufError(path, `metadata key "general.architecture" is missing`);

  const blocks = get(meta, `${arch}.block_count`);
  if (!isCount(blocks) || Number(blocks) < 1 || Number(blocks) > MAX_LAYERS) {
    throw new GgufError(path, `"${arch}.block_count" must be an integer from 1 to ${MAX_LAYERS} (got ${String(blocks)})`);
  }
  const layers = Number(blocks);
  const ctx = get(meta, `${arch}.context_length`);
  if (!isCount(ctx)) throw new GgufError(path, `metadata key "${arch}.context_length" is missing`);
  checkDimension(path, meta, `${arch}.embedding_length`, layers, true);

  const tensors = info.tensorInfo ?? [];
  if (!tensors.length) throw new GgufError(path, "the file has no tensors");
  const names = new Set(tensors.map((t) => t.name));
  const has = (re: RegExp) => tensors.some((t) => re.test(t.name));
  const attention = has(/^blk\.\d+\.attn_(q|k|v|qkv)\.weight$/);
  checkDimension(path, meta, `${arch}.attention.head_count`, layers, attention);
  checkDimension(path, meta, `${arch}.attention.head_count_kv`, layers, false);
  checkDimension(path, meta, `${arch}.attention.key_length`, layers, false);
  checkDimension(path, meta, `${arch}.attention.value_length`, layers, false);
  checkDimension(path, meta, `${arch}.feed_forward_length`, layers, has(/^blk\.\d+\.ffn_(up|gate|down)\.weight$/));
  if (has(/^blk\.\d+\.ffn_(up|gate|down)_exps\.weight$/)) checkDimension(path, meta, `${arch}.expert_count`, layers, true);
  if (get(meta, `${arch}.attention.layer_norm_rms_epsilon`) === undefined && get(meta, `${arch}.attention.layer_norm_epsilon`) === undefined) {
    throw new GgufError(path, `metadata key "${arch}.attention.layer_norm_rms_epsilon" (or layer_norm_epsilon) is missing`);
  }

  const tokModel = get(meta, "tokenizer.ggml.model");
  if (typeof tokModel !== "string") throw new GgufError(path, `metadata key "tokenizer.ggml.model" is missing`);
  const tokens = get(meta, "tokenizer.ggml.tokens");
  if (!Array.isArray(tokens) || tokens.length === 0) {
    throw new GgufError(path, `"tokenizer.ggml.tokens" is missing or empty; llama.cpp would abort the process on this file`);
  }
  if (tokModel === "gpt2" && !Array.isArray(get(meta, "tokenizer.ggml.merges"))) {
    throw new GgufError(path, `"tokenizer.ggml.merges" is missing (required by the gpt2 BPE tokenizer)`);
  }

  if (!names.has("token_embd.weight")) throw new GgufError(path, `tensor "token_embd.weight" is missing`);
  for (let l = 0; l < layers; l++) {
    if (!tensors.some((t) => t.name.startsWith(`blk.${l}.`))) throw new GgufError(path, `block ${l} has no tensors (block_count is ${layers})`);
  }
  let parameters = 0;
  for (const t of tensors) {
    const dims = t.dimensions.map(Number);
    if (!dims.length || dims.some((d) => !Number.isInteger(d) || d < 1)) {
      throw new GgufError(path, `tensor "${t.name}" has an invalid shape [${dims.join(", ")}]`);
    }
    const count = dims.reduce((a, b) => a * b, 1);
    parameters += count;
    const layout = GGML_LAYOUT[t.ggmlType];
    const start = Number(t.fileOffset);
    const end = layout ? start + Math.ceil(count / layout[0]) * layout[1] : start;
    if (end > sizeBytes || start > sizeBytes) {
      throw new GgufError(
        path,
        `the file is truncated or corrupt: tensor "${t.name}" ends at byte ${end}, but the file has ${sizeBytes} bytes ` +
          `(an interrupted download? delete the file and fetch it again)`,
      );
    }
  }

  const template = get(meta, "tokenizer.chat_template");
  const tokenAt = (key: string) => {
    const id = get(meta, key);
    return isCount(id) && Number(id) < tokens.length && typeof tokens[Number(id)] === "string" ? (tokens[Number(id)] as string) : undefined;
  };
  const name = get(meta, "general.name");
  const largest = (key: string) => {
    const v = get(meta, key);
    return Array.isArray(v) ? Math.max(0, ...v.map(Number)) : isCount(v) ? Number(v) : undefined;
  };
  const embd = Number(get(meta, `${arch}.embedding_length`));
  const heads = largest(`${arch}.attention.head_count`) ?? 0;
  const headDim = heads ? embd / heads : 0;
  const kvHeads = largest(`${arch}.attention.head_count_kv`) ?? heads;
  const kvWidth = kvHeads * ((largest(`${arch}.attention.key_length`) ?? headDim) + (largest(`${arch}.attention.value_length`) ?? headDim));
  return {
    path,
    sizeBytes,
    architecture: arch,
    name: typeof name === "string" ? name : undefined,
    contextLength: Number(ctx),
    blockCount: layers,
    embeddingLength: embd,
    vocabSize: tokens.length,
    parameters,
    kvBytesPerToken: Math.round(layers * kvWidth * 2),
    chatTemplate: typeof template === "string" && template.trim() ? template : undefined,
    bosToken: tokenAt("tokenizer.ggml.bos_token_id"),
    eosToken: tokenAt("tokenizer.ggml.eos_token_id"),
    addBos: get(meta, "tokenizer.ggml.add_bos_token") === true,
  };
}
