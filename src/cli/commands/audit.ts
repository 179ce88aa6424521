import type { Command } from "commander";
import { auditText } from "../../audit/format.js";
import { auditRun } from "../../audit/run.js";
import { printJson } from "../util.js";

export function register(program: Command): void {
  program
    .command("audit")
    .description("audit the simulated user of a stored run: leaks, off-contract replies, contradictions, premature ends, empty or looping replies; findings stored with the run")
    .argument("<runDir>", "a run directory")
    .option("--json", "print the report as JSON")
    .action(async (dir: string, opts: { json?: boolean }) => {
      const report = await auditRun(dir);
      if (opts.json) return printJson(report);
      console.log(auditText(report).join("\n"));
    });
}
