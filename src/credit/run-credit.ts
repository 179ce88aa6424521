/**
 * Credit assignment over a run directory, as `userrl credit <runDir>` shows it: the samples of each task form a
 * GRPO group; with a tokenizer each turn's weight is its count of trained tokens, else 1.
 */
import type { Trajectory } from "../core/types.js";
import { RunStore } from "../rollout/store.js";
import { computeGroupAdvantages, type CreditGroupInput, type CreditOptions, type CreditResult } from "./advantages.js";
import { loadChatTokenizer } from "./chat-tokenizer.js";
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

/** The run (or its chosen gym) has no finished trajectory to assign credit to. */
export class EmptyRunError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "EmptyRunError";
  }
}

export function creditOfRun(runDir: string, options: Partial<CreditOptions>, o: RunCreditOptions = {}): RunCredit {
  const store = RunStore.open(runDir);
  let trajectories: Trajectory[];
  try {
    trajectories = [...store.trajectories({ gym: o.gym })];
  } finally {
    store.close();
  }
  if (trajectories.length === 0) throw new EmptyRunError(`${runDir} has no finished trajectories${o.gym ? ` of gym "${o.gym}"` : ""}`);
  const tok = o.tokenizer ? loadChatTokenizer(o.tokenizer, { chatTemplateFile: o.chatTemplate }) : undefined;
  const grouped = [...groupTrajectories(trajectories)];
  const groups: CreditGroupInput[] = grouped.map(([id, members]) => ({
    id,
    trajectories: members.map((t) => {
      if (!tok) return { id: t.id, rewards: t.turns.map((r) => r.reward) };
      const x = tokenizeTrajectory(t, tok);
      return { id: t.id, rewards: t.turns.map((r) => r.reward), turnTokens: maskedTurnTokens(x.spans, x.lossMask) };
    }),
  }));
  return {
    result: computeGroupAdvantages(groups, options),
    trajectories: grouped.flatMap(([, members]) => members),
    ...(tok ? { tokenizer: tok.source } : {}),
  };
}
