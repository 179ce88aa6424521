import { writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Command } from "commander";
import type { EvalSummary } from "../../eval/aggregate.js";
import { evaluateRun, type EvaluatedRun } from "../../eval/load.js";
import { htmlReport } from "../../eval/report-html.js";
import { textReport } from "../../eval/report-text.js";
import { addRunOptions, executeRun, failureLines, type RunOptions } from "../run-common.js";
import { printJson } from "../util.js";

/** The JSON form of an evaluation: per-gym figures without the per-task lists. */
export function evalJson(r: EvaluatedRun): Record<string, unknown> {
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

/** Write report.html and summary.json into the run directory; return the report path. */
export function writeReports(r: EvaluatedRun, htmlPath = join(r.dir, "report.html")): string {
  writeFileSync(htmlPath, htmlReport(r));
  writeFileSync(join(r.dir, "summary.json"), `${JSON.stringify(evalJson(r), null, 2)}\n`);
  return htmlPath;
}

export function register(program: Command): void {
  addRunOptions(
    program
      .command("eval")
      .description("evaluate an agent: run (or resume) the rollouts with evaluation settings, score them as the paper, write report.html")
      .argument("<gyms...>", "gym names, or all"),
    { mode: "eval", fixedMode: true },
  ).action(async (gyms: string[], opts: RunOptions) => {
    const run = await executeRun(gyms, { ...opts, mode: "eval" });
    const r = evaluateRun(opts.out);
    const html = writeReports(r);
    if (opts.json) return printJson({ ...evalJson(r), pending: run.pending, errors: run.errors, failures: run.failures, aborted: run.aborted, report: html });
    console.log(textReport(r));
    console.log(`\nreport: ${html}${run.pending ? `\n${run.pending} episodes still to run (re-run the command to resume).` : ""}`);
    for (const line of failureLines(run)) console.error(line);
    if (run.aborted) process.exitCode = 130;
  });
}
