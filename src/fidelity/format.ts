/** The fidelity report in the terminal and as a self-contained HTML page. */
import { fixed, textTable } from "../eval/format.js";
import { esc, htmlTable, page } from "../personas/page.js";
import type { FidelityComponent, FidelityReport, RunSide } from "./compare.js";

const value = (v: FidelityComponent["candidate"]): string => {
  if (typeof v === "number") return fixed(v, 3);
  const entries = Object.entries(v).sort(([a], [b]) => a.localeCompare(b));
  return entries.length ? entries.map(([k, s]) => `${k} ${Math.round(100 * s)}%`).join(", ") : "none";
};
const similarity = (s: number | null): string => (s === null ? "n/a" : fixed(s, 3));
const about = (s: RunSide): string => `${s.dir} (user ${s.user}, persona ${s.persona}, ${s.episodes} episodes)`;

function componentRows(r: FidelityReport): string[][] {
  return r.components.map((c) => [c.label, value(c.candidate), value(c.reference), similarity(c.similarity)]);
}

function gymRows(r: FidelityReport): string[][] {
  return Object.entries(r.gyms).map(([gym, g]) => [gym, String(g.tasks), fixed(g.index, 1)]);
}

export function fidelityText(r: FidelityReport): string[] {
  return [
    `candidate: ${about(r.candidate)}`,
    `reference: ${about(r.reference)}`,
    `fidelity index ${fixed(r.index, 1)} / 100 over ${r.tasks} shared tasks${r.candidateOnly || r.referenceOnly ? ` (left out: ${r.candidateOnly} tasks only in the candidate, ${r.referenceOnly} only in the reference)` : ""}`,
    "",
    ...textTable(["component", "candidate", "reference", "similarity"], componentRows(r)),
    "",
    ...textTable(["gym", "tasks", "index"], gymRows(r)),
    ...r.notes,
  ];
}

export function fidelityHtml(r: FidelityReport): string {
  const sides = htmlTable(
    ["", "run", "agent", "user", "persona", "episodes"],
    (["candidate", "reference"] as const).map((k) => [k, esc(r[k].dir), esc(r[k].agent), esc(r[k].user), esc(r[k].persona), String(r[k].episodes)]),
  );
  const body = `<div class="kpi"><span class="sub">fidelity index</span><b>${fixed(r.index, 1)}</b><span class="sub">of 100, over ${r.tasks} shared tasks</span></div>
<h2>Runs</h2>${sides}
<h2>Components</h2>${htmlTable(["component", "candidate", "reference", "similarity"], componentRows(r).map((row) => row.map(esc)))}
<p class="sub">Similarity 1 is identical. Reply length and new content words per reply: 1 − the Kolmogorov–Smirnov distance between the two
distributions. Answer distribution: 1 − the total variation distance between the shares of each verdict among replies that open with one.
Hint, early-end and audit-fault rates: 1 − their difference. Agent score: 1 − the difference of the mean scores (relative where scores exceed 1),
per gym, weighted by tasks. The index is the mean of the similarities ×100; n/a components are left out.</p>
<h2>By gym</h2>${htmlTable(["gym", "tasks", "index"], gymRows(r).map((row) => row.map(esc)))}
${r.notes.length ? `<p class="sub">${r.notes.map(esc).join("<br>")}</p>` : ""}`;
  return page("userrl fidelity of a simulated user", `${esc(r.candidate.user)} against ${esc(r.reference.user)}`, body);
}
