import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { readGgufFileInfo } from "node-llama-cpp";
import { describe, expect, test } from "vitest";
import { learnByteBpe, byteToChar } from "../../src/models/local/byte-bpe.js";
import { checkGguf, GgufError } from "../../src/models/local/gguf-check.js";
import { encodeGguf, f32, strings, toHalf, u32 } from "../../src/models/local/gguf-writer.js";
import { LocalChatModel } from "../../src/models/local/local-model.js";
import { TINY_SHAPE, tinyModelGguf } from "../../src/models/local/tiny-model.js";
import { tempDir, tinyModelFile } from "./local-fixture.js";

describe("GGUF writer", () => {
  test("writes GGUF v3 that node-llama-cpp's parser reads back: metadata, shapes, offsets", async () => {
    const path = join(tempDir(), "w.gguf");
    const data = Float32Array.from({ length: 64 }, (_, i) => i / 8);
    writeFileSync(
      path,
      encodeGguf({ "general.architecture": "llama", "x.count": u32(7), "x.eps": f32(0.5), "x.names": strings(["a", "ü"]), "x.flag": true }, [
        { name: "a", dims: [32, 2], data },
        { name: "b", dims: [64], data, encoding: "F16" },
        { name: "c", dims: [32, 2], data, encoding: "Q8_0" },
      ]),
    );
    const info = await readGgufFileInfo(path, { logWarnings: false });
    expect(info.version).toBe(3);
    const meta = info.metadata as unknown as Record<string, Record<string, unknown>>;
    expect(meta.x).toEqual({ count: 7, eps: 0.5, names: ["a", "ü"], flag: true });
    expect(info.tensorInfo?.map((t) => [t.name, t.dimensions, t.ggmlType])).toEqual([
      ["a", [32, 2], 0],
      ["b", [64], 1],
      ["c", [32, 2], 8],
    ]);
    // Each tensor starts on a 32-byte boundary and the F32 data round-trips.
    const bytes = readFileSync(path);
    for (const t of info.tensorInfo!) expect(Number(t.fileOffset) % 32).toBe(0);
    const a = info.tensorInfo![0];
    expect([...new Float32Array(bytes.buffer.slice(bytes.byteOffset + Number(a.fileOffset), bytes.byteOffset + Number(a.fileOffset) + 256))]).toEqual([...data]);
  });

  test("half-precision encoding rounds to nearest even and handles the special values", () => {
    expect(toHalf(1)).toBe(0x3c00);
    expect(toHalf(-2)).toBe(0xc000);
    expect(toHalf(65504)).toBe(0x7bff);
    expect(toHalf(1e6)).toBe(0x7c00);
    expect(toHalf(Number.NaN) & 0x7c00).toBe(0x7c00);
    expect(toHalf(5.960464477539063e-8)).toBe(1); // smallest subnormal
    expect(toHalf(1 + 2 ** -11)).toBe(0x3c00); // a tie rounds to even
    expect(toHalf(1 + 3 * 2 ** -11)).toBe(0x3c02);
  });

  test("Q8_0 needs whole blocks of 32", () => {
    expect(() => encodeGguf({}, [{ name: "q", dims: [16], data: new Float32Array(16), encoding: "Q8_0" }])).toThrow(/multiple of 32/);
  });
});

describe("byte-level BPE for test models", () => {
  test("256 byte tokens in byte order, then merges whose pieces are tokens; newlines never merge", () => {
    const bpe = learnByteBpe("the cat and the hat\n\nthe end\n\n", 10);
    expect(bpe.tokens.slice(0, 256)).toEqual(byteToChar());
    expect(bpe.tokens[32]).toBe("Ġ");
    expect(bpe.merges[0]).toBe("h e"); // "h e" and "t h" both occur 3 times: the tie goes alphabetically
    for (const m of bpe.merges) {
      const [l, r] = m.split(" ");
      expect(bpe.tokens).toContain(l);
      expect(bpe.tokens).toContain(r);
      expect(m).not.toContain("Ċ");
    }
  });
});

