/**
 * `userrl train sft`: the SFT cold start. Collect trajectories with a strong agent (default: each gym's scripted
 * baseline), rank them and keep the best (src/sft), fine-tune with TRL's SFTTrainer, and evaluate the result.
 *
 *   <out>/run.sqlite           the run: config, train_metrics (loss per step, checkpoints, evaluation), events
 *   <out>/collect/             the collected trajectories (a run directory)
 *   <out>/data/sft.jsonl       the SFT set (TRL format)
 *   <out>/base-model/          the tiny model before training (with --model tiny)
 *   <out>/checkpoints/         TRL's checkpoints;  <out>/model/  the fine-tuned model
 *   <out>/eval/                the evaluation run, report.html, summary.json
 */
import { existsSync, mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { runRollouts } from "../rollout/run.js";
import { RunStore } from "../rollout/store.js";
import { selectForSft } from "../sft/select.js";
import { writeSftSet } from "./data.js";
import { checkSft, TINY_MODEL, type SftSettings, type TrainCommon } from "./options.js";
import { preparePython } from "./python.js";
import { openTrainRun, runStage, type TrainReport } from "./run-record.js";
import type { StageIO } from "./stage-runner.js";

export interface SftRunOptions extends TrainCommon {
  sft: SftSettings;
}

export async function trainSft(o: SftRunOptions, io: StageIO): Promise<TrainReport> {
  checkSft(o.sft);
  const out = resolve(o.out);
  const run = openTrainRun(out, "train-sft", { kind: "train-sft", gyms: o.gyms, model: o.model, agent: o.sft.agent, split: o.split, limit: o.limit, sft: o.sft, seed: o.seed });
  try {
    const python = o.python ?? (await preparePython((l) => (l.startsWith("python-env:") ? io.log(l) : undefined)));
    let data = o.sft.data ? resolve(o.sft.data) : join(out, "data", "sft.jsonl");
    let records: number | undefined;
    if (!o.sft.data) {
      io.log(`collecting cold-start trajectories with ${o.sft.agent} …`);
      const collectDir = join(out, "collect");
      await runRollouts(
        {
          gyms: o.gyms,
          agent: o.sft.agent,
          user: o.user,
          judge: o.judge,
          persona: o.persona,
          split: o.split,
          limit: o.limit,
          taskIds: o.taskIds,
          samples: o.sft.samples,
          concurrency: 8,
          out: collectDir,
          mode: "train",
          compat: o.compat,
          maxTurns: o.maxTurns,
          seed: o.seed,
          prompts: o.prompts,
        },
        { signal: io.signal, note: io.log },
      );
      const collected = RunStore.open(collectDir);
      try {
        mkdirSync(join(out, "data"), { recursive: true });
        records = await writeSftSet(selectForSft(collected.trajectories(), { topK: o.sft.topK, minScore: o.sft.minScore }), data);
      } finally {
        collected.close();
      }
      if (records === 0) throw new Error(`no trajectory of ${o.sft.agent} scored above ${o.sft.minScore}: nothing to imitate`);
      run.log.record("sft", { kind: "data", records, file: data });
      io.log(`${records} SFT records in ${data}`);
    } else if (!existsSync(data)) {
      throw new Error(`--data ${data} does not exist`);
    }
    const modelDir = o.model === TINY_MODEL ? join(out, "base-model") : o.model;
    const settings: Record<string, unknown> = {
      model: modelDir,
      ...(o.model === TINY_MODEL ? { tiny_model: { corpus: [data], seed: o.seed } } : {}),
      data,
      output_dir: join(out, "checkpoints"),
      final_dir: join(out, "model"),
      learning_rate: o.sft.learningRate,
      epochs: o.sft.epochs,
      max_steps: o.sft.steps ?? -1,
      per_device_batch_size: o.sft.batch,
      gradient_accumulation_steps: o.sft.gradAccum,
      max_length: o.sft.maxLength,
      warmup_ratio: o.sft.warmup,
      lr_scheduler: o.sft.scheduler,
      logging_steps: o.sft.steps !== undefined && o.sft.steps < 50 ? 1 : 5,
      save_steps: o.sft.saveSteps ?? null,
      seed: o.seed,
      bf16: o.bf16,
      threads: o.threads ?? null,
    };
    return await runStage("sft", run, settings, o, io, { python, user: o.user, counts: { records } });
  } finally {
    run.store.close();
  }
}
