import type { Command } from "commander";
import { COMPAT_VALUES, type Compat } from "../../core/types.js";
import { regradeRun, type RegradeSummary } from "../../eval/regrade.js";
import { evaluateRun } from "../../eval/load.js";
import { textReport } from "../../eval/report-text.js";
import { choiceOption, CliError, intOption, printJson } from "../util.js";
import { writeReports } from "../../eval/reports.js";

interface Options {
  out: string;
  compat?: Compat;
  judge?: string;
  concurrency: number;
  json?: boolean;
}

export function register(program: Command): void {
  program
    .command("regrade")
    .description("re-score a stored run without calling its agent: replay its actions into fresh episodes, write a new linked run")
    .argument("<runDir>", "the run to re-grade")
    .requiredOption("--out <dir>", "the new run directory")
    .option("--compat <c>", `${COMPAT_VALUES.join(" | ")} (default: the source run's)`, choiceOption("--compat", COMPAT_VALUES))
    .option("--judge <spec>", "re-ask the roles of gyms played with an LLM simulated user with this model")
    .option("--concurrency <n>", "episodes re-graded at once", intOption("--concurrency", 1), 8)
    .option("--json", 'machine-readable output: {"source","out","runId","episodes","skipped","changed":[…],"diverged":[…],"report"}')
    .action(async (runDir: string, opts: Options) => {
      const controller = new AbortController();
      const onSigint = () => controller.abort(new Error("interrupted"));
      process.once("SIGINT", onSigint);
      let s: RegradeSummary;
      try {
        s = await regradeRun({ source: runDir, out: opts.out, compat: opts.compat, judge: opts.judge, concurrency: opts.concurrency, signal: controller.signal });
      } catch (err) {
        throw new CliError((err as Error).message);
      } finally {
        process.off("SIGINT", onSigint);
      }
      const r = evaluateRun(opts.out);
      const html = writeReports(r);
      if (controller.signal.aborted) process.exitCode = 130;
      if (opts.json) return printJson({ ...s, report: html });
      console.log(textReport(r));
      console.log(`\nre-graded ${s.episodes - s.skipped} of ${s.episodes} episodes of ${s.source} into ${s.out} (report: ${html})`);
      if (s.changed.length === 0) console.log("no episode's reward changed");
      else {
        console.log(`${s.changed.length} episode(s) whose reward changed:`);
        for (const c of s.changed) console.log(`  ${c.key}  ${c.before} → ${c.after}`);
      }
      for (const d of s.diverged) console.error(`diverged: ${d.key}: ${d.error}`);
    });
}
