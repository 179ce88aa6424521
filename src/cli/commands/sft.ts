import type { Command } from "commander";
import { checkDatasetName, DEFAULT_DATASET_NAME, exportRunSft } from "../../sft/export.js";
import { SFT_FORMATS, type SftFormat } from "../../sft/formats.js";
import { RANK_BY, type RankBy } from "../../sft/select.js";
import { addRunOptions, executeRun, runExitCode, type RunOptions } from "../run-common.js";
import { choiceOption, CliError, fmt, floatOption, intOption, printJson, table } from "../util.js";

export function register(program: Command): void {
  const sft = program.command("sft").description("SFT cold start: collect trajectories with a strong agent, rank them, export training sets");
  addRunOptions(
    sft
      .command("collect")
      .description("roll out an agent on training tasks (K samples each) into a run directory; same options as `userrl run`")
      .argument("<gyms...>", "gym names, or all"),
    { mode: "train", split: "train" },
  ).action(async (gyms: string[], opts: RunOptions) => {
    const s = await executeRun(gyms, opts);
    process.exitCode = runExitCode(s);
    if (opts.json) return printJson(s);
    console.log(`${s.episodes} trajectories in ${s.runDir} (${s.newEpisodes} new). Next: userrl sft export ${s.runDir} --format sharegpt -o sft.jsonl`);
  });
  sft
    .command("export")
    .description("rank a run's trajectories, keep the top K per gym, and write an SFT dataset")
    .argument("<runDir>", "a run directory (from `userrl sft collect` or `userrl run`)")
    .requiredOption("-o, --output <file>", "the JSON Lines file to write (its folder is created when missing)")
    .option("--name <entry>", "sharegpt: the dataset's name in dataset_info.json (other entries are kept)", DEFAULT_DATASET_NAME)
    .option("--format <f>", "sharegpt (LLaMA-Factory) | openai (fine-tuning JSONL) | trl (SFTTrainer)", choiceOption("--format", SFT_FORMATS), "sharegpt" as SftFormat)
    .option("--top-k <n>", "trajectories kept per gym", intOption("--top-k", 1), 1000)
    .option("--per-task <n>", "at most this many trajectories of one task", intOption("--per-task", 1), 1)
    .option("--min-score <x>", "keep only trajectories scoring above this", floatOption("--min-score"), 0)
    .option("--rank-by <r>", "metric (the gym's paper metric) | Mean | Sum | R2G (trajectory scores)", choiceOption("--rank-by", RANK_BY), "metric" as RankBy)
    .option("--gamma <g>", "discount for R2G ranking", floatOption("--gamma"), 0.8)
    .option("--json", "print the statistics as JSON")
    .action(async (runDir: string, opts: { output: string; name: string; format: SftFormat; topK: number; perTask: number; minScore: number; rankBy: RankBy; gamma: number; json?: boolean }) => {
      try {
        checkDatasetName(opts.name);
      } catch (err) {
        throw new CliError(`--name: ${(err as Error).message}`);
      }
      const { datasetInfo: info, ...stats } = await exportRunSft(runDir, opts);
      if (opts.json) return printJson({ output: opts.output, format: opts.format, ...stats, ...(info ? { datasetInfo: info } : {}) });
      console.log(table(["gym", "records", "mean score", "min score"], Object.entries(stats.perGym).map(([g, v]) => [g, v.records, fmt(v.meanScore), fmt(v.minScore)])));
      console.log(`\n${stats.records} records written to ${opts.output} (${opts.format})${info ? `; LLaMA-Factory entry "${opts.name}" in ${info}` : ""}.`);
    });
}
