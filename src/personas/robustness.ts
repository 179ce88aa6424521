/**
 * Robustness evaluation (`userrl eval … --personas <list|all>`): one ordinary run per persona, each in its own
 * directory under `--out` (`<out>/<persona>/`), so every slice is resumable, auditable and comparable on its own
 * and the persona stays pinned per run directory. This file turns the slices' evaluations into the gym × persona
 * table: each persona's score with its 95% interval, and its drop against `cooperative` with a paired bootstrap
 * interval over the tasks both slices played.
 */
import { bootstrapCI, type GymEval } from "../eval/aggregate.js";
import { fixed, textTable } from "../eval/format.js";
import type { EvaluatedRun } from "../eval/load.js";
import { esc, htmlTable, page } from "./page.js";
import { DEFAULT_PERSONA } from "./spec.js";

export interface RobustnessCell {
  score: number;
  ci95: [number, number];
  tasks: number;
  /** Score minus the cooperative score, over the tasks both played (absent for cooperative itself). */
  drop?: number;
  dropCi95?: [number, number];
}

export interface RobustnessTable {
  personas: string[];
  gyms: string[];
  /** gym → persona → cell. */
  cells: Record<string, Record<string, RobustnessCell>>;
  /** persona → its run directory. */
  runs: Record<string, string>;
}

/** The directory name of a persona's slice. */
export function sliceDir(personaId: string): string {
  return personaId.replace(/[^A-Za-z0-9+=_.-]/g, "-");
}

export function robustnessTable(slices: readonly { persona: string; run: EvaluatedRun }[]): RobustnessTable {
  const personas = slices.map((s) => s.persona);
  const gyms = [...new Set(slices.flatMap((s) => Object.keys(s.run.summary.gyms)))];
  const base = slices.find((s) => s.persona === DEFAULT_PERSONA)?.run.summary.gyms;
  const cells: RobustnessTable["cells"] = {};
  for (const gym of gyms) {
    const row: Record<string, RobustnessCell> = (cells[gym] = {});
    for (const { persona, run } of slices) {
      const g = run.summary.gyms[gym];
      if (!g) continue;
      const cell: RobustnessCell = { score: g.score, ci95: g.ci95, tasks: g.n };
      const coop = base?.[gym];
      if (coop && persona !== DEFAULT_PERSONA) Object.assign(cell, pairedDrop(g, coop));
      row[persona] = cell;
    }
  }
  return { personas, gyms, cells, runs: Object.fromEntries(slices.map((s) => [s.persona, s.run.dir])) };
}

/** Mean per-task difference (persona − cooperative) over shared tasks, with a bootstrap interval. */
function pairedDrop(g: GymEval, coop: GymEval): Pick<RobustnessCell, "drop" | "dropCi95"> {
  const coopByTask = new Map(coop.tasks.map((t) => [t.taskId, t.mean]));
  const diffs = g.tasks.filter((t) => coopByTask.has(t.taskId)).map((t) => t.mean - coopByTask.get(t.taskId)!);
  if (diffs.length === 0) return {};
  return { drop: diffs.reduce((a, b) => a + b, 0) / diffs.length, dropCi95: bootstrapCI(diffs) };
}

const f = (x: number): string => fixed(x, 3);
const signed = (x: number): string => `${x >= 0 ? "+" : ""}${f(x)}`;

const interval = (ci: [number, number] | undefined): string => (ci ? `[${f(ci[0])}, ${f(ci[1])}]` : "–");

/** The table in long form, one row per gym and persona: wide enough for every persona on a terminal. */
export function robustnessText(t: RobustnessTable): string {
  const header = ["gym", "persona", "tasks", "score", "95% CI", "vs cooperative", "95% CI"];
  const rows = t.gyms.flatMap((g) =>
    t.personas.flatMap((p, i) => {
      const c = t.cells[g][p];
      if (!c) return [];
      return [[i === 0 || !t.cells[g][t.personas[i - 1]] ? g : "", p, String(c.tasks), f(c.score), interval(c.ci95), c.drop === undefined ? "–" : signed(c.drop), interval(c.dropCi95)]];
    }),
  );
  return [
    "score by gym and persona (intervals: 95% bootstrap over tasks; the change against cooperative is paired over tasks)",
    ...textTable(header, rows, 2),
  ].join("\n");
}

export function robustnessHtml(t: RobustnessTable, about: { agent: string; user: string }): string {
  const rows = t.gyms.map((g) => [
    esc(g),
    ...t.personas.map((p) => {
      const c = t.cells[g][p];
      if (!c) return "–";
      const drop =
        c.drop === undefined
          ? ""
          : `<br><span class="${c.drop < 0 ? "neg" : "pos"}">${signed(c.drop)}</span> <span class="sub">[${f(c.dropCi95![0])}, ${f(c.dropCi95![1])}]</span>`;
      return `<b>${f(c.score)}</b> <span class="sub">[${f(c.ci95[0])}, ${f(c.ci95[1])}]</span>${drop}`;
    }),
  ]);
  const runs = htmlTable(
    ["persona", "run directory"],
    t.personas.map((p) => [esc(p), `<a href="${esc(sliceDir(p))}/report.html">${esc(t.runs[p])}</a>`]),
  );
  return page(
    "userrl robustness across personas",
    `agent <b>${esc(about.agent)}</b> · simulated user <b>${esc(about.user)}</b> · ${t.personas.length} personas × ${t.gyms.length} gyms`,
    `<h2>Score by gym and persona</h2>${htmlTable(["gym", ...t.personas], rows)}
<p class="sub">Each cell: the persona's score with its 95% bootstrap interval over tasks; below it the change against the cooperative user, the mean per-task difference over the tasks both played, with its paired bootstrap interval. Each persona is its own run (a full report per run below).</p>
<h2>Runs</h2>${runs}`,
  );
}
