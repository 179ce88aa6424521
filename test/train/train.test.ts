/**
 * End to end on CPU: `userrl train sft` (baseline trajectories of FunctionGym → the tiny Qwen3-shaped model built
 * on the spot → TRL SFT → evaluation) then `userrl train rl` (GRPO through the environment server with the credit
 * service's advantages → evaluation). Real effects only: the loss falls, the fine-tuned model makes valid
 * `interact_with_env` calls in most turns, GRPO steps run with non-zero advantages, and rewards per step,
 * episodes, checkpoints and the evaluation land in the run store. Then `train rl --curriculum variance`: the task
 * weights it records follow from the groups it played.
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

    // --curriculum variance: each generation's tasks are drawn by the variance of their recent groups. The weights
    // the trainer reports after each generation follow from the groups it played (last 4 per task; 0.1 + 0.9 ·
    // share with signal; 1 unseen).
    const curDir = join(root, "rl-curriculum");
    const cur = await cli("train", "rl", "function", "--model", join(sftDir, "model"), "--out", curDir, "--steps", "2", "--curriculum", "variance", "--no-eval", "--json");
    expect(cur.code, cur.err).toBe(0);
    const generations = trainMetrics(curDir, { stage: "rl", kind: "rollouts" });
    expect(generations).toHaveLength(2);
    const recent = new Map<string, boolean[]>();
    for (const row of generations) {
      const played = row.data.episodes as { task_id: string; score: number }[];
      expect(played).toHaveLength(2 * 4);
      for (let g = 0; g < played.length; g += 4) {
        const scores = played.slice(g, g + 4).map((e) => e.score);
        expect(new Set(played.slice(g, g + 4).map((e) => e.task_id)).size).toBe(1);
        recent.set(played[g].task_id, [...(recent.get(played[g].task_id) ?? []), scores.some((x) => x !== scores[0])].slice(-4));
      }
      const weights = row.data.curriculum as { task_id: string; weight: number; recent: boolean[] }[];
      expect(weights).toHaveLength(4);
      for (const w of weights) {
        const r = recent.get(w.task_id) ?? [];
        expect(w.recent).toEqual(r);
        expect(w.weight).toBeCloseTo(r.length ? 0.1 + (0.9 * r.filter(Boolean).length) / r.length : 1, 12);
      }
    }
    expect(stepMetrics(curDir, "rl").every((m) => typeof m["userrl/curriculum_mean_weight"] === "number")).toBe(true);
    const curStore = RunStore.open(curDir);
    try {
      expect((curStore.run()?.config.rl as { curriculum: string }).curriculum).toBe("variance");
    } finally {
      curStore.close();
    }
  },
  2_100_000,
);

if (!hasPython) test("python3 is missing: the training test was skipped", () => expect(hasPython).toBe(false));
