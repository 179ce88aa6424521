import { readFileSync } from "node:fs";
import type { Command } from "commander";
import { resolveAgent } from "../../agents/resolve.js";
import {
  computeGroupAdvantages,
  creditOfRun,
  lookAheadCreditOfRun,
  parseCreditRequest,
  type CreditGroupInput,
  type CreditOptions,
  type CreditResult,
  type RunCredit,
} from "../../credit/index.js";
import { DEFAULT_LOOK_AHEAD } from "../../credit/look-ahead.js";
import { agentTokensOf, creditSignal, describeSignal } from "../../credit/signal.js";
import { addCreditOptions, creditOptionsFrom, describeCredit, type CreditCliOptions } from "../credit-options.js";
import { CliError, fmt, intOption, printJson, table } from "../util.js";

interface Options extends CreditCliOptions {
  lookAheadAgent: string;
  lookAheadUser?: string;
  lookAheadTurns: number;
  lookAheadSamples: number;
  input?: string;
  gym?: string;
  tokenizer?: string;
  chatTemplate?: string;
  json?: boolean;
}

export function register(program: Command): void {
  addCreditOptions(
    program
      .command("credit")
      .description("turn rewards → trajectory scores, GRPO advantages, turn credits and per-token advantages")
      .argument("[runDir]", "a run directory (groups = the samples of each task)")
      .option("--input <file.json>", 'groups of turn rewards: {"groups":[{"id","trajectories":[{"id","rewards":[…],"turnTokens":[…]}]}]}')
      .option("--gym <name>", "with a run: only this gym")
      .option("--tokenizer <dir>", "with a run: count each turn's tokens with this model's tokenizer and chat template")
      .option("--chat-template <file>", "with --tokenizer: use this Jinja template instead of the folder's")
      .option("--look-ahead-agent <spec>", "LookAhead with a run: the policy that plays the sampled futures", "baseline")
      .option("--look-ahead-turns <n>", "LookAhead with a run: turns played after each turn", intOption("--look-ahead-turns", 0), DEFAULT_LOOK_AHEAD.turns)
      .option("--look-ahead-samples <n>", "LookAhead with a run: futures averaged per turn", intOption("--look-ahead-samples", 1), DEFAULT_LOOK_AHEAD.samples)
      .option("--look-ahead-user <spec>", "LookAhead with a run played by an LLM user: the model that plays its roles in the futures"),
  )
    .option("--json", 'machine-readable output: {"trajectories":[{"id","group","score","advantage","credits","tokenAdvantages"}]}')
    .action(async (runDir: string | undefined, opts: Options) => {
      if ((runDir === undefined) === (opts.input === undefined)) throw new CliError("give either a run directory or --input <file.json>");
      const options = creditOptionsFrom(opts);
      if (opts.input !== undefined) {
        if (opts.gym || opts.tokenizer) throw new CliError("--gym and --tokenizer apply to a run directory, not to --input");
        const request = readInput(opts.input);
        const result = creditOf(request.groups, options);
        // Without a run, the turns' token counts (when given) are the agent tokens.
        const signal = creditSignal(result, request.groups.flatMap((g) => g.trajectories).reduce((s, t) => s + (t.turnTokens ?? []).reduce((a, b) => a + b, 0), 0));
        // On stderr, so the documented stdout (table or JSON) stays as it is.
        console.error(describeSignal(signal));
        if (opts.json) return printJson(jsonOutput(result));
        const rewards = request.groups.flatMap((g) => g.trajectories.map((t) => t.rewards));
        console.log(describeCredit(options));
        printGroups(result, { label: (i) => String(result.trajectories[i].id), reward: (i, k) => rewards[i][k] });
        return;
      }
      const credit = await creditOfRunDir(runDir!, options, opts);
      const { result, trajectories: ordered } = credit;
      console.error(describeSignal(creditSignal(result, agentTokensOf(ordered))));
      if (opts.json) return printJson(jsonOutput(result));
      console.log(`${describeCredit(options)} · tokens per turn: ${credit.tokenizer ? `counted with ${credit.tokenizer}` : "1 (no --tokenizer)"}`);
      printGroups(result, {
        label: (i) => `sample ${ordered[i].sample}`,
        reward: (i, k) => ordered[i].turns[k].reward,
        action: (i, k) => {
          const rec = ordered[i].turns[k];
          return rec.action ? clip(rec.action.raw, 32) : rec.error ? `(${clip(rec.error, 30)})` : "";
        },
      });
    });
}

