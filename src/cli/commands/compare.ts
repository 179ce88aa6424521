import type { Command } from "commander";
import { compareRuns, compareText } from "../../eval/compare.js";
import { evaluateRun } from "../../eval/load.js";
import { printJson } from "../util.js";

export function register(program: Command): void {
  program
    .command("compare")
    .description("compare two runs gym by gym: score differences with their uncertainty, and which simulated user judged each")
    .argument("<runA>", "baseline run directory")
    .argument("<runB>", "run directory to compare against A")
    .option("--json", "machine-readable output")
    .action((a: string, b: string, opts: { json?: boolean }) => {
      const c = compareRuns(evaluateRun(a), evaluateRun(b));
      if (opts.json) return printJson(c);
      console.log(compareText(c));
    });
}
