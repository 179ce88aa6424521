/**
 * A training stage's run: the run store (config, train_metrics, events) opened at the start, the engine's stage
 * with its evaluation, and at the end the evaluation's line and `train.json`.
 */
import { randomUUID } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { RunStore } from "../rollout/store.js";
import { evaluateModel, type EvalOutcome } from "./evaluate.js";
import { TrainLog } from "./metrics.js";
import type { TrainCommon } from "./options.js";
import { runTrainingStage, SERVED_MODEL, type StageIO } from "./stage-runner.js";

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

export interface TrainRun {
  store: RunStore;
  log: TrainLog;
  runId: string;
  out: string;
  started: number;
}

/** The run record of a training directory; a second training of another kind into the same directory is refused. */
export function openTrainRun(out: string, kind: string, config: Record<string, unknown>): TrainRun {
  mkdirSync(out, { recursive: true });
  const store = RunStore.forWriting(out);
  const existing = store.run();
  if (existing && existing.config.kind !== kind) {
    store.close();
    throw new RangeError(`${store.dir} already holds a ${String(existing.config.kind ?? "run")} run; choose another --out`);
  }
  const runId = store.ensureRun(`${kind}-${randomUUID()}`, config).id;
  return { store, log: new TrainLog(store), runId, out, started: Date.now() };
}

export function lossesOf(events: { kind: string; metrics?: unknown }[]): number[] {
  return events
    .filter((e) => e.kind === "log")
    .map((e) => (e.metrics as Record<string, unknown> | undefined)?.loss)
    .filter((l): l is number => typeof l === "number");
}

/**
 * Run a training stage into `run` and close it: the engine serves the trained model for the evaluation
 * (`serve_after`) unless `--eval-server` names an external one, which is then evaluated instead; the evaluation
 * (`<out>/eval`) is recorded and printed, and the report is written to `<out>/train.json`.
 */
export async function runStage(
  stage: TrainReport["stage"],
  run: TrainRun,
  settings: Record<string, unknown>,
  o: TrainCommon,
  io: StageIO,
  s: { python: string; user?: string; beforeEvaluate?: () => Promise<void>; counts: Pick<TrainReport, "records" | "tasks"> },
): Promise<TrainReport> {
  const evalOpts = { ...o, dir: join(run.out, "eval"), user: o.eval.user ?? s.user, signal: io.signal, log: io.log };
  const result = await runTrainingStage(stage, { ...settings, serve_after: o.eval.enabled && !o.eval.server }, {
    python: s.python,
    launcher: o.launcher,
    workDir: join(run.out, "logs"),
    signal: io.signal,
    trainLog: run.log,
    io,
    evaluate: async (target) => {
      await s.beforeEvaluate?.();
      return evaluateModel(target, evalOpts);
    },
  });
  const external = o.eval.enabled ? o.eval.server : undefined;
  const evaluation = result.evaluation ?? (external ? await evaluateModel({ baseUrl: external, model: SERVED_MODEL }, evalOpts) : undefined);
  if (evaluation) {
    run.log.record("eval", { kind: "eval", validCallRate: evaluation.validCallRate, episodes: evaluation.episodes, summary: evaluation.summary });
    io.log(`evaluation: ${evaluation.episodes} episodes, valid tool calls ${(evaluation.validCallRate * 100).toFixed(0)}% of turns; report ${evaluation.report}`);
  }
  const done = result.events.find((e) => e.kind === "done");
  const report: TrainReport = {
    stage,
    out: run.out,
    runId: run.runId,
    model: join(run.out, "model"),
    ...s.counts,
    steps: Number(done?.steps ?? 0),
    losses: lossesOf(result.events),
    evaluation,
    seconds: (Date.now() - run.started) / 1000,
  };
  writeFileSync(join(run.out, "train.json"), `${JSON.stringify(report, null, 2)}\n`);
  return report;
}