/** Credit, with the formulas' refusals (e.g. LookAhead without look-ahead values) as one-line errors. */
function creditOf(groups: CreditGroupInput[], options: CreditOptions): CreditResult {
  try {
    return computeGroupAdvantages(groups, options);
  } catch (err) {
    throw new CliError((err as Error).message);
  }
}

/** Credit of a run; LookAhead samples futures with the look-ahead flags and reports its cost on stderr. */
async function creditOfRunDir(runDir: string, options: CreditOptions, opts: Options): Promise<RunCredit> {
  const o = { gym: opts.gym, tokenizer: opts.tokenizer, chatTemplate: opts.chatTemplate };
  try {
    if (options.turnLevel !== "LookAhead") return creditOfRun(runDir, options, o);
    const policy = await resolveAgent(opts.lookAheadAgent);
    try {
      const lookAhead = { policy, turns: opts.lookAheadTurns, samples: opts.lookAheadSamples, userSpec: opts.lookAheadUser, flag: "--look-ahead-user" };
      const credit = await lookAheadCreditOfRun(runDir, options, { ...o, lookAhead });
      const { cost, settings } = credit;
      const turns = credit.trajectories.reduce((s, t) => s + t.turns.length, 0);
      console.error(
        `look-ahead (${opts.lookAheadAgent}, ${settings.turns} turns × ${settings.samples} samples): ${cost.episodes} episodes replayed, ` +
          `${cost.agentTurns} agent turns played for ${turns} stored turns (${(cost.agentTurns / Math.max(1, turns)).toFixed(1)} per turn)`,
      );
      return credit;
    } finally {
      await policy.close?.();
    }
  } catch (err) {
    // An empty run, a run that needs --look-ahead-user, a task gone from the data: one line each.
    if (err instanceof CliError) throw err;
    throw new CliError((err as Error).message);
  }
}

function readInput(path: string): ReturnType<typeof parseCreditRequest> {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(path, "utf8"));
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    throw new CliError(`cannot read --input ${path}: ${e.code ? e.code : e.message}`);
  }
  try {
    return parseCreditRequest(value);
  } catch (err) {
    throw new CliError(`--input ${path}: ${(err as Error).message}`);
  }
}

/** Exactly the documented output shape. */
function jsonOutput(r: CreditResult) {
  return {
    trajectories: r.trajectories.map((t) => ({
      id: t.id,
      group: t.group,
      score: t.score,
      advantage: t.advantage,
      credits: t.credits,
      tokenAdvantages: t.tokenAdvantages,
    })),
  };
}

/** What to show per trajectory, by its index in the result. */
interface RowInfo {
  label(i: number): string;
  reward(i: number, turn: number): number;
  action?(i: number, turn: number): string;
}

/** Per group: a header line, then one row per turn (score and advantage on each trajectory's first row). */
function printGroups(r: CreditResult, info: RowInfo): void {
  let i = 0;
  for (const g of r.groups) {
    const rows: (string | number)[][] = [];
    for (const end = i + g.size; i < end; i++) {
      const t = r.trajectories[i];
      const head = (k: number) => (k === 0 ? [info.label(i), fmt(t.score), fmt(t.advantage)] : ["", "", ""]);
      if (t.credits.length === 0) rows.push([...head(0), "-", ...(info.action ? [""] : []), "", "", ""]);
      t.credits.forEach((c, k) => {
        rows.push([...head(k), k + 1, ...(info.action ? [info.action(i, k)] : []), fmt(info.reward(i, k)), fmt(c), fmt(t.tokenAdvantages[k])]);
      });
    }
    const headers = ["trajectory", "score", "advantage", "turn", ...(info.action ? ["action"] : []), "reward", "credit", "token adv"];
    console.log(`\n${g.id}  (${g.size} trajectories · mean score ${fmt(g.mean)} · std ${fmt(g.std)})`);
    console.log(table(headers, rows));
  }
}

function clip(s: string, n: number): string {
  const one = s.replace(/\s+/g, " ");
  return one.length > n ? `${one.slice(0, n - 1)}…` : one;
}
