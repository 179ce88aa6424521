/**
 * The record a training stage leaves in its directory: the run store (config, train_metrics, events) opened at
 * the start, and at the end the final evaluation's line and `train.json`.
 */
import { randomUUID } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { RunStore } from "../rollout/store.js";
import type { EvalOutcome } from "./evaluate.js";
import { TrainLog } from "./metrics.js";
import type { TrainEvent } from "./python.js";
import type { StageIO } from "./stage-runner.js";

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
 * Close a finished stage: the evaluation (the one the stage served, else `external()` when an external server
 * was named) is recorded and printed, and the report is written to `<out>/train.json`.
 */
export async function concludeTraining(
  stage: TrainReport["stage"],
  run: TrainRun,
  io: StageIO,
  result: { events: TrainEvent[]; evaluation?: EvalOutcome },
  external: (() => Promise<EvalOutcome>) | undefined,
  counts: Pick<TrainReport, "records" | "tasks">,
): Promise<TrainReport> {
  const evaluation = result.evaluation ?? (external ? await external() : undefined);
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
    ...counts,
    steps: Number(done?.steps ?? 0),
    losses: lossesOf(result.events),
    evaluation,
    seconds: (Date.now() - run.started) / 1000,
  };
  writeFileSync(join(run.out, "train.json"), `${JSON.stringify(report, null, 2)}\n`);
  return report;
}
