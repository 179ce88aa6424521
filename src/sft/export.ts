/** Write selected trajectories as an SFT dataset file (JSON Lines); `exportRunSft` does all of `userrl sft export`. */
import { createWriteStream, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { once } from "node:events";
import { basename, dirname, join } from "node:path";
import { RunStore } from "../rollout/store.js";
import { selectForSft, type Ranked, type SelectOptions } from "./select.js";
import { llamaFactoryDatasetInfo, toSft, type SftFormat } from "./formats.js";

/** The `dataset_info.json` entry name when none is given. */
export const DEFAULT_DATASET_NAME = "userrl_sft";

export interface SftExportStats {
  records: number;
  perGym: Record<string, { records: number; meanScore: number; minScore: number }>;
}

/** Write the records to `path` (its folder is created when missing). */
export async function writeSft(selected: ReadonlyMap<string, Ranked[]>, format: SftFormat, path: string): Promise<SftExportStats> {
  mkdirSync(dirname(path), { recursive: true });
  const out = createWriteStream(path);
  // An error (disk full, no permission) rejects the pending write or finish below instead of crashing the process.
  const failed = new Promise<never>((_, reject) => out.once("error", reject));
  failed.catch(() => undefined);
  const stats: SftExportStats = { records: 0, perGym: {} };
  for (const [gym, list] of selected) {
    for (const r of list) {
      if (!out.write(`${JSON.stringify(toSft(r.trajectory, format))}\n`)) await Promise.race([once(out, "drain"), failed]);
    }
    stats.records += list.length;
    stats.perGym[gym] = {
      records: list.length,
      meanScore: list.length ? list.reduce((s, r) => s + r.score, 0) / list.length : 0,
      minScore: list.length ? Math.min(...list.map((r) => r.score)) : 0,
    };
  }
  out.end();
  await Promise.race([once(out, "finish"), failed]);
  return stats;
}

/** A `dataset_info.json` entry name LLaMA-Factory's `--dataset` flag can name, or a RangeError. */
export function checkDatasetName(name: string): void {
  if (!/^[\w.-]{1,128}$/.test(name)) throw new RangeError(`dataset name "${name}": use letters, digits, "_", "-" or "." (at most 128)`);
}

/**
 * Add (or replace) the entry `name` for the ShareGPT file `dataset` in the `dataset_info.json` beside it, keeping
 * every other entry: pointed at LLaMA-Factory's own data folder, it must not drop the datasets listed there.
 * Returns the path written. A file that is not a JSON object is left alone and reported.
 */
export function writeDatasetInfo(dataset: string, name: string = DEFAULT_DATASET_NAME): string {
  checkDatasetName(name);
  const path = join(dirname(dataset), "dataset_info.json");
  let entries: Record<string, unknown> = {};
  if (existsSync(path)) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(path, "utf8"));
    } catch (err) {
      throw new RangeError(`${path} is not valid JSON (${(err as Error).message}); fix or move it, it was left unchanged`);
    }
    if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) throw new RangeError(`${path} is not a JSON object; fix or move it, it was left unchanged`);
    entries = parsed as Record<string, unknown>;
  }
  const merged = { ...entries, ...llamaFactoryDatasetInfo(name, basename(dataset)) };
  // Written beside and renamed: a crash mid-write never leaves a truncated file in place of the old one.
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(merged, null, 2)}\n`);
  renameSync(tmp, path);
  return path;
}

/**
 * Rank a run directory's trajectories, keep the best (`selectForSft`), write them to `output` in `format`, and
 * for ShareGPT also the entry `name` (default `userrl_sft`) in LLaMA-Factory's `dataset_info.json` beside it,
 * keeping its other entries (named in `datasetInfo`).
 */
export async function exportRunSft(
  runDir: string,
  o: SelectOptions & { format: SftFormat; output: string; name?: string },
): Promise<SftExportStats & { datasetInfo?: string }> {
  const name = o.name ?? DEFAULT_DATASET_NAME;
  if (o.format === "sharegpt") checkDatasetName(name);
  const store = RunStore.open(runDir);
  let stats: SftExportStats;
  try {
    stats = await writeSft(selectForSft(store.trajectories(), o), o.format, o.output);
  } finally {
    store.close();
  }
  if (o.format !== "sharegpt") return stats;
  try {
    return { ...stats, datasetInfo: writeDatasetInfo(o.output, name) };
  } catch (err) {
    throw new RangeError(`${(err as Error).message} (the records are in ${o.output})`);
  }
}
