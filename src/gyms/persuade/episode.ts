/**
 * One PersuadeGym episode: the persuadee replies to each argument and reports its stance on a 7-point
 * ladder (spec/gyms-conversational.md §5); the step reward is the climb. The kit counts steps and settles the end.
 *
 * Fixed by default (`compat: "userrl-2025"` restores the reference):
 * - the reward pays only for a new best stance (the reference pays the climb over the previous stance, so
 *   regress-and-recover is paid again and episode sums exceed 1);
 * - stance labels are normalised and validated (the reference keeps any label, which zeroes the next
 *   reward and blocks success, e.g. "Strongly disagree");
 * - `[search]`/empty actions: the tag is dropped / no LLM call is spent on nothing;
 * - `info.levels_changed` holds the level count (the reference stores the reward there).
 * Replies are parsed by the shared role helper (lenient + one corrective retry; reference parser in compat).
 */
import { z } from "zod";
import { pyStrip, type Action } from "../../core/action.js";
import type { GymContext, ResetResult, Task } from "../../core/types.js";
import { KitEpisode, gymOptions, infoHistory, type Played } from "../kit/episode.js";
import { askRole, requireRoleModels, roleTrace, type RoleAnswer, type RoleSpec } from "../kit/roles.js";
import { persuadeeMessages, persuadeeRole, type Exchange, type PersuadeeReply } from "./roles.js";
import { bestStanceReward, INITIAL_STANCE, penalise, referenceStanceReward, stanceIndex, stanceScore, SUCCESS_STANCE } from "./stance.js";
import type { PersuadePayload } from "./tasks.js";

export const PERSUADE_FEEDBACK = {
  ended: "Conversation ended.",
  fallback: "I'm having trouble understanding your argument right now.",
  empty: "You did not say anything. Make an argument against the claim.",
};

export const optionsSchema = z.object({
  /** Persuadee prompt layout: `compact` history (default) or the reference's `full` resend. */
  history: z.enum(["compact", "full"]).default("compact"),
  /** Flat penalty subtracted from every step reward (0 in the paper's training). */
  stepPenalty: z.number().min(0).default(0),
  /** Clamp step rewards to [0, 1], as the reference's `normalize_rewards` does. */
  normalizeRewards: z.boolean().default(true),
  /** Per-request timeout of the LLM roles (10 s in the reference; raise it for slow local models). */
  roleTimeoutMs: z.number().positive().default(10_000),
});
export type PersuadeOptions = z.infer<typeof optionsSchema>;

type Move = { kind: "finish" } | { kind: "argue"; text: string } | { kind: "empty" };

export class PersuadeEpisode extends KitEpisode<PersuadePayload> {
  protected readonly truncation = "unless-done";
  private readonly opts: PersuadeOptions;
  private readonly persuadee: RoleSpec<PersuadeeReply>;
  private stance: string = INITIAL_STANCE;
  /** Best ladder index reached (fixed reward baseline). */
  private bestIndex = 0;
  private history: Exchange[] = [];
  private actions: string[] = [];

  constructor(task: Task<PersuadePayload>, ctx: GymContext) {
    super(task, ctx);
    requireRoleModels(ctx, "persuade");
    this.opts = gymOptions("persuade", optionsSchema, ctx.options);
    this.persuadee = persuadeeRole(this.opts.roleTimeoutMs);
  }

  protected async opening(): Promise<ResetResult> {
    this.stance = INITIAL_STANCE;
    this.bestIndex = 0;
    this.history = [];
    this.actions = [];
    const { claim, argument } = this.task.payload;
    return {
      feedback: `Welcome to PersuadeGym! I strongly agree that "${claim}". My reasons: ${argument} Try to change my mind!`,
      info: { initial_stance: INITIAL_STANCE, action_history: [], conversation_history: [] },
    };
  }

  protected async play(action: Action): Promise<Played> {
    this.actions.push(action.raw);
    const move = this.read(action);
    const before = this.stance;
    let feedback: string;
    let raw = 0;
    let levels = 0;
    let json: PersuadeeReply | null = null;
    let asked: RoleAnswer<PersuadeeReply> | undefined;

    if (move.kind === "finish") feedback = PERSUADE_FEEDBACK.ended;
    else if (move.kind === "empty") feedback = PERSUADE_FEEDBACK.empty;
    else {
      asked = await askRole(this.ctx, this.persuadee, {
        messages: this.messages(move.text),
        fallback: { response: PERSUADE_FEEDBACK.fallback, stance: this.stance },
        human: { task: this.task, turn: this.steps, prompt: `Your stance now: ${this.stance}. The agent argues: ${move.text}` },
      });
      feedback = asked.value.response;
      if (!asked.fallback) {
        json = asked.value;
        ({ levels, raw } = this.climb(asked.value.stance));
        this.stance = asked.value.stance;
      }
      // The exchange is kept even on a fallback, as in the reference: the persuadee's history stays whole.
      this.history.push({ argument: move.text, reply: feedback, stance: this.stance });
    }

    const reward = penalise(raw, this.opts.stepPenalty, this.opts.normalizeRewards);
    const done = move.kind === "finish" || this.stance === SUCCESS_STANCE;
    return {
      feedback,
      reward,
      done,
      info: ({ totalReward }) => ({
        persuade_id: this.task.id,
        step: this.steps,
        initial_stance: INITIAL_STANCE,
        stance_change: `${before} -> ${this.stance}`,
        current_stance: this.stance,
        // The reference stores the raw reward under this name; the fixed gym stores what it says.
        levels_changed: this.ctx.compat === "userrl-2025" ? raw : levels,
        raw_reward: raw,
        current_score: stanceScore(stanceIndex(this.stance)),
        best_score: stanceScore(this.bestIndex),
        judge_success: json !== null,
        json_response: json,
        action_history: infoHistory(this.actions, this.ctx.compat),
        conversation_history: infoHistory(this.history.map((h) => [h.argument, h.reply]), this.ctx.compat),
        total_reward: totalReward,
      }),
      ...roleTrace(asked),
    };
  }

  /** How the action is read: the reference matches tags case-sensitively on the raw string. */
  private read(action: Action): Move {
    if (this.ctx.compat === "userrl-2025") {
      const raw = action.raw;
      if (raw.startsWith("[finish]")) return { kind: "finish" };
      const text = raw.startsWith("[action]") || raw.startsWith("[answer]") ? pyStrip(raw.slice(8)) : pyStrip(raw);
      return { kind: "argue", text };
    }
    if (action.choice === "finish") return { kind: "finish" };
    return action.content ? { kind: "argue", text: action.content } : { kind: "empty" };
  }

  /** Reward of moving to `next` (and the best-stance bookkeeping). */
  private climb(next: string): { levels: number; raw: number } {
    const nextIndex = stanceIndex(next);
    if (this.ctx.compat === "userrl-2025") {
      this.bestIndex = Math.max(this.bestIndex, nextIndex);
      return referenceStanceReward(this.stance, next);
    }
    const r = bestStanceReward(this.bestIndex, nextIndex);
    this.bestIndex = Math.max(this.bestIndex, nextIndex);
    return r;
  }

  private messages(argument: string) {
    return persuadeeMessages(
      { claim: this.task.payload.claim, reasoning: this.task.payload.argument, stance: this.stance, history: this.history, argument },
      this.opts.history,
    );
  }
}
