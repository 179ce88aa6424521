/** The TypeScript side of training without Python: settings, bad flags, SFT records, metrics in the run store. */
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import type { Trajectory } from "../../src/core/types.js";
import { RunStore } from "../../src/rollout/store.js";
import { CLOSING_TURN, sftRecord, taskRows } from "../../src/train/data.js";
import { stepMetrics, trainMetrics, TrainLog } from "../../src/train/metrics.js";
import { checkRl, isTiny, PAPER_RL, rlSteps, TINY_MARKER, TINY_RL, withDefaults } from "../../src/train/options.js";
import { splitCommand } from "../../src/train/python.js";
import { describeEvent } from "../../src/train/stage-runner.js";
import { cli } from "../cli-runner.js";

const tmp = () => mkdtempSync(join(tmpdir(), "userrl-train-opts-"));

describe("settings", () => {
  test("paper defaults, the toy preset and flags layer in that order; undefined flags keep defaults", () => {
    const s = withDefaults(PAPER_RL, TINY_RL, { steps: 7, batch: undefined });
    expect(s).toMatchObject({ groupSize: 4, batch: 2, steps: 7, learningRate: 1e-4, turnLevel: "Equalized", trajectory: "R2G", gamma: 0.8 });
    expect(PAPER_RL).toMatchObject({ groupSize: 8, batch: 128, miniBatch: 16, microBatch: 8, learningRate: 1e-6, epochs: 15, maxCompletionLength: 8192 });
  });

  test("RL steps: --steps, else epochs × whole batches of tasks (at least one)", () => {
    expect(rlSteps(PAPER_RL, 2426)).toBe(15 * 18); // the paper's 270 steps
    expect(rlSteps({ ...PAPER_RL, steps: 3 }, 2426)).toBe(3);
    expect(rlSteps(PAPER_RL, 10)).toBe(15);
  });

  test("inconsistent batch shapes and values are refused with the flag's name", () => {
    expect(() => checkRl({ ...PAPER_RL, batch: 20 })).toThrow(/--batch \(20\) must be a multiple of --mini-batch/);
    expect(() => checkRl({ ...PAPER_RL, microBatch: 7 })).toThrow(/--micro-batch/);
    expect(() => checkRl({ ...PAPER_RL, groupSize: 1 })).toThrow(/--group-size/);
    expect(() => checkRl({ ...PAPER_RL, learningRate: -1 })).toThrow(/--lr/);
    expect(() => checkRl({ ...PAPER_RL, vllm: "server" })).toThrow(/--vllm-server-url/);
    expect(() => checkRl({ ...PAPER_RL, curriculum: "hardest" as never })).toThrow(/--curriculum must be one of uniform, variance/);
    expect(PAPER_RL.curriculum).toBe("uniform");
    expect(() => checkRl(PAPER_RL)).not.toThrow();
  });

  test("a model folder descending from the tiny model gets the toy defaults", () => {
    const dir = tmp();
    expect(isTiny("tiny")).toBe(true);
    expect(isTiny(dir)).toBe(false);
    writeFileSync(join(dir, TINY_MARKER), "{}");
    expect(isTiny(dir)).toBe(true);
    expect(isTiny("Qwen/Qwen3-4B")).toBe(false);
  });

  test("launcher command lines split on spaces, keeping quoted parts", () => {
    expect(splitCommand(`accelerate launch --config_file "my dir/zero3.yaml" --num_processes 8`)).toEqual([
      "accelerate",
      "launch",
      "--config_file",
      "my dir/zero3.yaml",
      "--num_processes",
      "8",
    ]);
  });
});

