/** A small stored FunctionGym baseline run (2 test tasks × 2 samples, eval mode), made once per test file. */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { resolveAgent, resolveUser } from "../../src/agents/resolve.js";
import { DEFAULT_RUN, runBatch } from "../../src/rollout/runner.js";
import { RunStore } from "../../src/rollout/store.js";

export const TOKENIZER = join(import.meta.dirname, "..", "fixtures", "qwen-tiny");

export async function functionBaselineRun(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), "userrl-credit-run-"));
  const store = new RunStore(dir);
  try {
    await runBatch(
      { ...DEFAULT_RUN, gyms: ["function"], agent: "baseline", user: "offline", limit: 2, samples: 2, concurrency: 4 },
      { store, agent: await resolveAgent("baseline"), user: await resolveUser(undefined) },
    );
  } finally {
    store.close();
  }
  return dir;
}
