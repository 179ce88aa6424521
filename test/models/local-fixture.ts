/** Tiny GGUF models generated for the local-model tests (a few hundred KB each, in a temp folder). */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { writeTinyModel, type TinyModelOptions } from "../../src/models/local/tiny-model.js";

export function tempDir(prefix = "userrl-local-"): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Write a tiny model into a fresh temp folder and return its path. */
export function tinyModelFile(opts: TinyModelOptions = {}, name = "tiny.gguf"): string {
  return writeTinyModel(join(tempDir(), name), opts);
}

/** Reply tokens that make the tiny model call `interact_with_env` with `{"choice":"answer","content":"42"}`. */
export const TOOL_CALL_REPLY = ["<tool_call>", '{"name":"interact_with_env","arguments":{"choice":"answer","content":"42"}}', "</tool_call>"];
