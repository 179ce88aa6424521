/**
 * Training metrics in the run store: one `train_metrics` row per event of the Python side (losses and
 * learning rates per step, rewards and advantages per generation, checkpoints, the final evaluation), beside
 * the run's episodes and events. Query them with `trainMetrics(dir)` or any SQLite client.
 */
import { RunStore } from "../rollout/store.js";
import type { TrainEvent } from "./python.js";

export interface TrainMetricRow {
  id: number;
  at: string;
  stage: string;
  kind: string;
  step: number | null;
  data: Record<string, unknown>;
}

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS train_metrics (
    id INTEGER PRIMARY KEY AUTOINCREMENT, at TEXT NOT NULL, stage TEXT NOT NULL, kind TEXT NOT NULL,
    step INTEGER, data TEXT NOT NULL
  );
  CREATE INDEX IF NOT EXISTS train_metrics_stage ON train_metrics (stage, kind, step);
`;

export class TrainLog {
  constructor(readonly store: RunStore) {
    store.db.exec(SCHEMA);
  }

  record(stage: string, e: TrainEvent): void {
    const step = typeof e.step === "number" && Number.isFinite(e.step) ? e.step : null;
    this.store.db
      .prepare("INSERT INTO train_metrics (at, stage, kind, step, data) VALUES (?, ?, ?, ?, ?)")
      .run(new Date().toISOString(), stage, e.kind, step, JSON.stringify(e));
  }
}

/** The training metrics of a run directory, oldest first. */
export function trainMetrics(dir: string, filter: { stage?: string; kind?: string } = {}): TrainMetricRow[] {
  const store = RunStore.open(dir);
  try {
    const has = store.db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'train_metrics'").get();
    if (!has) return [];
    const where: string[] = [];
    const args: string[] = [];
    if (filter.stage) where.push("stage = ?"), args.push(filter.stage);
    if (filter.kind) where.push("kind = ?"), args.push(filter.kind);
    const rows = store.db.prepare(`SELECT * FROM train_metrics ${where.length ? `WHERE ${where.join(" AND ")}` : ""} ORDER BY id`).all(...args) as {
      id: number;
      at: string;
      stage: string;
      kind: string;
      step: number | null;
      data: string;
    }[];
    return rows.map((r) => ({ ...r, data: JSON.parse(r.data) as Record<string, unknown> }));
  } finally {
    store.close();
  }
}

/** Per-step training metrics (the `log` events that carry a loss), as `{step, …metrics}`. */
export function stepMetrics(dir: string, stage: string): Record<string, number>[] {
  return trainMetrics(dir, { stage, kind: "log" })
    .map((r): Record<string, number> => ({ step: r.step ?? 0, ...((r.data.metrics ?? {}) as Record<string, number>) }))
    .filter((m) => typeof m.loss === "number");
}
