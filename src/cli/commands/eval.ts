import type { Command } from "commander";
import { evaluateRun } from "../../eval/load.js";
import { evalJson, writeReports } from "../../eval/reports.js";
import { textReport } from "../../eval/report-text.js";
import { addRunOptions, executeRun, failureLines, runExitCode, type RunOptions } from "../run-common.js";
import { printJson } from "../util.js";

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
    process.exitCode = runExitCode(run);
    if (opts.json) return printJson({ ...evalJson(r), pending: run.pending, errors: run.errors, failures: run.failures, aborted: run.aborted, report: html });
    console.log(textReport(r));
    console.log(`\nreport: ${html}${run.pending ? `\n${run.pending} episodes still to run (re-run the command to resume).` : ""}`);
    for (const line of failureLines(run)) console.error(line);
  });
}
