/**
 * TravelGym tasks: the ids, splits, first messages and best option ids of the reference's eight parquet
 * sets (`travel<variant>_multiturn_onechoice`), and the scenario behind each id — the user's original
 * UserBench file when one is configured, else the generated one.
 */
import type { Task } from "../../core/types.js";
import { createKwargs, parquetSplitRows, type DataStore } from "../../data/store.js";
import { datasetPrompt, memoizeTasks } from "../kit/dataset-prompt.js";
import { loadScenarioDir, VARIANTS } from "./files.js";
import { DEFAULT_GENERATOR_SEED, generateScenario } from "./generator/index.js";
import type { Scenario } from "./scenario.js";

export interface TravelPayload {
  /** The scenario key, e.g. `flight:2-37|hotel:2-9`; it is also the task id. */
  key: string;
  /** `22`, `33`, …, `2222`: preferences per aspect. */
  variant: string;
  /** The first user message without the budget sentence. */
  description: string;
  /** The best option ids the row gives (its ground truth), in dimension order. */
  bestIds: string[];
}

/** The sentence the reference appends to every first user message. */
export const REFERENCE_BUDGET_SUFFIX =
  "\nAlso my budget is limited so as long as my preferences are satisfied, I would also like to choose the cheapest option for each.\n";

/** `"['H11', 'F3']"` → `["H11", "F3"]`. */
export function parseIdList(text: string): string[] {
  return [...text.matchAll(/'([^']*)'|"([^"]*)"/g)].map((m) => m[1] ?? m[2]);
}

export const loadTravelTasks = memoizeTasks(async function loadTravelTasks(data: DataStore): Promise<Task<TravelPayload>[]> {
  const tasks: Task<TravelPayload>[] = [];
  for (const variant of VARIANTS) {
    for (const { split, row } of await parquetSplitRows(data, `travel${variant}_multiturn_onechoice`)) {
      const key = String(createKwargs(row).id ?? "");
      const prompt = datasetPrompt(row);
      const rm = (row.reward_model ?? {}) as Record<string, unknown>;
      const user = prompt?.user ?? "";
      const cut = user.indexOf("\nAlso my budget");
      tasks.push({
        id: key,
        gym: "travel",
        split,
        payload: { key, variant, description: (cut >= 0 ? user.slice(0, cut) : user).trim(), bestIds: parseIdList(String(rm.ground_truth ?? "")) },
        datasetPrompt: prompt,
      });
    }
  }
  return tasks;
});

/** Generated scenarios are cheap (milliseconds) but not free: keep the recently used ones. */
const CACHE_LIMIT = 512;
const generated = new Map<string, Scenario>();

export function generatedScenario(p: TravelPayload, seed = DEFAULT_GENERATOR_SEED): Scenario {
  const k = `${seed}|${p.key}`;
  let s = generated.get(k);
  if (s) {
    generated.delete(k);
    generated.set(k, s);
    return s;
  }
  s = generateScenario({ key: p.key, description: p.description, bestIds: p.bestIds, variant: p.variant }, seed);
  generated.set(k, s);
  if (generated.size > CACHE_LIMIT) generated.delete(generated.keys().next().value!);
  return s;
}

export interface TravelOptions {
  /** A folder with the original `travelgym_data_<variant>.json` files (default: `USERRL_TRAVEL_SCENARIOS`). */
  scenarios?: string;
  /** Seed of the scenario generator (default 2025). */
  generatorSeed?: number;
}

/** The scenario an episode plays, with a note when a configured folder lacked it. */
export function resolveScenario(task: Task<TravelPayload>, opts: TravelOptions): { scenario: Scenario; note?: string } {
  const dir = opts.scenarios ?? process.env.USERRL_TRAVEL_SCENARIOS;
  if (dir) {
    const found = loadScenarioDir(dir).scenarios.get(task.payload.key);
    if (found) return { scenario: found };
    return { scenario: generatedScenario(task.payload, opts.generatorSeed), note: `no scenario "${task.payload.key}" in ${dir}; played the generated one` };
  }
  return { scenario: generatedScenario(task.payload, opts.generatorSeed) };
}
