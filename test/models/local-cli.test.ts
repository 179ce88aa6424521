import { existsSync } from "node:fs";
import { join } from "node:path";
import { afterEach, expect, test } from "vitest";
import { defaultUserSpec } from "../../src/cli/run-common.js";
import { cli } from "../cli-runner.js";
import { TOOL_CALL_REPLY, tempDir, tinyModelFile } from "./local-fixture.js";

afterEach(() => {
  process.exitCode = 0;
});

test("userrl run function --agent local:<tiny gguf> --limit 2 completes (random play)", async () => {
  const model = tinyModelFile();
  const out = tempDir("userrl-local-run-");
  const r = await cli("run", "function", "--agent", `local:${model}`, "--limit", "2", "--max-tokens", "64", "--out", out, "--json");
  expect(r.code).toBe(0);
  expect(JSON.parse(r.out)).toMatchObject({ episodes: 2, newEpisodes: 2, errors: 0 });
});

test("the README's main job, offline: userrl eval function --agent local:<gguf> --limit 3 scores and writes the report", async () => {
  const model = tinyModelFile();
  const out = tempDir("userrl-local-eval-");
  const r = await cli("eval", "function", "--agent", `local:${model}`, "--limit", "3", "--max-tokens", "64", "--out", out, "--json");
  expect(r.code).toBe(0);
  const summary = JSON.parse(r.out);
  expect(summary).toMatchObject({ episodes: 3, gyms: { function: { n: 3 } } });
  expect(summary.gyms.function.score).toBeGreaterThanOrEqual(0);
  expect(existsSync(join(out, "report.html"))).toBe(true);
});

test("a local agent plays several turns; trajectories carry token ids", async () => {
  const model = tinyModelFile({ reply: TOOL_CALL_REPLY });
  const out = tempDir("userrl-local-run-");
  const r = await cli("run", "function", "--agent", `local:${model}?parallel=1`, "--limit", "1", "--max-turns", "3", "--out", out, "--json");
  expect(JSON.parse(r.out)).toMatchObject({ episodes: 1, errors: 0, meanReward: 0 });
  const exported = await cli("export", out);
  const trajectory = JSON.parse(exported.out.trim());
  expect(trajectory.turns).toHaveLength(3);
  expect(trajectory.turns.map((t: { action: { content: string } }) => t.action.content)).toEqual(["42", "42", "42"]);
  expect(JSON.stringify(trajectory)).toContain("tokenIds");
});

test("the default --user: offline where every gym has an offline user, the local model where none has, else auto", () => {
  expect(defaultUserSpec(["function"])).toBe("offline");
  expect(defaultUserSpec(["turtle"])).toBe("local:qwen3-0.6b");
  expect(defaultUserSpec(["function", "persuade"])).toBe("auto");
});

test("a corrupt model file is a one-line error, not a crash", async () => {
  const model = tinyModelFile({ omitKeys: ["qwen3.attention.head_count"] });
  const r = await cli("run", "function", "--agent", `local:${model}`, "--limit", "1", "--out", tempDir());
  expect(r.code).toBe(1);
  expect(r.err).toMatch(/^userrl: error: .*tiny\.gguf: metadata key "qwen3.attention.head_count" is missing/);
});

test("a gym without an offline user gets the local default user, loaded before the run (here: not cached, offline)", async () => {
  const r = await cli("run", "turtle", "--agent", "baseline", "--limit", "1", "--out", tempDir());
  expect(r.code).toBe(1);
  expect(r.err).toMatch(/local:qwen3-0\.6b.*not in the model cache .*USERRL_OFFLINE=1/);
});
