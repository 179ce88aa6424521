import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { asyncBufferFromFile, parquetMetadataAsync } from "hyparquet";
import { beforeAll, describe, expect, test } from "vitest";
import {
  loadChatTokenizer,
  readRlBatch,
  renderConversation,
  rlRows,
  writeRlBatch,
} from "../../src/credit/index.js";
import type { Trajectory } from "../../src/core/types.js";
import { RunStore } from "../../src/rollout/store.js";
import { functionBaselineRun, TOKENIZER } from "./run-fixture.js";

const tok = loadChatTokenizer(TOKENIZER);
let runDir: string;
let trajectories: Trajectory[];
const tmp = () => mkdtempSync(join(tmpdir(), "userrl-rl-"));

beforeAll(async () => {
  runDir = await functionBaselineRun();
  const store = RunStore.open(runDir);
  trajectories = [...store.trajectories()];
  store.close();
});

describe("rlRows", () => {
  test("one row per stored trajectory: the rendered conversation's tokens, a mask on assistant turns, one span per turn", () => {
    const rows = [...rlRows(trajectories, tok, { turnLevel: "Equalized", trajectoryScore: "R2G" })];
    expect(rows).toHaveLength(4);
    rows.forEach((r, i) => {
      const t = trajectories[i];
      expect(r).toMatchObject({ id: t.id, group_id: t.groupId, gym: "function", task_id: t.taskId, sample: t.sample });
      expect(r.input_ids).toEqual(tok.encode(renderConversation(tok, t.messages)));
      expect(r.loss_mask).toHaveLength(r.input_ids.length);
      expect(r.advantages).toHaveLength(r.input_ids.length);
      expect(r.rewards).toEqual(t.turns.map((x) => x.reward));
      expect(r.turn_starts).toHaveLength(t.turns.length);
      expect(r.prompt_length).toBe(r.turn_starts[0]);
      const masked = r.loss_mask.reduce((a, b) => a + b, 0);
      const spanned = r.turn_starts.reduce((n, s, k) => n + r.turn_ends[k] - s, 0);
      expect(masked).toBe(spanned);
      // Rendered once, the Qwen3-style template adds no empty think block to turns followed by a tool reply.
      const turnText = (k: number) => tok.tokenizer.decode(r.input_ids.slice(r.turn_starts[k], r.turn_ends[k]), { skip_special_tokens: false });
      expect(turnText(0)).toMatch(/^First I need the test case\.\n<tool_call>\n\{"name": "interact_with_env", "arguments": \{"choice": "search", "content": "test"\}\}\n<\/tool_call><\|im_end\|>\n$/);
      expect(turnText(t.turns.length - 1)).toMatch(/^[^<]*\n<tool_call>\n\{"name": "interact_with_env", "arguments": \{"choice": "answer"[\s\S]*<\|im_end\|>\n$/);
    });
  });

  test("GRPO over a mixed group: every assistant token carries its turn's advantage, everything else 0", () => {
    // The baseline is deterministic, so a run's groups are uniform; mix in failing copies to get a signal.
    const failing = trajectories.map((t) => ({ ...t, id: `${t.id}-failed`, turns: t.turns.map((r) => ({ ...r, reward: 0 })) }));
    const mixed = [...trajectories, ...failing].map((t) => ({ ...t, groupId: "mixed" }));
    const rows = [...rlRows(mixed, tok, { turnLevel: "R2G", trajectoryScore: "Mean" })];
    const ok = rows.slice(0, 4);
    const bad = rows.slice(4);
    for (const r of ok) {
      expect(r.advantage).toBeGreaterThan(0);
      expect(r.advantages.filter((a, j) => a !== 0 && r.loss_mask[j] === 0)).toEqual([]);
      // Token mean of the advantage over credited tokens equals N; later turns weigh more under R2G.
      const credited = r.advantages.filter((a) => a !== 0);
      expect(credited.reduce((s, a) => s + a, 0) / credited.length).toBeCloseTo(r.advantage, 10);
      const k = r.turn_starts.length - 1;
      expect(r.advantages[r.turn_starts[k]]).toBeGreaterThan(r.advantages[r.turn_starts[0]]);
    }
    // R2G credits of an all-zero trajectory: zero mass, zero advantage despite N < 0.
    for (const r of bad) {
      expect(r.advantage).toBeLessThan(0);
      expect(r.advantages.every((a) => a === 0)).toBe(true);
    }
  });

  test("maxResponseTokens cuts the sequence after the prompt; cut turns keep their reward but lose their tokens", () => {
    const t = trajectories[0];
    const [full] = [...rlRows([t], tok, { turnLevel: "Equalized", trajectoryScore: "Mean" })];
    const window = full.turn_ends[1] - full.prompt_length;
    const [cut] = [...rlRows([t], tok, { turnLevel: "Equalized", trajectoryScore: "Mean", maxResponseTokens: window })];
    expect(cut.input_ids).toEqual(full.input_ids.slice(0, full.prompt_length + window));
    expect(cut.turn_ends.slice(0, 2)).toEqual(full.turn_ends.slice(0, 2));
    expect(cut.turn_starts.slice(2).every((s, k) => s === cut.turn_ends[k + 2])).toBe(true);
    expect(cut.rewards).toEqual(full.rewards);
    expect(cut.score).toBe(full.score);
    expect(() => [...rlRows([t], tok, { turnLevel: "Equalized", trajectoryScore: "Mean", maxResponseTokens: 0 })]).toThrow(/maxResponseTokens/);
  });
});

describe("RL batch files", () => {
  test("JSONL and Parquet read back identically to the rows written", async () => {
    const rows = [...rlRows(trajectories, tok, { turnLevel: "EM", trajectoryScore: "R2G" })];
    const dir = tmp();
    expect(await writeRlBatch(rows, join(dir, "b.jsonl"), "jsonl")).toBe(4);
    expect(await writeRlBatch(rows, join(dir, "b.parquet"), "parquet", { metadata: { "userrl.credit": "x" } })).toBe(4);
    const fromJsonl = await readRlBatch(join(dir, "b.jsonl"));
    const fromParquet = await readRlBatch(join(dir, "b.parquet"));
    expect(fromJsonl).toEqual(rows);
    expect(fromParquet).toEqual(rows);
    const meta = await parquetMetadataAsync(await asyncBufferFromFile(join(dir, "b.parquet")));
    expect(meta.key_value_metadata).toContainEqual({ key: "userrl.credit", value: "x" });
  });

  test("reading refuses files that are not RL batches", async () => {
    const dir = tmp();
    writeFileSync(join(dir, "bad.jsonl"), '{"id": "x"}\n');
    await expect(readRlBatch(join(dir, "bad.jsonl"))).rejects.toThrow(/row 1 is not an RL batch row: group_id/);
    writeFileSync(join(dir, "broken.jsonl"), "{\n");
    await expect(readRlBatch(join(dir, "broken.jsonl"))).rejects.toThrow(/broken.jsonl:1 is not valid JSON/);
  });
});
