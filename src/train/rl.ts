/**
 * `userrl train rl`: multi-turn GRPO with TRL against the environment server. The command starts `userrl serve`
 * in-process (training mode, episodes stored in the run), writes the task list, launches the Python trainer
 * (`CreditGRPOTrainer`: TRL's tool loop through the server, advantages from the credit service), records its
 * metrics, and evaluates the final model.
 *
 *   <out>/run.sqlite       the run: config, every training episode (as `userrl run` stores them),
 *                          train_metrics (loss, rewards, advantages, timings per step; checkpoints; evaluation)
 *   <out>/data/tasks.jsonl the tasks with their prompts
 *   <out>/checkpoints/     TRL's checkpoints;  <out>/model/  the trained model;  <out>/eval/  the evaluation
 */
import { randomBytes } from "node:crypto";
import { mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { defaultUserSpec, gymsToRun } from "../rollout/run.js";
import { parsePersona } from "../personas/spec.js";
import { startServer } from "../server/app.js";
import { taskRows, writeTaskRows } from "./data.js";
import { checkRl, rlSteps, TINY_MODEL, type RlSettings, type TrainCommon } from "./options.js";
import { preparePython } from "./python.js";
import { openTrainRun, runStage, type TrainReport } from "./run-record.js";
import type { StageIO } from "./stage-runner.js";

export interface RlRunOptions extends TrainCommon {
  rl: RlSettings;
}

export async function trainRl(o: RlRunOptions, io: StageIO): Promise<TrainReport> {
  checkRl(o.rl);
  const out = resolve(o.out);
  const user = o.user ?? defaultUserSpec(o.gyms);
  // `all` as `userrl run` reads it, so the task list and the server hold the same gyms.
  const gyms = gymsToRun(o.gyms, user, {}, io.log, o.judge !== undefined);
  const rows = await taskRows({ gyms, split: o.split, limit: o.limit, taskIds: o.taskIds, prompts: o.prompts });
  const steps = rlSteps(o.rl, rows.length);
  // The environment's settings sit under `environment`: the server pins its own keys (user, mode, …) at the top.
  const run = openTrainRun(out, "train-rl", {
    kind: "train-rl",
    gyms,
    model: o.model,
    split: o.split,
    tasks: rows.length,
    steps,
    rl: o.rl,
    seed: o.seed,
    environment: { user, judge: o.judge, mode: "train", compat: o.compat, maxTurns: o.maxTurns, prompts: o.prompts },
  });
  let server: Awaited<ReturnType<typeof startServer>> | undefined;
  try {
    mkdirSync(join(out, "data"), { recursive: true });
    const tasksFile = join(out, "data", "tasks.jsonl");
    await writeTaskRows(rows, tasksFile);
    const python = o.python ?? (await preparePython((l) => (l.startsWith("python-env:") ? io.log(l) : undefined)));
    const token = randomBytes(16).toString("hex");
    server = await startServer({
      gyms,
      host: "127.0.0.1",
      port: 0,
      token,
      user,
      judge: o.judge,
      mode: "train",
      compat: o.compat,
      maxTurns: o.maxTurns,
      prompts: o.prompts,
      persona: parsePersona(o.persona),
      out,
      // One session per rollout slot, plus TRL's probe instance and the tool-schema lookup.
      maxSessions: o.rl.batch * o.rl.groupSize + 8,
      idleTimeoutMs: 0,
    });
    io.log(`environment server on ${server.url} (${server.catalog.names().join(", ")}; user ${user}); ${rows.length} tasks, ${steps} steps`);
    const modelDir = o.model === TINY_MODEL ? join(out, "base-model") : o.model;
    const settings: Record<string, unknown> = {
      model: modelDir,
      ...(o.model === TINY_MODEL ? { tiny_model: { corpus: [tasksFile], seed: o.seed } } : {}),
      tasks: tasksFile,
      output_dir: join(out, "checkpoints"),
      final_dir: join(out, "model"),
      server_url: server.url,
      server_token: token,
      curriculum: o.rl.curriculum,
      credit: { turnLevel: o.rl.turnLevel, trajectoryScore: o.rl.trajectory, gamma: o.rl.gamma, emK: o.rl.emK, normByStd: o.rl.normByStd },
      learning_rate: o.rl.learningRate,
      group_size: o.rl.groupSize,
      batch: o.rl.batch,
      mini_batch: o.rl.miniBatch,
      micro_batch: o.rl.microBatch,
      steps,
      max_turns: o.maxTurns,
      max_completion_length: o.rl.maxCompletionLength,
      max_turn_tokens: o.rl.maxTurnTokens ?? null,
      temperature: o.rl.temperature,
      save_every: o.rl.saveEvery,
      seed: o.seed,
      bf16: o.bf16,
      gradient_checkpointing: o.rl.gradientCheckpointing,
      vllm: o.rl.vllm ?? null,
      vllm_server_url: o.rl.vllmServerUrl ?? null,
      threads: o.threads ?? null,
    };
    return await runStage("rl", run, settings, o, io, {
      python,
      user,
      // The environment server is not needed any more: its port and cores go to the evaluation.
      beforeEvaluate: async () => {
        await server?.close({ drainMs: 5_000 });
        server = undefined;
      },
      counts: { tasks: rows.length },
    });
  } finally {
    await server?.close({ drainMs: 5_000 });
    run.store.close();
  }
}
