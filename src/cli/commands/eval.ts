import type { Command } from "commander";
import { evaluateRun } from "../../eval/load.js";
import { evalJson, writeReports } from "../../eval/reports.js";
import { textReport } from "../../eval/report-text.js";
import { addRunOptions, executeRun, failureLines, runExitCode, simFaultLines, type RunOptions } from "../run-common.js";
import { evalPersonas } from "../persona-eval.js";
import { printJson } from "../util.js";

export function register(program: Command): void {
  addRunOptions(
    program
      .command("eval")
      .description("evaluate an agent: run (or resume) the rollouts with evaluation settings, score them as the paper, write report.html")
      .argument("<gyms...>", "gym names, or all"),
    { mode: "eval", fixedMode: true },
  )
    .option("--personas <list...>", "robustness: evaluate once per persona (comma or space separated, or all), each a run under --out/<persona>/, and print the gym × persona table")
    .action(async (gyms: string[], opts: RunOptions & { personas?: string[] }) => {
    if (opts.personas) return evalPersonas(gyms, { ...opts, personas: opts.personas });
    const run = await executeRun(gyms, { ...opts, mode: "eval" });
    const r = evaluateRun(opts.out);
    const html = writeReports(r);
    process.exitCode = runExitCode(run);
    if (opts.json) return printJson({ ...evalJson(r), pending: run.pending, errors: run.errors, failures: run.failures, aborted: run.aborted, report: html, ...(run.simFaultReruns ? { simFaultReruns: run.simFaultReruns } : {}) });
    console.log(textReport(r));
    console.log(`\nreport: ${html}${run.pending ? `\n${run.pending} episodes still to run (re-run the command to resume).` : ""}`);
    for (const line of simFaultLines(run)) console.log(line);
    for (const line of failureLines(run)) console.error(line);
  });
}
