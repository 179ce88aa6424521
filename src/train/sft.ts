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
import { randomUUID } from "node:crypto";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { executeRun } from "../cli/run-common.js";
import { RunStore } from "../rollout/store.js";
import { selectForSft } from "../sft/select.js";
import { writeSftSet } from "./data.js";
import { evaluateModel, type EvalOutcome } from "./evaluate.js";
import { TrainLog } from "./metrics.js";
import { checkSft, TINY_MODEL, type SftSettings, type TrainCommon } from "./options.js";
import { preparePython } from "./python.js";
import { runTrainingStage, type StageIO } from "./stage-runner.js";

export interface SftRunOptions extends TrainCommon {
  sft: SftSettings;
}

export interface TrainReport {
  stage: "sft" | "rl";
  out: string;
  runId: string;
  model: string;
  records?: number;
  tasks?: number;
  steps: number;
  losses: number[];
  evaluation?: EvalOutcome;
  seconds: number;
}

/** The run record of a training directory; a second training into the same directory is refused. */
export function openTrainRun(out: string, kind: string, config: Record<string, unknown>): { store: RunStore; log: TrainLog; runId: string } {
  mkdirSync(out, { recursive: true });
  const store = new RunStore(out);
  const existing = store.run();
  if (existing && existing.config.kind !== kind) {
    store.close();
    throw new RangeError(`${store.dir} already holds a ${String(existing.config.kind ?? "run")} run; choose another --out`);
  }
  const runId = store.ensureRun(`${kind}-${randomUUID()}`, config).id;
  return { store, log: new TrainLog(store), runId };
}

export function lossesOf(events: { kind: string; metrics?: unknown }[]): number[] {
  return events
    .filter((e) => e.kind === "log")
    .map((e) => (e.metrics as Record<string, unknown> | undefined)?.loss)
    .filter((l): l is number => typeof l === "number");
}

export async function trainSft(o: SftRunOptions, io: StageIO): Promise<TrainReport> {
  checkSft(o.sft);
  const started = Date.now();
  const out = resolve(o.out);
  const { store, log, runId } = openTrainRun(out, "train-sft", { kind: "train-sft", gyms: o.gyms, model: o.model, agent: o.sft.agent, split: o.split, limit: o.limit, sft: o.sft, seed: o.seed });
  try {
    const python = o.python ?? (await preparePython((l) => (l.startsWith("python-env:") ? io.log(l) : undefined)));
    let data = o.sft.data ? resolve(o.sft.data) : join(out, "data", "sft.jsonl");
    let records: number | undefined;
    if (!o.sft.data) {
      io.log(`collecting cold-start trajectories with ${o.sft.agent} …`);
      const collectDir = join(out, "collect");
      await executeRun(o.gyms, {
        agent: o.sft.agent,
        user: o.user,
        judge: o.judge,
        split: o.split,
        limit: o.limit,
        task: o.taskIds,
        samples: o.sft.samples,
        concurrency: 8,
        out: collectDir,
        mode: "train",
        compat: o.compat,
        maxTurns: o.maxTurns,
        seed: o.seed,
        prompts: o.prompts,
      });
      const collected = RunStore.open(collectDir);
      try {
        mkdirSync(join(out, "data"), { recursive: true });
        records = await writeSftSet(selectForSft(collected.trajectories(), { topK: o.sft.topK, minScore: o.sft.minScore }), data);
      } finally {
        collected.close();
      }
      if (records === 0) throw new Error(`no trajectory of ${o.sft.agent} scored above ${o.sft.minScore}: nothing to imitate`);
      log.record("sft", { kind: "data", records, file: data });
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
      serve_after: o.eval.enabled && !o.eval.server,
    };
    const { events, evaluation } = await runTrainingStage("sft", settings, {
      python,
      launcher: o.launcher,
      workDir: join(out, "logs"),
      signal: io.signal,
      trainLog: log,
      io,
      evaluate: (target) => evaluateModel(target, { ...o, dir: join(out, "eval"), user: o.eval.user ?? o.user }),
    });
    const finalEval = evaluation ?? (o.eval.enabled && o.eval.server ? await evaluateModel({ baseUrl: o.eval.server, model: "userrl-policy" }, { ...o, dir: join(out, "eval"), user: o.eval.user ?? o.user }) : undefined);
    if (finalEval) {
      log.record("eval", { kind: "eval", validCallRate: finalEval.validCallRate, episodes: finalEval.episodes, summary: finalEval.summary });
      io.log(`evaluation: ${finalEval.episodes} episodes, valid tool calls ${(finalEval.validCallRate * 100).toFixed(0)}% of turns; report ${finalEval.report}`);
    }
    const done = events.find((e) => e.kind === "done");
    const report: TrainReport = {
      stage: "sft",
      out,
      runId,
      model: join(out, "model"),
      records,
      steps: Number(done?.steps ?? 0),
      losses: lossesOf(events),
      evaluation: finalEval,
      seconds: (Date.now() - started) / 1000,
    };
    writeFileSync(join(out, "train.json"), `${JSON.stringify(report, null, 2)}\n`);
    return report;
  } finally {
    store.close();
  }
}
