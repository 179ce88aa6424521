/**
 * RL batch rows from stored trajectories: tokens from the model's chat template, GRPO credit per group,
 * per-token advantages. One row per trajectory, the format an external trainer (TRL, VERL, own code) reads.
 */
import type { Trajectory } from "../core/types.js";
import { computeGroupAdvantages, resolveCreditOptions, type CreditOptions, type TrajectoryCredit } from "./advantages.js";
import type { ChatTokenizer } from "./chat-tokenizer.js";
import { tokenizeConversation, type RenderOptions } from "./token-spans.js";
import { fillTokenAdvantages, maskedTurnTokens, type TurnSpan } from "./tokens.js";

/** One trajectory, ready for a policy-gradient step. Field names follow the Python trainers' vocabulary. */
export interface RlRow {
  id: string;
  group_id: string;
  gym: string;
  task_id: string;
  sample: number;
  /** The whole conversation, rendered once with the chat template. */
  input_ids: number[];
  /** 1 on tokens the policy produced (assistant turns), 0 elsewhere. */
  loss_mask: number[];
  /** Per-token advantage: the turn's token advantage on loss-mask tokens, 0 elsewhere. */
  advantages: number[];
  /** Turn t's assistant tokens are input_ids[turn_starts[t], turn_ends[t]); empty for a turn cut off. */
  turn_starts: number[];
  turn_ends: number[];
  /** Raw turn rewards r_1 … r_T, as the gym gave them. */
  rewards: number[];
  /** Turn credits c_t under the chosen turn-level method. */
  credits: number[];
  /** Trajectory score S and its group-normalised value N. */
  score: number;
  advantage: number;
  /** Tokens before the first assistant turn's first token (the "prompt" of verl-style trainers). */
  prompt_length: number;
}

export interface RlBatchOptions extends Partial<CreditOptions>, RenderOptions {
  /** Keep at most this many tokens after the prompt (the reference's 8192-token response window). */
  maxResponseTokens?: number;
}

export interface TokenizedTrajectory {
  trajectory: Trajectory;
  inputIds: number[];
  lossMask: number[];
  spans: TurnSpan[];
  promptLength: number;
}

/** Rows for every trajectory, grouped for GRPO by `groupId` (a run's samples of one task), groups in first-seen order. */
export function* rlRows(trajectories: Iterable<Trajectory>, tok: ChatTokenizer, opts: RlBatchOptions = {}): Generator<RlRow> {
  const credit = resolveCreditOptions(opts);
  if (opts.maxResponseTokens !== undefined && !(Number.isInteger(opts.maxResponseTokens) && opts.maxResponseTokens > 0)) {
    throw new RangeError(`maxResponseTokens must be a positive integer (got ${opts.maxResponseTokens})`);
  }
  for (const [groupId, members] of groupTrajectories(trajectories)) {
    const tokenized = members.map((t) => tokenizeTrajectory(t, tok, opts));
    const { trajectories: credits } = computeGroupAdvantages(
      [
        {
          id: groupId,
          trajectories: tokenized.map((x, i) => ({
            id: i,
            rewards: x.trajectory.turns.map((r) => r.reward),
            turnTokens: maskedTurnTokens(x.spans, x.lossMask),
          })),
        },
      ],
      credit,
    );
    for (let i = 0; i < tokenized.length; i++) yield row(tokenized[i], credits[i]);
  }
}

/** GRPO groups: trajectories by `groupId`, groups in first-seen order. */
export function groupTrajectories(trajectories: Iterable<Trajectory>): Map<string, Trajectory[]> {
  const groups = new Map<string, Trajectory[]>();
  for (const t of trajectories) {
    const g = groups.get(t.groupId);
    if (g) g.push(t);
    else groups.set(t.groupId, [t]);
  }
  return groups;
}

/** Tokens, mask and one span per turn (turns with no assistant message, or past the window, get an empty span). */
export function tokenizeTrajectory(t: Trajectory, tok: ChatTokenizer, opts: RenderOptions & { maxResponseTokens?: number } = {}): TokenizedTrajectory {
  let conv;
  try {
    conv = tokenizeConversation(tok, t.messages, opts);
  } catch (err) {
    throw new Error(`trajectory ${t.id}: ${(err as Error).message}`);
  }
  const promptLength = conv.assistantSpans[0]?.start ?? conv.inputIds.length;
  let { inputIds, lossMask } = conv;
  if (opts.maxResponseTokens !== undefined && inputIds.length > promptLength + opts.maxResponseTokens) {
    inputIds = inputIds.slice(0, promptLength + opts.maxResponseTokens);
    lossMask = lossMask.slice(0, inputIds.length);
  }
  const end = inputIds.length;
  const spans = t.turns.map((_, k) => {
    const s = conv.assistantSpans[k];
    return s ? { start: Math.min(s.start, end), end: Math.min(s.end, end) } : { start: end, end };
  });
  return { trajectory: t, inputIds, lossMask, spans, promptLength: Math.min(promptLength, end) };
}

function row(x: TokenizedTrajectory, c: TrajectoryCredit): RlRow {
  const t = x.trajectory;
  return {
    id: t.id,
    group_id: t.groupId,
    gym: t.gym,
    task_id: t.taskId,
    sample: t.sample,
    input_ids: x.inputIds,
    loss_mask: x.lossMask,
    advantages: fillTokenAdvantages(c.tokenAdvantages, x.spans, x.lossMask, new Array<number>(x.inputIds.length)),
    turn_starts: x.spans.map((s) => s.start),
    turn_ends: x.spans.map((s) => s.end),
    rewards: t.turns.map((r) => r.reward),
    credits: c.credits,
    score: c.score,
    advantage: c.advantage,
    prompt_length: x.promptLength,
  };
}
