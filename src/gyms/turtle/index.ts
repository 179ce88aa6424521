/**
 * TurtleGym ("turtle soup"): uncover the hidden story behind a puzzling surface by yes/no questions, then
 * explain it (spec/gyms-conversational.md §2). Two LLM roles: a host answers questions Yes/No/Maybe, a
 * judge scores answers per weighted key point. Reward: the gain of an answer's score over the best so far,
 * so an episode's rewards sum to its best score; success when the score reaches the threshold (1.0, as in
 * training and evaluation).
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
import type { GymContext, GymDefinition, GymEpisode, ResetResult, StepResult, Task } from "../../core/types.js";
import type { DataStore } from "../../data/store.js";
import { memoizeTasks } from "../kit/dataset-prompt.js";
import { tasksFromParquet } from "../kit/parquet-tasks.js";
import { afterEndResult, gymOptions, infoHistory, optionsCheck } from "../kit/episode.js";
import { buildSystemPrompt } from "../kit/system-prompt.js";
import { askRole, requireRoleModels, roleInfo, roleTrace, type RoleAnswer, type RoleSpec } from "../kit/roles.js";
import { sumScoring } from "../kit/scoring.js";
import { TurtleBaseline } from "./baseline.js";
import { hostMessages, hostRole, judgeMessages, judgeRole, type HostReply, type JudgeReply } from "./roles.js";
import { answerFeedback, referenceAnswerFeedback, storyScore, TURTLE_FEEDBACK, type Criterion } from "./scoring.js";

export interface TurtlePayload {
  /** The story's key in the data file. */
  storyId: string;
  title: string;
  /** What the agent is told. */
  surface: string;
  /** The hidden true story. */
  bottom: string;
  criteria: Criterion[];
}

export const TURTLE_MESSAGES = {
  welcome: "Welcome to the Turtle Soup Gym. Ask yes-or-no questions about the story, then explain what really happened.",
  emptyQuestion: "Your question is empty. Ask a yes-or-no question about the story.",
  emptyAnswer: "Your answer is empty. Explain what really happened in the story.",
};

const optionsSchema = z.object({
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

export class TurtleEpisode implements GymEpisode {
  private readonly opts: TurtleOptions;
  private readonly host: RoleSpec<HostReply>;
  private readonly judge: RoleSpec<JudgeReply>;
  private steps = 0;
  private finished = false;
  private bestScore = 0;
  private bestJson: unknown = null;
  private totalReward = 0;
  private actions: string[] = [];
  private judgeHistory: unknown[] = [];

  constructor(
    private readonly task: Task<TurtlePayload>,
    private readonly ctx: GymContext,
  ) {
    requireRoleModels(ctx, "turtle");
    this.opts = gymOptions("turtle", optionsSchema, ctx.options);
    this.host = hostRole(this.opts.roleTimeoutMs);
    this.judge = judgeRole(task.payload.criteria.length, this.opts.roleTimeoutMs);
  }

  async reset(): Promise<ResetResult> {
    this.steps = 0;
    this.finished = false;
    this.bestScore = 0;
    this.bestJson = null;
    this.totalReward = 0;
    this.actions = [];
    this.judgeHistory = [];
    return { feedback: TURTLE_MESSAGES.welcome, info: this.info() };
  }

  async step(action: Action): Promise<StepResult> {
    if (this.finished) return afterEndResult();
    this.steps++;
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
    this.totalReward += reward;
    const done = (move.kind === "answer" && score >= this.opts.successThreshold) || move.kind === "finish";
    const truncated = this.steps >= this.ctx.maxSteps;
    this.finished = done || truncated;
    return {
      feedback,
      reward,
      done,
      truncated,
      info: {
        ...this.info(),
        step: this.steps,
        raw_action: action.raw,
        judge_success: move.kind === "finish" || (json !== null && !asked?.fallback),
        current_score: score,
      },
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

const storySchema = z.object({
  new_title: z.string().min(1),
  new_surface: z.string().min(1),
  new_bottom: z.string().min(1),
  evaluation: z.array(z.object({ statement: z.string(), score: z.number() })).min(1),
  judgment: z.string(),
});

const loadTasks = memoizeTasks(async function loadTurtleTasks(data: DataStore): Promise<Task<TurtlePayload>[]> {
  const stories = await data.jsonOf("userrl/gyms/turtle_stories.json", z.record(z.string(), storySchema));
  // The reference keeps only curated stories (all 471 are) and looks them up by title, ignoring case.
  const byTitle = new Map<string, TurtlePayload>();
  for (const [storyId, s] of Object.entries(stories)) {
    if (s.judgment !== "Yes") continue;
    byTitle.set(s.new_title.toLowerCase(), {
      storyId,
      title: s.new_title,
      surface: s.new_surface,
      bottom: s.new_bottom,
      criteria: s.evaluation.map((e) => ({ statement: e.statement, weight: e.score })),
    });
  }
  return tasksFromParquet(data, {
    gym: "turtle",
    parquet: "turtle_multiturn",
    key: "title",
    itemKind: "story",
    find: (title) => byTitle.get(title.toLowerCase()),
    payload: (story) => story,
  });
});

export const turtleGym: GymDefinition<TurtlePayload> = {
  name: "turtle",
  title: "TurtleGym",
  summary: "Uncover the hidden story behind a puzzling situation by yes/no questions, then explain it.",
  choices: ["action", "answer"],
  metric: "sum",
  scoring: sumScoring("The sum of the turn rewards: the best answer's weighted share of the story's key points."),
  offline: false,
  roles: [roleInfo(hostRole()), roleInfo(judgeRole(1))],
  offlineUser: null,
  tasks: loadTasks,
  checkOptions: optionsCheck("turtle", optionsSchema),
  systemPrompt: () =>
    buildSystemPrompt({
      environment:
        'The user runs a lateral-thinking puzzle ("turtle soup"). You are told the surface of a story: a short, puzzling ' +
        "situation. Behind it is a hidden true story, often with an unexpected twist, which the user knows and you must " +
        "uncover. The user answers your questions only with Yes, No or Maybe; your explanations are scored on how many " +
        "of the hidden story's key points they cover.",
      choices: {
        action: "content is one yes-or-no question about the story.",
        answer:
          "content is your full explanation of what really happened, covering every twist you have inferred. You may " +
          "answer more than once; only improvements on your best answer earn reward.",
      },
      tips: [
        "Usually ask first, then answer once the picture is clear; then refine with more questions and answer again.",
        "Ask sharp questions that split the possibilities, and build on every Yes.",
        "Be bold and creative: the true story is rarely the obvious one.",
      ],
    }),
  firstMessage: (task) =>
    `Title: ${task.payload.title}\nSurface: ${task.payload.surface}\nFind out what really happened behind this story.`,
  create: (task, ctx) => new TurtleEpisode(task, ctx),
  baseline: (task) => new TurtleBaseline({ title: task.payload.title, surface: task.payload.surface }),
};
