/**
 * One TurtleGym episode: yes/no questions to the host, answers scored by the judge per weighted key point
 * (spec/gyms-conversational.md §2). Reward: the gain of an answer's score over the best so far, so an episode's
 * rewards sum to its best score; success when the score reaches the threshold. The kit counts steps and settles the end.
 *
 * Fixed by default (`compat: "userrl-2025"` restores the reference):
 * - the score is rounded to 10 decimals, so the 29% of stories whose weights sum to 0.9999999999999999
 *   can succeed (see scoring.ts);
 * - actions are read by their tag (any case); the reference cuts 8 characters off anything that is not
 *   `[answer]`/`[finish]`, so an untagged question loses its start and an empty one still costs a call;
 * - host replies must be Yes/No/Maybe (normalised; anything else gets a corrective retry, then the
 *   fallback), where the reference passes any text on as feedback;
 * - answer feedback names covered key points by number, not by their protocol wording, and the hidden
 *   story is not put in `info` (`ground_truth`).
 */
import { z } from "zod";
import { pyStrip, type Action } from "../../core/action.js";
import type { GymContext, ResetResult, Task } from "../../core/types.js";
import { KitEpisode, gymOptions, infoHistory, type Played } from "../kit/episode.js";
import { askRole, requireRoleModels, roleTrace, type RoleAnswer, type RoleSpec } from "../kit/roles.js";
import { hostMessages, hostRole, judgeMessages, judgeRole, type HostReply, type JudgeReply } from "./roles.js";
import { answerFeedback, referenceAnswerFeedback, storyScore, TURTLE_FEEDBACK } from "./scoring.js";
import type { TurtlePayload } from "./tasks.js";

export const TURTLE_MESSAGES = {
  welcome: "Welcome to the Turtle Soup Gym. Ask yes-or-no questions about the story, then explain what really happened.",
  emptyQuestion: "Your question is empty. Ask a yes-or-no question about the story.",
  emptyAnswer: "Your answer is empty. Explain what really happened in the story.",
};

export const optionsSchema = z.object({
  /** Score at which an answer ends the episode (1.0 in the paper's training and evaluation; 0.9 is the gym's own default). */
  successThreshold: z.number().min(0).max(1).default(1.0),
  /** Penalty × step index subtracted from every step reward (0 in training). */
  stepPenalty: z.number().min(0).default(0),
  rewardScale: z.number().default(1),
  /** Clamp step rewards to [0, 1]. */
  normalizeRewards: z.boolean().default(true),
  /** Per-request timeout of the LLM roles (10 s in the reference; raise it for slow local models). */
  roleTimeoutMs: z.number().positive().default(10_000),
});
export type TurtleOptions = z.infer<typeof optionsSchema>;

type Move = { kind: "finish" } | { kind: "question"; text: string } | { kind: "answer"; text: string } | { kind: "emptyQuestion" } | { kind: "emptyAnswer" };

export class TurtleEpisode extends KitEpisode<TurtlePayload> {
  protected readonly truncation = "at-limit";
  private readonly opts: TurtleOptions;
  private readonly host: RoleSpec<HostReply>;
  private readonly judge: RoleSpec<JudgeReply>;
  private bestScore = 0;
  private bestJson: unknown = null;
  private actions: string[] = [];
  private judgeHistory: unknown[] = [];

  constructor(task: Task<TurtlePayload>, ctx: GymContext) {
    super(task, ctx);
    requireRoleModels(ctx, "turtle");
    this.opts = gymOptions("turtle", optionsSchema, ctx.options);
    this.host = hostRole(this.opts.roleTimeoutMs);
    this.judge = judgeRole(task.payload.criteria.length, this.opts.roleTimeoutMs);
  }

  protected async opening(): Promise<ResetResult> {
    this.bestScore = 0;
    this.bestJson = null;
    this.actions = [];
    this.judgeHistory = [];
    return { feedback: TURTLE_MESSAGES.welcome, info: this.info() };
  }

  protected async play(action: Action): Promise<Played> {
    this.actions.push(action.raw);
    const move = this.read(action);
    const p = this.task.payload;
    let feedback: string;
    let score = 0;
    let json: unknown = null;
    let asked: RoleAnswer<unknown> | undefined;

    if (move.kind === "finish") feedback = "";
    else if (move.kind === "emptyQuestion") feedback = TURTLE_MESSAGES.emptyQuestion;
    else if (move.kind === "emptyAnswer") feedback = TURTLE_MESSAGES.emptyAnswer;
    else if (move.kind === "question") {
      const r = await askRole(this.ctx, this.host, {
        messages: hostMessages(p.surface, p.bottom, move.text),
        human: { task: this.task, turn: this.steps, prompt: `The player asks: ${move.text}` },
      });
      asked = r;
      feedback = r.value.response;
      if (!r.fallback) json = r.value;
    } else {
      const r = await askRole(this.ctx, this.judge, { messages: judgeMessages(p.surface, p.bottom, p.criteria, move.text) });
      asked = r;
      if (r.fallback) feedback = TURTLE_FEEDBACK.fallback;
      else {
        json = r.value;
        score = storyScore(p.criteria, r.value.scores, this.ctx.compat);
        feedback = this.ctx.compat === "userrl-2025" ? referenceAnswerFeedback(p.criteria, r.value.scores) : answerFeedback(r.value.scores);
      }
    }
    this.judgeHistory.push(json);

    let base = 0;
    if (move.kind === "answer") {
      base = Math.max(0, score - this.bestScore);
      if (score > this.bestScore) {
        this.bestScore = score;
        this.bestJson = json;
      }
    }
    let reward = base * this.opts.rewardScale - this.opts.stepPenalty * this.steps;
    if (this.opts.normalizeRewards) reward = Math.min(1, Math.max(0, reward));
    const done = (move.kind === "answer" && score >= this.opts.successThreshold) || move.kind === "finish";
    return {
      feedback,
      reward,
      done,
      // After the kit has added this step's reward to the total that `info()` reports.
      info: () => ({
        ...this.info(),
        step: this.steps,
        raw_action: action.raw,
        judge_success: move.kind === "finish" || (json !== null && !asked?.fallback),
        current_score: score,
      }),
      ...roleTrace(asked),
    };
  }

  private info(): Record<string, unknown> {
    return {
      story_title: this.task.payload.title,
      best_score: this.bestScore,
      best_json_response: this.bestJson,
      total_criteria: this.task.payload.criteria.length,
      // The reference hands the hidden story to whoever reads `info`; the fixed gym keeps it in the task.
      ...(this.ctx.compat === "userrl-2025" ? { ground_truth: this.task.payload.bottom } : {}),
      action_history: infoHistory(this.actions, this.ctx.compat),
      judge_history: [...this.judgeHistory],
      total_reward: this.totalReward,
    };
  }

  /** The reference tests raw prefixes case-sensitively and cuts 8 characters off everything else. */
  private read(action: Action): Move {
    if (this.ctx.compat === "userrl-2025") {
      const raw = action.raw;
      if (raw.startsWith("[finish]")) return { kind: "finish" };
      const text = pyStrip(raw.slice(8));
      return raw.startsWith("[answer]") ? { kind: "answer", text } : { kind: "question", text };
    }
    if (action.choice === "finish") return { kind: "finish" };
    if (action.choice === "answer") return action.content ? { kind: "answer", text: action.content } : { kind: "emptyAnswer" };
    return action.content ? { kind: "question", text: action.content } : { kind: "emptyQuestion" };
  }
}
