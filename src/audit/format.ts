/** The audit report as a terminal table. */
import { fixed, textTable } from "../eval/format.js";
import { AUDIT_KINDS } from "./checks.js";
import type { AuditReport } from "./run.js";

const pct = (x: number): string => (Number.isFinite(x) ? `${(100 * x).toFixed(1)}%` : "–");
const score = (x: number): string => (Number.isFinite(x) ? fixed(x, 3) : "–");

export function auditText(r: AuditReport): string[] {
  const header = ["gym", "episodes", "with fault", ...AUDIT_KINDS, "score", "score w/o faulty"];
  const rows = Object.entries(r.gyms).map(([gym, g]) => [
    gym,
    String(g.episodes),
    `${g.faulty} (${pct(g.faultShare)})`,
    ...AUDIT_KINDS.map((k) => String(g.kinds[k])),
    score(g.score),
    `${score(g.cleanScore)} (n=${g.cleanEpisodes})`,
  ]);
  const reruns = Object.values(r.gyms).reduce((n, g) => n + g.reruns, 0);
  return [
    `simulator audit of ${r.runDir} (persona ${r.persona})`,
    ...textTable(header, rows),
    "",
    `${r.faulty} of ${r.episodes} episodes (${pct(r.faultShare)}) have a simulator fault.${reruns ? ` ${reruns} episode(s) are re-runs of faulty ones (--rerun-sim-faults).` : ""}`,
    ...r.notes,
  ];
}
