/**
 * End to end on CPU: `userrl train sft` (baseline trajectories of FunctionGym → the tiny Qwen3-shaped model built
 * on the spot → TRL SFT → evaluation) then `userrl train rl` (GRPO through the environment server with the credit
 * service's advantages → evaluation). Real effects only: the loss falls, the fine-tuned model makes valid
 * `interact_with_env` calls in most turns, GRPO steps run with non-zero advantages, and rewards per step,
 * episodes, checkpoints and the evaluation land in the run store.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, test } from "vitest";
import { RunStore } from "../../src/rollout/store.js";
import { stepMetrics, trainMetrics } from "../../src/train/metrics.js";
import { cli } from "../cli-runner.js";

const hasPython = spawnSync("python3", ["--version"]).status === 0;

test.skipIf(!hasPython)(
  "train sft then train rl on the tiny model (skipped only when python3 is missing)",
  async () => {
    const root = mkdtempSync(join(tmpdir(), "userrl-train-"));
    const sftDir = join(root, "sft");
    // The tiny model's defaults: 4 FunctionGym training tasks, 100 SFT steps; 2 test tasks in the evaluation.
    const sft = await cli("train", "sft", "function", "--out", sftDir, "--eval-limit", "2", "--json");
    expect(sft.code, sft.err).toBe(0);
    const s = JSON.parse(sft.out);
    expect(s.records).toBe(4);
    // The loss falls by a wide margin (a random model starts near ln(vocab) ≈ 6.6).
    expect(s.losses[0]).toBeGreaterThan(4);
    expect(s.losses.at(-1)).toBeLessThan(s.losses[0] / 4);
    // After SFT, most turns of the evaluation carry a valid interact_with_env call.
    expect(s.evaluation.episodes).toBe(2);
    expect(s.evaluation.validCallRate).toBeGreaterThan(0.5);
    expect(existsSync(join(sftDir, "model", "model.safetensors"))).toBe(true);
    expect(existsSync(join(sftDir, "eval", "report.html"))).toBe(true);
    expect(stepMetrics(sftDir, "sft").length).toBeGreaterThan(3);
    expect(trainMetrics(sftDir, { kind: "eval" })).toHaveLength(1);

    const rlDir = join(root, "rl");
    const rl = await cli("train", "rl", "function", "--model", join(sftDir, "model"), "--out", rlDir, "--steps", "2", "--eval-limit", "1", "--json");
    expect(rl.code, rl.err).toBe(0);
    const r = JSON.parse(rl.out);
    expect(r.tasks).toBe(4);
    // Rewards per step in the run store: one logged step per GRPO step, with the server's episode rewards.
    const steps = stepMetrics(rlDir, "rl");
    expect(steps.map((m) => m.step)).toEqual([1, 2]);
    for (const m of steps) {
      expect(typeof m["userrl/episode_reward"]).toBe("number");
      expect(typeof m.reward).toBe("number");
      expect(m["userrl/valid_call_rate"]).toBeGreaterThan(0.5);
    }
    // Non-zero advantages from the credit service in the GRPO batches.
    const rollouts = trainMetrics(rlDir, { stage: "rl", kind: "rollouts" });
    expect(rollouts).toHaveLength(2);
    const episodes = rollouts.flatMap((row) => row.data.episodes as { advantage: number; rewards: number[] }[]);
    expect(episodes).toHaveLength(2 * 2 * 4); // steps × prompts × group
    expect(episodes.some((e) => e.advantage !== 0)).toBe(true);
    expect(steps.some((m) => m["userrl/advantage_abs"] > 0)).toBe(true);
    // Every training episode is stored like any run's, with its turns.
    const store = RunStore.open(rlDir);
    try {
      const stored = store.episodes({ status: "done" });
      expect(stored).toHaveLength(16);
      expect(stored.every((e) => e.turns >= 1)).toBe(true);
      expect(store.run()?.config.kind).toBe("train-rl");
    } finally {
      store.close();
    }
    expect(readdirSync(join(rlDir, "checkpoints")).some((d) => d.startsWith("checkpoint-"))).toBe(true);
    expect(existsSync(join(rlDir, "model", "model.safetensors"))).toBe(true);
    expect(r.evaluation.episodes).toBe(1);
    expect(existsSync(join(rlDir, "eval", "summary.json"))).toBe(true);
  },
  1_500_000,
);

if (!hasPython) test("python3 is missing: the training test was skipped", () => expect(hasPython).toBe(false));
