/** Write selected trajectories as an SFT dataset file (JSON Lines). */
import { createWriteStream } from "node:fs";
import { once } from "node:events";
import type { Ranked } from "./select.js";
import { toSft, type SftFormat } from "./formats.js";

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
