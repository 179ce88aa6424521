#!/usr/bin/env node
/**
 * Writes test/fixtures/qwen-tiny/{tokenizer.json,tokenizer_config.json}: a small Qwen-style tokenizer
 * (byte-level BPE with Qwen's pre-tokenizer split, Qwen's ChatML and tool special tokens) whose merges are
 * learned here from a short built-in corpus. Deterministic: running it again gives identical files.
 *
 *   node scripts/make-tokenizer-fixture.mjs
 *
 * The chat template beside it (chat_template.jinja) is written by hand.
 */
import { writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const OUT = join(dirname(fileURLToPath(import.meta.url)), "..", "test", "fixtures", "qwen-tiny");
const MERGES = 420;

/** Qwen2/Qwen3's pre-tokenizer split pattern (a format fact of their tokenizer.json). */
const QWEN_SPLIT =
  "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";
/** The same split in JS syntax (no inline case-insensitive group), used only to learn merges. */
const JS_SPLIT = /'(?:[sStTmMdD]|[rR][eE]|[vV][eE]|[lL][lL])|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+/gu;

/** [content, special] — ChatML and end-of-text are special; the tool/think markers are plain added tokens. */
const ADDED = [
  ["<|endoftext|>", true],
  ["<|im_start|>", true],
  ["<|im_end|>", true],
  ["<tool_call>", false],
  ["</tool_call>", false],
  ["<tool_response>", false],
  ["</tool_response>", false],
  ["<think>", false],
  ["</think>", false],
];

const CORPUS = `
system user assistant tool function functions name arguments description parameters properties required type
object string enum choice content action answer search finish interact_with_env Interact with the environment
You are an agent that works with a user. Ask questions, probe the function, and then answer with a number.
The environment replies with feedback. Test case: [3, 5, 5, 3] Your answer is correct! Your answer is wrong.
Reward: 0.0 Reward: 1.0 {"choice": "action", "content": "2 3 4 5"} {"choice": "answer", "content": "225"}
{"choice": "search", "content": "test"} First I need the test case. Probing the function on another input.
The function maps four numbers to one number. Find the rule, then answer for the test case.
These functions are available; their signatures are inside tools. To call a function, reply with its name
and arguments as JSON inside tool_call. function-name args-json-object The kind of step: action, answer or
search, as the system prompt allows. What to say or do in this step: the question, probe, answer or query.
I think the rule is the product of the first two numbers plus the sum of the last two. Let me check again.
the the the and and of of to to is is in in for for with with that that this this it it on on a a
`;

function bytesToUnicode() {
  const printable = [];
  for (let b = 33; b <= 126; b++) printable.push(b);
  for (let b = 161; b <= 172; b++) printable.push(b);
  for (let b = 174; b <= 255; b++) printable.push(b);
  const map = new Map();
  let extra = 0;
  for (let b = 0; b < 256; b++) map.set(b, String.fromCharCode(printable.includes(b) ? b : 256 + extra++));
  return map;
}

function learnMerges(byteChar) {
  const enc = new TextEncoder();
  const words = new Map();
  for (const piece of CORPUS.match(JS_SPLIT) ?? []) {
    const symbols = [...enc.encode(piece)].map((b) => byteChar.get(b));
    const key = symbols.join("\u0000");
    words.set(key, { symbols, count: (words.get(key)?.count ?? 0) + 1 });
  }
  const merges = [];
  for (let m = 0; m < MERGES; m++) {
    const pairs = new Map();
    for (const { symbols, count } of words.values()) {
      for (let i = 0; i + 1 < symbols.length; i++) {
        const k = `${symbols[i]}\u0000${symbols[i + 1]}`;
        pairs.set(k, (pairs.get(k) ?? 0) + count);
      }
    }
    let best;
    let bestCount = 1;
    for (const [k, c] of pairs) if (c > bestCount || (c === bestCount && best !== undefined && k < best)) [best, bestCount] = [k, c];
    if (!best) break;
    const [a, b] = best.split("\u0000");
    merges.push([a, b]);
    for (const w of words.values()) {
      const next = [];
      for (let i = 0; i < w.symbols.length; i++) {
        if (i + 1 < w.symbols.length && w.symbols[i] === a && w.symbols[i + 1] === b) next.push(a + b), i++;
        else next.push(w.symbols[i]);
      }
      w.symbols = next;
    }
  }
  return merges;
}

const byteChar = bytesToUnicode();
const vocab = {};
for (let b = 0; b < 256; b++) vocab[byteChar.get(b)] = b;
const merges = learnMerges(byteChar);
for (const [a, b] of merges) if (!(a + b in vocab)) vocab[a + b] = Object.keys(vocab).length;
const firstAdded = Object.keys(vocab).length;
const added = ADDED.map(([content, special], i) => ({
  id: firstAdded + i,
  content,
  single_word: false,
  lstrip: false,
  rstrip: false,
  normalized: false,
  special,
}));
const byteLevel = { type: "ByteLevel", add_prefix_space: false, trim_offsets: false, use_regex: false };

const tokenizer = {
  version: "1.0",
  truncation: null,
  padding: null,
  added_tokens: added,
  normalizer: { type: "NFC" },
  pre_tokenizer: {
    type: "Sequence",
    pretokenizers: [{ type: "Split", pattern: { Regex: QWEN_SPLIT }, behavior: "Isolated", invert: false }, byteLevel],
  },
  post_processor: byteLevel,
  decoder: byteLevel,
  model: {
    type: "BPE",
    dropout: null,
    unk_token: null,
    continuing_subword_prefix: "",
    end_of_word_suffix: "",
    fuse_unk: false,
    byte_fallback: false,
    ignore_merges: false,
    vocab,
    merges,
  },
};

const config = {
  add_bos_token: false,
  add_prefix_space: false,
  added_tokens_decoder: Object.fromEntries(added.map(({ id, ...t }) => [String(id), t])),
  bos_token: null,
  clean_up_tokenization_spaces: false,
  eos_token: "<|im_end|>",
  errors: "replace",
  model_max_length: 40960,
  pad_token: "<|endoftext|>",
  split_special_tokens: false,
  tokenizer_class: "Qwen2Tokenizer",
  unk_token: null,
};

writeFileSync(join(OUT, "tokenizer.json"), `${JSON.stringify(tokenizer)}\n`);
writeFileSync(join(OUT, "tokenizer_config.json"), `${JSON.stringify(config, null, 2)}\n`);
console.log(`wrote ${OUT}: ${Object.keys(vocab).length} vocab entries, ${merges.length} merges, ${added.length} added tokens`);
