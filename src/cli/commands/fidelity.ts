import { writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import type { Command } from "commander";
import { fidelityOfRuns } from "../../fidelity/compare.js";
import { fidelityHtml, fidelityText } from "../../fidelity/format.js";
import { fileErrorText } from "../../rollout/store-file.js";
import { printJson } from "../util.js";

export function register(program: Command): void {
  program
    .command("fidelity")
    .description("compare the user side of two runs on the same tasks (e.g. a simulator against human users): components and a 0–100 fidelity index")
    .argument("<candidateRun>", "the run whose simulated user is judged")
    .argument("<referenceRun>", "the run it is compared with (human users, or a stronger simulator)")
    .option("--html <file>", "write the HTML report here instead of <candidateRun>/fidelity.html")
    .option("--json", "print the report as JSON")
    .action(async (candidate: string, reference: string, opts: { html?: string; json?: boolean }) => {
      const report = await fidelityOfRuns(candidate, reference);
      const target = resolve(opts.html ?? join(report.candidate.dir, "fidelity.html"));
      let html: string | null = target;
      try {
        writeFileSync(target, fidelityHtml(report));
      } catch (err) {
        html = null;
        // Only a file asked for by name is an error; the default file is a convenience (the run may be read-only).
        const asked = opts.html !== undefined;
        process.stderr.write(`userrl: ${asked ? "error" : "note"}: cannot write ${target}: ${fileErrorText(err)}${asked ? "" : "; pass --html <file> to write it elsewhere"}\n`);
        if (asked) process.exitCode = 1;
      }
      if (opts.json) return printJson({ ...report, report: html });
      console.log(fidelityText(report).join("\n"));
      if (html) console.log(`\nreport: ${html}`);
    });
}
