/** Write selected trajectories as an SFT dataset file (JSON Lines); `exportRunSft` does all of `userrl sft export`. */
import { createWriteStream, writeFileSync } from "node:fs";
import { once } from "node:events";
import { basename, dirname, join } from "node:path";
import { RunStore } from "../rollout/store.js";
import { selectForSft, type Ranked, type SelectOptions } from "./select.js";
import { llamaFactoryDatasetInfo, toSft, type SftFormat } from "./formats.js";

export interface SftExportStats {
  records: number;
  perGym: Record<string, { records: number; meanScore: number; minScore: number }>;
}

export async function writeSft(selected: ReadonlyMap<string, Ranked[]>, format: SftFormat, path: string): Promise<SftExportStats> {
  const out = createWriteStream(path);
  const stats: SftExportStats = { records: 0, perGym: {} };
  for (const [gym, list] of selected) {
    for (const r of list) {
      if (!out.write(`${JSON.stringify(toSft(r.trajectory, format))}\n`)) await once(out, "drain");
    }
    stats.records += list.length;
    stats.perGym[gym] = {
      records: list.length,
      meanScore: list.length ? list.reduce((s, r) => s + r.score, 0) / list.length : 0,
      minScore: list.length ? Math.min(...list.map((r) => r.score)) : 0,
    };
  }
  out.end();
  await once(out, "finish");
  return stats;
}

/**
 * Rank a run directory's trajectories, keep the best (`selectForSft`), write them to `output` in `format`, and
 * for ShareGPT also LLaMA-Factory's `dataset_info.json` beside it (named in `datasetInfo`).
 */
export async function exportRunSft(
  runDir: string,
  o: SelectOptions & { format: SftFormat; output: string },
): Promise<SftExportStats & { datasetInfo?: string }> {
  const store = RunStore.open(runDir);
  let stats: SftExportStats;
  try {
    stats = await writeSft(selectForSft(store.trajectories(), o), o.format, o.output);
  } finally {
    store.close();
  }
  if (o.format !== "sharegpt") return stats;
  const datasetInfo = join(dirname(o.output), "dataset_info.json");
  writeFileSync(datasetInfo, `${JSON.stringify(llamaFactoryDatasetInfo("userrl_sft", basename(o.output)), null, 2)}\n`);
  return { ...stats, datasetInfo };
}
