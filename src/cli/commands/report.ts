import { join, resolve } from "node:path";
import type { Command } from "commander";
import { evaluateRun } from "../../eval/load.js";
import { evalJson, writeReports } from "../../eval/reports.js";
import { textReport } from "../../eval/report-text.js";
import { fileErrorText } from "../../rollout/store-file.js";
import { printJson } from "../util.js";

export function register(program: Command): void {
  program
    .command("report")
    .description("score a run directory as the paper does and (re)build its report.html")
    .argument("<runDir>", "a run directory")
    .option("--html <file>", "write the HTML report here instead of <runDir>/report.html")
    .option("--json", "print the scores as JSON")
    .action((runDir: string, opts: { html?: string; json?: boolean }) => {
      const r = evaluateRun(runDir);
      // A run on read-only media is still scored and printed; only the files cannot be written there.
      let html: string | null = null;
      let unwritten: string | undefined;
      try {
        html = writeReports(r, opts.html);
      } catch (err) {
        const target = resolve(opts.html ?? join(r.dir, "report.html"));
        const failed = (err as NodeJS.ErrnoException).path;
        if (failed !== undefined && resolve(failed) !== target) html = target; // the HTML was written; summary.json was not
        unwritten = `cannot write ${failed ?? target}: ${fileErrorText(err)}${html ? "" : "; pass --html <file> to write the HTML report elsewhere"}`;
      }
      if (opts.json) printJson({ ...evalJson(r), report: html });
      else {
        console.log(textReport(r));
        if (html) console.log(`\nreport: ${html}`);
      }
      if (!unwritten) return;
      // Only a file asked for by name is an error; the default files are a convenience.
      const asked = opts.html !== undefined && !html;
      process.stderr.write(`userrl: ${asked ? "error" : "note"}: ${unwritten}\n`);
      if (asked) process.exitCode = 1;
    });
}
