/** What an evaluation leaves in a run directory: `report.html` and `summary.json` (the JSON of `userrl eval --json`). */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import type { EvalSummary, GymEval } from "./aggregate.js";
import type { EvaluatedRun } from "./load.js";
import { htmlReport } from "./report-html.js";

/** The JSON form of an evaluation: who played and judged, and the per-gym figures without the per-task lists. */
export type EvalJson = { runDir: string; agent: string; user: string; mode: string; compat: string } & Omit<EvalSummary, "gyms"> & {
  gyms: Record<string, Omit<GymEval, "tasks"> & { weight: number }>;
};

export function evalJson(r: EvaluatedRun): EvalJson {
  const s: EvalSummary = r.summary;
  const gyms = Object.fromEntries(
    Object.entries(s.gyms).map(([g, v]) => {
      const { tasks: _tasks, ...rest } = v;
      return [g, { ...rest, weight: s.weights[g] }];
    }),
  );
  return {
    runDir: r.dir,
    agent: r.agent,
    user: r.user,
    mode: r.mode,
    compat: r.compat,
    episodes: s.episodes,
    gyms,
    microAverage: s.microAverage,
    microAverageStderr: s.microAverageStderr,
    meanOverGyms: s.meanOverGyms,
    weights: s.weights,
    effectiveTurns: s.effectiveTurns,
    timeWeighted: s.timeWeighted,
    usage: s.usage,
    ...(s.signal ? { signal: s.signal } : {}),
  };
}

/** Write report.html (or `htmlPath`) and summary.json into the run directory; return the report's path. */
export function writeReports(r: EvaluatedRun, htmlPath = join(r.dir, "report.html")): string {
  writeFileSync(htmlPath, htmlReport(r));
  writeFileSync(join(r.dir, "summary.json"), `${JSON.stringify(evalJson(r), null, 2)}\n`);
  return htmlPath;
}
