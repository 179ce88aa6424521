import type { Command } from "commander";
import { evaluateWithRun } from "../../eval/evaluate.js";
import { textReport } from "../../eval/report-text.js";
import { progressPrinter } from "../progress.js";
import { evalPersonas } from "../persona-eval.js";
import { addRunOptions, failureLines, interruptible, noteLine, runExitCode, runRequest, simFaultLines, type RunOptions } from "../run-common.js";
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
    const { mode: _mode, ...request } = runRequest(gyms, opts);
    const bar = progressPrinter(gyms.join("+"));
    const { result, run } = await interruptible((signal) =>
      evaluateWithRun({
        ...request,
        signal,
        onEvent: (e) => (e.type === "note" ? noteLine(e.message) : e.type === "progress" ? bar.update(e.progress) : undefined),
      }),
    ).finally(() => bar.done());
    process.exitCode = runExitCode(result);
    if (opts.json) return printJson(result);
    console.log(textReport(run));
    console.log(`\nreport: ${result.report}${result.pending ? `\n${result.pending} episodes still to run (re-run the command to resume).` : ""}`);
    for (const line of simFaultLines(result)) console.log(line);
    for (const line of failureLines(result)) console.error(line);
  });
}
