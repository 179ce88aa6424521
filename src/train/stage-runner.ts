/**
 * One training stage end to end: launch it, record its events in the run store, print progress, and when it
 * serves the trained model (`serve_after`), evaluate it before stopping the process.
 */
import type { TrainLog } from "./metrics.js";
import { startStage, type StageOptions, type TrainEvent } from "./python.js";
import type { EvalTarget } from "./evaluate.js";

/** The name the trained model is served under (by the stage itself, or by an external server). */
export const SERVED_MODEL = "userrl-policy";

export interface StageIO {
  /** Progress lines for a person (stderr in the CLI). */
  log(line: string): void;
  signal?: AbortSignal;
}

const num = (v: unknown, digits = 4): string => (typeof v === "number" && Number.isFinite(v) ? Number(v.toPrecision(digits)).toString() : "–");

/** A one-line summary of an event, or undefined for events not worth a line. */
export function describeEvent(stage: string, e: TrainEvent): string | undefined {
  const t = `${num(e.elapsed_s, 3)} s`;
  if (e.kind === "log") {
    const m = (e.metrics ?? {}) as Record<string, unknown>;
    if (m.loss === undefined) return undefined;
    const parts = [`${stage} step ${e.step}/${e.max_steps}`, `loss ${num(m.loss)}`];
    if (m.reward !== undefined) parts.push(`reward ${num(m.reward)}`);
    if (m["userrl/success"] !== undefined) parts.push(`success ${num(m["userrl/success"])}`);
    if (m["userrl/advantage_abs"] !== undefined) parts.push(`|adv| ${num(m["userrl/advantage_abs"])}`);
    if (m["userrl/valid_call_rate"] !== undefined) parts.push(`valid calls ${num(m["userrl/valid_call_rate"])}`);
    return `${parts.join(", ")} (${t})`;
  }
  if (e.kind === "start") return `${stage}: started (${t})`;
  if (e.kind === "checkpoint") return `${stage}: checkpoint ${e.dir}`;
  if (e.kind === "done") return `${stage}: finished (${t})`;
  if (e.kind === "serving") return `${stage}: serving the trained model on port ${e.port} for the evaluation`;
  if (e.kind === "error") return `${stage}: error: ${e.message}`;
  return undefined;
}

/**
 * Run `stage`; when it announces `serving`, call `evaluate` with its endpoint, then stop it. Resolves with the
 * evaluation's result (undefined when the stage did not serve).
 */
export async function runTrainingStage<T>(
  stage: string,
  settings: Record<string, unknown>,
  o: Omit<StageOptions, "onEvent"> & { trainLog: TrainLog; io: StageIO; evaluate?: (target: EvalTarget) => Promise<T> },
): Promise<{ events: TrainEvent[]; evaluation?: T }> {
  const events: TrainEvent[] = [];
  let serving: ((t: EvalTarget) => void) | undefined;
  const served = new Promise<EvalTarget>((res) => (serving = res));
  const s = startStage(stage, settings, {
    ...o,
    onEvent: (e) => {
      events.push(e);
      o.trainLog.record(stage, e);
      const line = describeEvent(stage, e);
      if (line) o.io.log(line);
      if (e.kind === "serving") serving?.({ baseUrl: `http://${String(e.host ?? "127.0.0.1")}:${Number(e.port)}/v1`, model: String(e.model ?? SERVED_MODEL) });
    },
  });
  const outcome = await Promise.race([s.exited.then((code) => ({ code })), served.then((target) => ({ target }))]);
  if ("code" in outcome) {
    if (o.signal?.aborted) throw new Error(`${stage} interrupted`);
    if (outcome.code !== 0) throw new Error(`the ${stage} stage failed (exit ${outcome.code})${s.lastError() ? `: ${s.lastError()}` : ""}; full output in ${s.logFile}`);
    return { events };
  }
  let evaluation: T | undefined;
  try {
    evaluation = await o.evaluate?.(outcome.target);
  } finally {
    s.stop();
    await s.exited;
  }
  return { events, evaluation };
}
