/** Tiny GGUF models generated for the local-model tests (a few hundred KB each, in temp folders removed afterwards). */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll } from "vitest";
import { writeTinyModel, type TinyModelOptions } from "../../src/models/local/tiny-model.js";

const created: string[] = [];
afterAll(() => {
  for (const dir of created.splice(0)) rmSync(dir, { recursive: true, force: true });
});

export function tempDir(prefix = "userrl-local-"): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  created.push(dir);
  return dir;
}

/** Write a tiny model into a fresh temp folder and return its path. */
export function tinyModelFile(opts: TinyModelOptions = {}, name = "tiny.gguf"): string {
  return writeTinyModel(join(tempDir(), name), opts);
}

/** Reply tokens that make the tiny model call `interact_with_env` with `{"choice":"answer","content":"42"}`. */
export const TOOL_CALL_REPLY = ["<tool_call>", '{"name":"interact_with_env","arguments":{"choice":"answer","content":"42"}}', "</tool_call>"];
