import { readFileSync } from "node:fs";
import type { Command } from "commander";
import {
  computeGroupAdvantages,
  groupTrajectories,
  loadChatTokenizer,
  maskedTurnTokens,
  parseCreditRequest,
  tokenizeTrajectory,
  type CreditGroupInput,
  type CreditResult,
} from "../../credit/index.js";
import { agentTokensOf, creditSignal, describeSignal } from "../../credit/signal.js";
import type { Trajectory } from "../../core/types.js";
import { resolveAgent } from "../../agents/resolve.js";
import { DEFAULT_LOOK_AHEAD, lookAheadValues } from "../../credit/look-ahead.js";
import type { CreditOptions } from "../../credit/index.js";
import { replaySource } from "../../rollout/replay.js";
import { RunStore } from "../../rollout/store.js";
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
      const store = RunStore.open(runDir!);
      let trajectories: Trajectory[];
      let config: Record<string, unknown>;
      try {
        trajectories = [...store.trajectories({ gym: opts.gym })];
        config = store.run()?.config ?? {};
      } finally {
        store.close();
      }
      if (trajectories.length === 0) throw new CliError(`${runDir} has no finished trajectories${opts.gym ? ` of gym "${opts.gym}"` : ""}`);
      const tok = opts.tokenizer ? loadChatTokenizer(opts.tokenizer, { chatTemplateFile: opts.chatTemplate }) : undefined;
      const grouped = [...groupTrajectories(trajectories)];
      const ordered = grouped.flatMap(([, members]) => members);
      const lookAhead = options.turnLevel === "LookAhead" ? await sampleLookAhead(ordered, config, opts) : undefined;
      let k = 0;
      const groups: CreditGroupInput[] = grouped.map(([id, members]) => ({
        id,
        trajectories: members.map((t) => {
          const turnTokens = tok ? tokenCounts(t, tok) : undefined;
          const values = lookAhead?.[k++];
          return { id: t.id, rewards: t.turns.map((r) => r.reward), ...(turnTokens ? { turnTokens } : {}), ...(values ? { lookAhead: values } : {}) };
        }),
      }));
      const result = creditOf(groups, options);
      const signal = creditSignal(result, agentTokensOf(trajectories));
      console.error(describeSignal(signal));
      if (opts.json) return printJson(jsonOutput(result));
      console.log(`${describeCredit(options)} · tokens per turn: ${tok ? `counted with ${tok.source}` : "1 (no --tokenizer)"}`);
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

/** Look-ahead values of every trajectory (in order), sampled by replaying it; the cost goes to stderr. */
async function sampleLookAhead(trajectories: Trajectory[], config: Record<string, unknown>, opts: Options): Promise<number[][]> {
  const settings = { turns: opts.lookAheadTurns, samples: opts.lookAheadSamples, gamma: opts.gamma };
  let replay;
  try {
    replay = await replaySource(config, trajectories, { userSpec: opts.lookAheadUser, flag: "--look-ahead-user" });
  } catch (err) {
    throw new CliError((err as Error).message);
  }
  const policy = await resolveAgent(opts.lookAheadAgent);
  const cost = { episodes: 0, agentTurns: 0 };
  try {
    const values: number[][] = [];
    for (const t of trajectories) values.push(await lookAheadValues(t, replay, policy, settings, cost));
    const turns = trajectories.reduce((s, t) => s + t.turns.length, 0);
    console.error(
      `look-ahead (${opts.lookAheadAgent}, ${settings.turns} turns × ${settings.samples} samples): ${cost.episodes} episodes replayed, ` +
        `${cost.agentTurns} agent turns played for ${turns} stored turns (${(cost.agentTurns / Math.max(1, turns)).toFixed(1)} per turn)`,
    );
    return values;
  } finally {
    await replay.close();
    await policy.close?.();
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

function tokenCounts(t: Trajectory, tok: ReturnType<typeof loadChatTokenizer>): number[] {
  const x = tokenizeTrajectory(t, tok);
  return maskedTurnTokens(x.spans, x.lossMask);
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
