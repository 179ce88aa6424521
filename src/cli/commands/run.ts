import type { Command } from "commander";
import { addRunOptions, executeRun, failureLines, runExitCode, simFaultLines, type RunOptions } from "../run-common.js";
import { fmt, printJson, table } from "../util.js";

export function register(program: Command): void {
  addRunOptions(
    program
      .command("run")
      .description("roll out an agent on gyms' tasks into a run directory (resumable: re-run to continue)")
      .argument("<gyms...>", "gym names, or all"),
    { mode: "eval" },
  ).action(async (gyms: string[], opts: RunOptions) => {
    const s = await executeRun(gyms, opts);
    process.exitCode = runExitCode(s);
    if (opts.json) return printJson(s);
    console.log(
      table(
        ["gym", "episodes", "mean reward"],
        Object.entries(s.gyms).map(([g, v]) => [g, v.episodes, fmt(v.meanReward)]),
      ),
    );
    console.log(
      `\n${s.episodes} episodes (${s.newEpisodes} new, ${s.skipped} already done${s.errors ? `, ${s.errors} failed` : ""}${
        s.pending ? `, ${s.pending} still to run` : ""
      }); mean reward ${fmt(s.meanReward)}. Stored in ${s.runDir}.`,
    );
    for (const line of simFaultLines(s)) console.log(line);
    for (const line of failureLines(s)) console.error(line);
  });
}
