import type { Command } from "commander";
import { evaluateRun } from "../../eval/load.js";
import { textReport } from "../../eval/report-text.js";
import { printJson } from "../util.js";
import { evalJson, writeReports } from "../../eval/reports.js";

export function register(program: Command): void {
  program
    .command("report")
    .description("score a run directory as the paper does and (re)build its report.html")
    .argument("<runDir>", "a run directory")
    .option("--html <file>", "write the HTML report here instead of <runDir>/report.html")
    .option("--json", "print the scores as JSON")
    .action((runDir: string, opts: { html?: string; json?: boolean }) => {
      const r = evaluateRun(runDir);
      const html = writeReports(r, opts.html);
      if (opts.json) return printJson({ ...evalJson(r), report: html });
      console.log(textReport(r));
      console.log(`\nreport: ${html}`);
    });
}