describe("the CLI refuses bad settings before starting anything", () => {
  test("rl: batch not a multiple of the mini-batch", async () => {
    const r = await cli("train", "rl", "function", "--out", tmp(), "--batch", "3", "--mini-batch", "2");
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/--batch \(3\) must be a multiple of --mini-batch \(2\)/);
  });

  test("sft: a warm-up outside [0, 1), an SFT file that does not exist", async () => {
    let r = await cli("train", "sft", "function", "--out", tmp(), "--warmup", "2");
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/--warmup/);
    r = await cli("train", "sft", "function", "--out", tmp(), "--data", "/nonexistent/sft.jsonl", "--python", "/usr/bin/false");
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/does not exist/);
  });

  test("rl: an unknown curriculum", async () => {
    const r = await cli("train", "rl", "function", "--out", tmp(), "--curriculum", "hardest");
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/--curriculum/);
  });

  test("an unknown gym", async () => {
    const r = await cli("train", "rl", "nosuchgym", "--out", tmp());
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/nosuchgym/);
  });
});

describe("data", () => {
  test("a finished episode in the SFT set ends with its last reply and a closing turn; an unfinished one does not", () => {
    const base = {
      messages: [
        { role: "system", content: "s" },
        { role: "user", content: "u" },
        { role: "assistant", content: "a", toolCalls: [{ id: "c1", name: "interact_with_env", arguments: '{"choice":"answer","content":"1"}' }] },
        { role: "tool", content: "Correct!\nReward: 1.0", toolCallId: "c1" },
      ],
    } as unknown as Trajectory;
    const done = sftRecord({ ...base, endReason: "done" } as Trajectory).messages as { role: string; content: string }[];
    expect(done.slice(-2)).toEqual([
      { role: "tool", content: "Correct!\nReward: 1.0" },
      { role: "assistant", content: CLOSING_TURN },
    ]);
    const cut = sftRecord({ ...base, endReason: "agent_error" } as Trajectory).messages as { role: string }[];
    expect(cut.at(-1)?.role).toBe("assistant");
    expect(cut).toHaveLength(3);
  });

  test("RL task rows carry the prompt the server opens the episode with", async () => {
    const rows = await taskRows({ gyms: ["function"], split: "train", limit: 2, prompts: "own" });
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatchObject({ gym: "function" });
    expect(rows[0].prompt.map((m) => m.role)).toEqual(["system", "user"]);
    await expect(taskRows({ gyms: ["function"], split: "train", taskIds: ["nope"], prompts: "own" })).rejects.toThrow(/no train tasks/);
  });
});

describe("metrics in the run store", () => {
  test("events land in train_metrics; per-step rows are the logs with a loss", () => {
    const dir = tmp();
    mkdirSync(dir, { recursive: true });
    const store = new RunStore(dir);
    const log = new TrainLog(store);
    log.record("rl", { kind: "start", steps: 2 });
    log.record("rl", { kind: "log", step: 1, metrics: { loss: 0.5, reward: 0.25, "userrl/advantage_abs": 0.8 } });
    log.record("rl", { kind: "log", step: 2, metrics: { loss: 0.4, reward: 0.5 } });
    log.record("rl", { kind: "log", step: 2, metrics: { train_runtime: 12 } });
    log.record("rl", { kind: "rollouts", step: 1, episodes: [{ advantage: 0.7 }] });
    store.close();
    expect(stepMetrics(dir, "rl")).toEqual([
      { step: 1, loss: 0.5, reward: 0.25, "userrl/advantage_abs": 0.8 },
      { step: 2, loss: 0.4, reward: 0.5 },
    ]);
    expect(trainMetrics(dir, { kind: "rollouts" })[0].data.episodes).toEqual([{ advantage: 0.7 }]);
    expect(trainMetrics(dir)).toHaveLength(5);
    expect(stepMetrics(dir, "sft")).toEqual([]);
  });

  test("progress lines name the step, loss, reward and advantages", () => {
    expect(describeEvent("rl", { kind: "log", step: 2, max_steps: 4, elapsed_s: 12.5, metrics: { loss: 0.125, reward: 0.5, "userrl/advantage_abs": 0.75 } })).toBe(
      "rl step 2/4, loss 0.125, reward 0.5, |adv| 0.75 (12.5 s)",
    );
    expect(describeEvent("sft", { kind: "log", step: 9, metrics: { train_runtime: 3 } })).toBeUndefined();
  });
});
