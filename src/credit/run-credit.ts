/**
 * Credit assignment over a run directory, as `userrl credit <runDir>` shows it: the samples of each task form a
 * GRPO group; with a tokenizer each turn's weight is its count of trained tokens, else 1. LookAhead credit
 * samples futures by replaying the stored episodes (`lookAheadCreditOfRun`).
 */
import type { AgentFactory } from "../agents/resolve.js";
import type { Trajectory } from "../core/types.js";
import { replaySource } from "../rollout/replay.js";
import { RunStore } from "../rollout/store.js";
import { computeGroupAdvantages, type CreditGroupInput, type CreditOptions, type CreditResult } from "./advantages.js";
import { loadChatTokenizer } from "./chat-tokenizer.js";
import { DEFAULT_LOOK_AHEAD, lookAheadValues, type LookAheadCost, type LookAheadSettings } from "./look-ahead.js";
import { groupTrajectories, tokenizeTrajectory } from "./rl-batch.js";
import { maskedTurnTokens } from "./tokens.js";

export interface RunCreditOptions {
  /** Only this gym's trajectories. */
  gym?: string;
  /** A model folder whose tokenizer and chat template count each turn's tokens. */
  tokenizer?: string;
  /** With `tokenizer`: this Jinja template instead of the folder's. */
  chatTemplate?: string;
}

export interface RunCredit {
  result: CreditResult;
  /** The trajectories in the order of `result.trajectories`. */
  trajectories: Trajectory[];
  /** Where the token counts came from (the tokenizer's source), when counted. */
  tokenizer?: string;
}

/** How LookAhead samples futures of a run's episodes. */
export interface RunLookAhead extends Partial<Omit<LookAheadSettings, "gamma">> {
  /** The policy that plays the futures (e.g. `resolveAgent("baseline")`); the caller closes it. */
  policy: AgentFactory;
  /** For episodes played with an LLM simulated user: the model spec that plays its roles in the futures. */
  userSpec?: string;
  /** The option that names `userSpec`, for the message when it is missing. */
  flag?: string;
}

/** The run (or its chosen gym) has no finished trajectory to assign credit to. */
export class EmptyRunError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "EmptyRunError";
  }
}

/** Credit of a run's trajectories (every turn-level method but LookAhead, which needs `lookAheadCreditOfRun`). */
export function creditOfRun(runDir: string, options: Partial<CreditOptions>, o: RunCreditOptions = {}): RunCredit {
  return credit(readRun(runDir, o), options);
}

/** Credit with LookAhead turn values sampled by replaying each stored episode; `cost` says what that took. */
export async function lookAheadCreditOfRun(
  runDir: string,
  options: Partial<CreditOptions>,
  o: RunCreditOptions & { lookAhead: RunLookAhead },
): Promise<RunCredit & { cost: LookAheadCost; settings: LookAheadSettings }> {
  const run = readRun(runDir, o);
  const la = o.lookAhead;
  const settings: LookAheadSettings = {
    turns: la.turns ?? DEFAULT_LOOK_AHEAD.turns,
    samples: la.samples ?? DEFAULT_LOOK_AHEAD.samples,
    gamma: options.gamma ?? DEFAULT_LOOK_AHEAD.gamma,
  };
  const replay = await replaySource(run.config, run.ordered, { userSpec: la.userSpec, flag: la.flag });
  const cost: LookAheadCost = { episodes: 0, agentTurns: 0 };
  const values: number[][] = [];
  try {
    for (const t of run.ordered) values.push(await lookAheadValues(t, replay, la.policy, settings, cost));
  } finally {
    await replay.close();
  }
  return { ...credit(run, { ...options, turnLevel: "LookAhead" }, values), cost, settings };
}

interface ReadRun {
  grouped: [string, Trajectory[]][];
  ordered: Trajectory[];
  config: Record<string, unknown>;
  tok?: ReturnType<typeof loadChatTokenizer>;
}

function readRun(runDir: string, o: RunCreditOptions): ReadRun {
  const store = RunStore.open(runDir);
  let trajectories: Trajectory[];
  let config: Record<string, unknown>;
  try {
    trajectories = [...store.trajectories({ gym: o.gym })];
    config = store.run()?.config ?? {};
  } finally {
    store.close();
  }
  if (trajectories.length === 0) throw new EmptyRunError(`${runDir} has no finished trajectories${o.gym ? ` of gym "${o.gym}"` : ""}`);
  const tok = o.tokenizer ? loadChatTokenizer(o.tokenizer, { chatTemplateFile: o.chatTemplate }) : undefined;
  const grouped = [...groupTrajectories(trajectories)];
  return { grouped, ordered: grouped.flatMap(([, members]) => members), config, ...(tok ? { tok } : {}) };
}

/** `lookAhead`: per trajectory in `run.ordered`, its turns' look-ahead values. */
function credit(run: ReadRun, options: Partial<CreditOptions>, lookAhead?: number[][]): RunCredit {
  const { tok } = run;
  let k = 0;
  const groups: CreditGroupInput[] = run.grouped.map(([id, members]) => ({
    id,
    trajectories: members.map((t) => {
      const values = lookAhead?.[k++];
      const x = tok ? tokenizeTrajectory(t, tok) : undefined;
      return {
        id: t.id,
        rewards: t.turns.map((r) => r.reward),
        ...(x ? { turnTokens: maskedTurnTokens(x.spans, x.lossMask) } : {}),
        ...(values ? { lookAhead: values } : {}),
      };
    }),
  }));
  return { result: computeGroupAdvantages(groups, options), trajectories: run.ordered, ...(tok ? { tokenizer: tok.source } : {}) };
}
