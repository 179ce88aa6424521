/**
 * TravelGym's data commands (`userrl data travel-generate`, `userrl data travel-check`): write the generated
 * scenarios in the reference's file layout, and check a folder of scenario files (the original UserBench files
 * or generated ones).
 */
import type { GymDataCommand } from "../../core/data-command.js";
import type { Task } from "../../core/types.js";
import { loadScenarioDir, writeScenarioDir } from "./files.js";
import { DEFAULT_GENERATOR_SEED } from "./generator/index.js";
import { checkScenario } from "./scenario.js";
import { generatedScenario, type TravelPayload } from "./tasks.js";

const generate: GymDataCommand<Task<TravelPayload>> = {
  name: "travel-generate",
  description: "write TravelGym scenarios (travelgym_data_<variant>.json) generated for every task id of the parquet files",
  options: [
    { flag: "--out <dir>", description: "folder to write the eight files into", required: true },
    { flag: "--seed <n>", description: "generator seed (the gym's default scenarios use 2025)", integerMin: 0, default: DEFAULT_GENERATOR_SEED },
    { flag: "--split <split>", description: "train | test | all", choices: ["train", "test", "all"], default: "all" },
  ],
  async run({ options, tasks }) {
    const seed = options.seed as number;
    const split = options.split as string;
    const chosen = (await tasks()).filter((t) => split === "all" || t.split === split);
    const scenarios = chosen.map((t) => generatedScenario(t.payload, seed));
    const written = await writeScenarioDir(String(options.out), scenarios);
    return {
      json: { seed, split, files: written },
      table: { headers: ["variant", "scenarios", "file"], rows: written.map((w) => [w.variant, w.scenarios, w.path]) },
      lines: [`\n${scenarios.length} scenarios (seed ${seed}), each checked consistent when generated.`],
    };
  },
};

const check: GymDataCommand<Task<TravelPayload>> = {
  name: "travel-check",
  description: "check a folder of TravelGym scenario files: upstream checksums and each scenario's consistency",
  args: [{ name: "dir", description: "folder with travelgym_data_<variant>.json files" }],
  async run({ args }) {
    const loaded = loadScenarioDir(args[0]);
    const problems: { key: string; problems: string[] }[] = [];
    for (const s of loaded.scenarios.values()) {
      const p = checkScenario(s);
      if (p.length) problems.push({ key: s.key, problems: p });
    }
    return {
      json: { dir: loaded.dir, files: loaded.files, scenarios: loaded.scenarios.size, inconsistent: problems },
      table: {
        headers: ["variant", "scenarios", "upstream file", "git blob"],
        rows: loaded.files.map((f) => [f.variant, f.scenarios, f.matchesUpstream ? "yes" : "no", f.blobSha1.slice(0, 12)]),
      },
      lines: [...problems.slice(0, 20).map((p) => `${p.key}: ${p.problems.join("; ")}`), `\n${loaded.scenarios.size} scenarios, ${problems.length} inconsistent.`],
      failed: problems.length > 0,
    };
  },
};

export const TRAVEL_DATA_COMMANDS = [generate, check];
