/**
 * `userrl data travel-generate` and `userrl data travel-check`: write the generated TravelGym scenarios in
 * the reference's file layout, and check a folder of scenario files (the original UserBench files or
 * generated ones).
 */
import type { Command } from "commander";
import { DataStore } from "../../data/store.js";
import { loadScenarioDir, writeScenarioDir } from "../../gyms/travel/files.js";
import { DEFAULT_GENERATOR_SEED } from "../../gyms/travel/generator.js";
import { checkScenario } from "../../gyms/travel/scenario.js";
import { generatedScenario, loadTravelTasks } from "../../gyms/travel/tasks.js";
import { choiceOption, CliError, intOption, printJson, table } from "../util.js";

export function registerTravelData(data: Command): void {
  data
    .command("travel-generate")
    .description("write TravelGym scenarios (travelgym_data_<variant>.json) generated for every task id of the parquet files")
    .requiredOption("--out <dir>", "folder to write the eight files into")
    .option("--seed <n>", "generator seed (the gym's default scenarios use 2025)", intOption("--seed", 0), DEFAULT_GENERATOR_SEED)
    .option("--split <split>", "train | test | all", choiceOption("--split", ["train", "test", "all"] as const), "all")
    .option("--json", "machine-readable output")
    .action(async (opts: { out: string; seed: number; split: "train" | "test" | "all"; json?: boolean }) => {
      const tasks = (await loadTravelTasks(DataStore.default())).filter((t) => opts.split === "all" || t.split === opts.split);
      const scenarios = tasks.map((t) => generatedScenario(t.payload, opts.seed));
      const written = await writeScenarioDir(opts.out, scenarios);
      if (opts.json) return printJson({ seed: opts.seed, split: opts.split, files: written });
      console.log(table(["variant", "scenarios", "file"], written.map((w) => [w.variant, w.scenarios, w.path])));
      console.log(`\n${scenarios.length} scenarios (seed ${opts.seed}), each checked consistent when generated.`);
    });
  data
    .command("travel-check")
    .description("check a folder of TravelGym scenario files: upstream checksums and each scenario's consistency")
    .argument("<dir>", "folder with travelgym_data_<variant>.json files")
    .option("--json", "machine-readable output")
    .action((dir: string, opts: { json?: boolean }) => {
      let loaded;
      try {
        loaded = loadScenarioDir(dir);
      } catch (err) {
        throw new CliError((err as Error).message);
      }
      const problems: { key: string; problems: string[] }[] = [];
      for (const s of loaded.scenarios.values()) {
        const p = checkScenario(s);
        if (p.length) problems.push({ key: s.key, problems: p });
      }
      if (opts.json) printJson({ dir: loaded.dir, files: loaded.files, scenarios: loaded.scenarios.size, inconsistent: problems });
      else {
        console.log(
          table(
            ["variant", "scenarios", "upstream file", "git blob"],
            loaded.files.map((f) => [f.variant, f.scenarios, f.matchesUpstream ? "yes" : "no", f.blobSha1.slice(0, 12)]),
          ),
        );
        for (const p of problems.slice(0, 20)) console.log(`${p.key}: ${p.problems.join("; ")}`);
        console.log(`\n${loaded.scenarios.size} scenarios, ${problems.length} inconsistent.`);
      }
      if (problems.length) process.exitCode = 1;
    });
}