describe("checkGguf", () => {
  test("summarises a good file", async () => {
    const s = await checkGguf(tinyModelFile());
    expect(s).toMatchObject({ architecture: "qwen3", blockCount: 2, embeddingLength: 64, contextLength: 4096, addBos: false, eosToken: "<|im_end|>" });
    expect(s.vocabSize).toBeGreaterThan(300);
    expect(s.parameters).toBeGreaterThan(100_000);
    // 2 layers × 2 KV heads × (16 + 16) dims × 2 bytes
    expect(s.kvBytesPerToken).toBe(TINY_SHAPE.layers * TINY_SHAPE.kvHeads * 32 * 2);
    expect(s.chatTemplate).toContain("<tool_call>");
  });

  // Each of these made llama.cpp abort the process (GGML_ASSERT) when loaded unchecked.
  test.each([
    ["no feed_forward_length", { omitKeys: ["qwen3.feed_forward_length"] }, /feed_forward_length" is missing/],
    ["no head_count", { omitKeys: ["qwen3.attention.head_count"] }, /head_count" is missing/],
    ["zero head_count_kv", { metadata: { "qwen3.attention.head_count_kv": u32(0) } }, /head_count_kv" is "0"/],
    ["zero key_length", { metadata: { "qwen3.attention.key_length": u32(0) } }, /key_length" is "0"/],
    ["zero embedding_length", { metadata: { "qwen3.embedding_length": u32(0) } }, /embedding_length" is "0"/],
    ["zero block_count", { metadata: { "qwen3.block_count": u32(0) } }, /block_count" must be an integer from 1 to 512/],
    ["600 blocks", { metadata: { "qwen3.block_count": u32(600) } }, /block_count" must be an integer from 1 to 512/],
    ["empty vocabulary", { metadata: { "tokenizer.ggml.tokens": strings([]) } }, /tokens" is missing or empty/],
  ])("rejects a file llama.cpp would abort on: %s", async (_name, opts, message) => {
    const path = tinyModelFile(opts);
    await expect(checkGguf(path)).rejects.toThrow(message);
    // The loader refuses it the same way instead of killing the test process.
    await expect(LocalChatModel.create({ file: path })).rejects.toBeInstanceOf(GgufError);
  });

  test.each([
    ["missing merges", { omitKeys: ["tokenizer.ggml.merges"] }, /merges" is missing/],
    ["missing architecture", { omitKeys: ["general.architecture"] }, /general.architecture" is missing/],
    ["missing rms epsilon", { omitKeys: ["qwen3.attention.layer_norm_rms_epsilon"] }, /layer_norm_rms_epsilon/],
    ["missing embeddings", { omitTensors: ["token_embd.weight"] }, /token_embd.weight" is missing/],
    ["a declared block without tensors", { metadata: { "qwen3.block_count": u32(3) } }, /block 2 has no tensors/],
  ])("names the fault of a malformed file: %s", async (_name, opts, message) => {
    await expect(checkGguf(tinyModelFile(opts))).rejects.toThrow(message);
  });

  test("a truncated download, garbage, a non-GGUF file and a missing file give clear errors", async () => {
    const full = tinyModelGguf();
    const dir = tempDir();
    const write = (name: string, bytes: Buffer) => (writeFileSync(join(dir, name), bytes), join(dir, name));
    await expect(checkGguf(write("cut.gguf", full.subarray(0, full.length - 100)))).rejects.toThrow(/truncated or corrupt.*fetch it again/);
    await expect(checkGguf(write("half.gguf", full.subarray(0, full.length >> 1)))).rejects.toThrow(/truncated or corrupt/);
    await expect(checkGguf(write("junk.gguf", Buffer.from("GGUF" + "\xff".repeat(300), "latin1")))).rejects.toThrow(/not a valid GGUF file/);
    await expect(checkGguf(write("text.gguf", Buffer.from("hello, not a model")))).rejects.toThrow(/not a valid GGUF file.*magic/i);
    await expect(checkGguf(write("empty.gguf", Buffer.alloc(0)))).rejects.toThrow(/not a valid GGUF file/);
    await expect(checkGguf(join(dir, "nope.gguf"))).rejects.toThrow(/cannot read the model file \(ENOENT\)/);
  });

  test("a file that passes the check but that llama.cpp refuses fails with llama.cpp's reason", async () => {
    // A wrong K/V head count gives tensors of the wrong shape: llama.cpp throws, and its log says why.
    const path = tinyModelFile({ metadata: { "qwen3.attention.head_count": u32(3) } });
    await expect(LocalChatModel.create({ file: path })).rejects.toThrow(/cannot load the model .*wrong shape/);
  });
});
