import type { Command } from "commander";
import { DEFAULT_LAB, LAB_SCENARIOS, labTable, runCreditLab, type LabOptions, type LabScenario } from "../../credit/lab.js";
import { choiceOption, CliError, floatOption, intOption, printJson, table } from "../util.js";

/** The lab's settings as the flags give them (`--scenario` repeatable and optional), plus `--json`. */
interface Options extends Omit<LabOptions, "scenarios"> {
  scenario?: LabScenario[];
  json?: boolean;
}

export function register(program: Command): void {
  const scenario = choiceOption("--scenario", LAB_SCENARIOS);
  program
    .command("credit-lab")
    .description("synthetic gyms with known turn values: how well each credit method ranks good turns above bad ones")
    .option("--scenario <s>", `${LAB_SCENARIOS.join(" | ")} (repeatable; default all)`, (v: string, acc: LabScenario[] = []) => [...acc, scenario(v)])
    .option("--need <n>", "useful moves a task needs before its reward", intOption("--need", 1), DEFAULT_LAB.need)
    .option("--max-turns <n>", "turn limit (default 2·need + 2)", intOption("--max-turns", 1))
    .option("--group-size <n>", "samples per GRPO group", intOption("--group-size", 2), DEFAULT_LAB.groupSize)
    .option("--groups <n>", "groups per training batch", intOption("--groups", 1), DEFAULT_LAB.groups)
    .option("--batches <n>", "batches averaged", intOption("--batches", 1), DEFAULT_LAB.batches)
    .option("--seed <n>", "seed", intOption("--seed", 0), DEFAULT_LAB.seed)
    .option("--gamma <γ>", "discount of R2G and LookAhead", floatOption("--gamma"), DEFAULT_LAB.gamma)
    .option("--look-ahead-turns <n>", "LookAhead: turns sampled after each turn", intOption("--look-ahead-turns", 0), DEFAULT_LAB.lookAheadTurns)
    .option("--look-ahead-samples <n>", "LookAhead: futures averaged per turn", intOption("--look-ahead-samples", 1), DEFAULT_LAB.lookAheadSamples)
    .option("--json", "machine-readable output: one row per scenario and method")
    .action((opts: Options) => {
      let results;
      try {
        results = runCreditLab({ ...opts, scenarios: opts.scenario ?? LAB_SCENARIOS });
      } catch (err) {
        throw new CliError((err as Error).message);
      }
      if (opts.json) return printJson({ need: opts.need, results });
      const t = labTable(results);
      console.log(
        `Spearman ρ between each turn's token advantage and its true value (1 useful move, 0 otherwise), over batches of ` +
          `${opts.groups} groups × ${opts.groupSize} samples, mean ± stderr over ${opts.batches} batches; a task needs ${opts.need} useful moves.\n`,
      );
      console.log(table(t.headers, t.rows));
    });
}
