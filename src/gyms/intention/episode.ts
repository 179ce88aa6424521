/**
 * One IntentionGym episode: a vague request hides 1–9 missing details of importance 1–3; the agent asks
 * clarifying questions (`action`). Each newly covered detail pays once, by the highest importance
 * covered in the step (3 → 1.0, 2 → 0.7, 1 → 0.4), minus 0.2 per extra detail bundled into the same
 * question; the episode ends when every detail is covered (spec/gyms-conversational.md §4). The kit
 * counts steps and settles the end.
 *
 * Every step asks two roles: the user (the reply the agent sees) and the coverage judge (the reward).
 * They are independent, so they run concurrently.
 *
 * Fixed by default (`compat: "userrl-2025"` restores the reference):
 *  - a detail index the judge repeats counts once (the reference covers `[0, 0]` twice: coverage
 *    inflates and the bundling penalty applies);
 *  - the user sees only its request, the recent conversation and its preferences for what the
 *    question asks about, never the list of hidden details (the reference shows it the whole task);
 *  - the judge's prompt shows valid JSON and its reply is read leniently with one corrective retry
 *    (the reference's example has a missing and a trailing comma, and a model that copies it scores 0);
 *  - a failed user or judge call falls back to the offline user's reply or coverage, recorded (the
 *    reference answers with a canned line and covers nothing); an empty question gets feedback
 *    without any call; at the step limit with details left the episode is truncated, not also done.
 */
import { z } from "zod";
import type { Action } from "../../core/action.js";
import type { GymContext, ResetResult, RoleCall, Task } from "../../core/types.js";
import type { ChatMessage } from "../../models/types.js";
import { KitEpisode, gymOptions, storedEntry, type Played, type TruncationPolicy } from "../kit/episode.js";
import { fnv1a32 } from "../kit/hash.js";
import { IntentionOfflineUser, preferredOption, type IntentionDetail, type IntentionPayload } from "./offline.js";
import { askRole, type RoleAnswer } from "../kit/roles.js";
import { playedBy } from "../kit/choose.js";
import { PersonaVoice } from "../../personas/voice.js";
import { coverageRole, judgeMessages, referenceJudgeMessages, referenceUserMessages, userMessages, userRole, type Coverage, type Exchange } from "./roles.js";

export const optionsSchema = z
  .object({
    /** Subtracted from every step's reward, flat (the reference's `step_penalty`, 0 in training). */
    stepPenalty: z.number().min(0).default(0),
    /** Per extra detail covered by one question (the reference's `multi_detail_penalty`). */
    multiDetailPenalty: z.number().min(0).default(0.2),
    rewardScale: z.number().default(1),
    normalizeRewards: z.boolean().default(true),
    /**
     * What the roles are sent: `lean` (what each needs, both calls at once) or `reference` (the
     * reference's prompts, whole task included, one call after the other). Default: `reference` under
     * `compat: "userrl-2025"`, else `lean`. Rewards do not depend on it, only cost and latency do.
     */
    layout: z.enum(["lean", "reference"]).optional(),
  })
  .passthrough();

const IMPORTANCE_REWARD: Record<number, number> = { 3: 1.0, 2: 0.7, 1: 0.4 };

/** The reference's replies when its user simulator call fails (one is picked per step). */
const REFERENCE_CANNED = [
  "That's an interesting question. Let me think about that.",
  "Good point! I hadn't considered that aspect.",
  "Thanks for asking - that helps me clarify what I need.",
  "That's definitely something I should specify.",
  "I appreciate you helping me think through this.",
];

const EMPTY_QUESTION = "Sorry, I didn't catch a question there. What would you like to know about my request?";

interface Turn {
  feedback: string;
  /** Positions in the remaining list that the step covers (as the judge gave them). */
  positions: number[];
  breakdown: Record<string, unknown>;
  roleCalls: RoleCall[];
  fallbacks: string[];
}

export class IntentionEpisode extends KitEpisode<IntentionPayload> {
  /** The reference also ends the episode (done) at the step limit. */
  protected readonly truncation: TruncationPolicy;
  /** Indices into `payload.details` not yet covered, in their current order. */
  private remaining: number[] = [];
  private covered: number[] = [];
  private questionHistory: string[] = [];
  private conversation: Exchange[] = [];
  private readonly offline: IntentionOfflineUser;
  private readonly voice: PersonaVoice;
  private readonly opts: z.infer<typeof optionsSchema>;

  constructor(task: Task<IntentionPayload>, ctx: GymContext) {
    super(task, ctx);
    this.truncation = ctx.compat === "userrl-2025" ? "done-at-limit" : "unless-done";
    this.opts = gymOptions("intention", optionsSchema, ctx.options);
    this.offline = new IntentionOfflineUser(task.payload);
    this.voice = new PersonaVoice(ctx.persona);
  }

  private get details(): IntentionDetail[] {
    return this.task.payload.details;
  }

  private get reference(): boolean {
    return this.ctx.compat === "userrl-2025";
  }

  get layout(): "lean" | "reference" {
    return this.opts.layout ?? (this.reference ? "reference" : "lean");
  }

  protected async opening(): Promise<ResetResult> {
    this.remaining = this.details.map((_, i) => i);
    this.covered = [];
    this.questionHistory = [];
    this.conversation = [];
    return {
      feedback: `Welcome to IntentionGym! Here's a vague task that needs clarification: '${this.task.payload.task}'. Ask me questions to understand what exactly I need help with!`,
      info: this.baseInfo(),
    };
  }

  protected async play(action: Action): Promise<Played> {
    const stripped = action.raw.trim();
    this.questionHistory.push(storedEntry(stripped));
    const isFinish = this.reference ? stripped.toLowerCase().startsWith("[finish]") : action.choice === "finish";
    if (isFinish) {
      return {
        feedback: `Session ended. You covered ${this.covered.length}/${this.details.length} missing details.`,
        reward: 0,
        done: true,
        info: ({ totalReward }) => ({ ...this.baseInfo(), final_coverage: this.coverageRatio(), total_reward: totalReward }),
      };
    }
    // The question as sent to the roles, and as kept in the conversation history.
    const question = this.reference ? referenceQuestion(stripped) : action.content;
    const historyQuestion = this.reference ? stripped : action.content;

    const turn = await this.ask(question);
    const positions = this.reference ? turn.positions : [...new Set(turn.positions)];
    const newly: number[] = [];
    for (const p of positions) {
      if (p >= 0 && p < this.remaining.length) {
        newly.push(this.remaining[p]);
        this.covered.push(this.remaining[p]);
      }
    }
    this.remaining = this.remaining.filter((_, j) => !positions.includes(j));
    let reward = this.rewardFor(newly) - this.opts.stepPenalty;
    if (this.opts.normalizeRewards) reward = Math.max(0, Math.min(1, reward));
    this.conversation.push([storedEntry(historyQuestion), storedEntry(turn.feedback)]);
    return {
      feedback: turn.feedback,
      reward,
      done: this.remaining.length === 0,
      info: ({ totalReward }) => ({
        ...this.baseInfo(),
        newly_covered_details: newly.map((i) => this.detailDict(i)),
        reward_breakdown: turn.breakdown,
        total_reward: totalReward,
      }),
      roleCalls: turn.roleCalls,
      fallbacks: turn.fallbacks,
    };
  }

  private rewardFor(newly: readonly number[]): number {
    if (newly.length === 0) return 0;
    const top = Math.max(...newly.map((i) => this.details[i].importance));
    let base = IMPORTANCE_REWARD[top] ?? 0.4;
    if (newly.length > 1) base = Math.max(0, base - this.opts.multiDetailPenalty * (newly.length - 1));
    return base * this.opts.rewardScale;
  }

  /** The user's reply and the judge's coverage for one question. */
  private async ask(question: string): Promise<Turn> {
    const user = playedBy(this.ctx, userRole);
    const judge = playedBy(this.ctx, coverageRole);
    if (user === "offline" && judge === "offline") {
      return {
        feedback: this.voice.speak(this.offline.reply(question), this.offline.hedgedReply(question)),
        positions: this.offline.coverage(question, this.remaining),
        breakdown: { method: "offline" },
        roleCalls: [],
        fallbacks: [],
      };
    }
    if (!this.reference && !question) {
      return { feedback: EMPTY_QUESTION, positions: [], breakdown: { method: "empty_question" }, roleCalls: [], fallbacks: [] };
    }
    return this.reference ? this.askReference(question) : this.askFixed(question);
  }

  /** The user's reply (a person's, a model's) and the coverage (the judge model's, or offline when no judge model plays). */
  private askBoth(question: string, remaining: readonly number[]): Promise<[RoleAnswer<{ response: string }>, RoleAnswer<Coverage> | undefined]> {
    const m = this.messagesFor(question, remaining);
    const human = { task: this.task, turn: this.steps, prompt: `The assistant asks: ${question}` };
    const user = () => askRole(this.ctx, userRole, { messages: m.user, human });
    const judge = () => (playedBy(this.ctx, coverageRole) === "model" ? askRole(this.ctx, coverageRole, { messages: m.judge }) : Promise.resolve(undefined));
    return this.both(user, judge);
  }

  /** The two roles' messages under the episode's layout. */
  private messagesFor(question: string, remaining: readonly number[]): { user: ChatMessage[]; judge: ChatMessage[] } {
    const p = this.task.payload;
    const details = remaining.map((i) => this.details[i]);
    if (this.layout === "reference") {
      return { user: referenceUserMessages(p, this.conversation, question), judge: referenceJudgeMessages(p, details, this.conversation, question) };
    }
    const id = p.id;
    const preferences = this.offline.matcher.hints(question).map((i) => ({ detail: this.details[i], choice: preferredOption(id, i, this.details[i].options) }));
    return { user: userMessages(p, this.conversation, preferences, question), judge: judgeMessages(p, details, this.conversation.at(-1)?.[0], question) };
  }

  /** Ask the user and the judge: at once in the lean layout (they are independent), in turn as the reference did. */
  private both<A, B>(user: () => Promise<A>, judge: () => Promise<B>): Promise<[A, B]> {
    if (this.layout === "lean") return Promise.all([user(), judge()]);
    return user().then(async (a) => [a, await judge()] as [A, B]);
  }

  private async askFixed(question: string): Promise<Turn> {
    const remaining = [...this.remaining];
    const [u, j] = await this.askBoth(question, remaining);
    const fallbacks: string[] = [];
    let feedback = u.value.response;
    if (u.fallback) {
      // A plain-text answer is still an answer (the reference used such text as is); otherwise the offline user's.
      const plain = u.raw.trim();
      const usable = plain.length > 0 && !plain.includes("{") && u.calls.every((c) => !c.fallback?.startsWith("model call failed"));
      feedback = usable ? plain : this.offline.reply(question);
      fallbacks.push(`${u.fallback} (${usable ? "its plain-text reply" : "the offline user's reply"})`);
    }
    let positions: number[];
    let breakdown: Record<string, unknown>;
    if (j && !j.fallback) ({ indices: positions, breakdown } = j.value);
    else {
      positions = this.offline.coverage(question, remaining);
      breakdown = j?.fallback ? { method: "offline_fallback", reason: j.fallback } : { method: "offline" };
      if (j?.fallback) fallbacks.push(`${j.fallback} (the offline coverage)`);
    }
    return { feedback, positions, breakdown, roleCalls: [...u.calls, ...(j?.calls ?? [])], fallbacks };
  }

  /** The reference's parsers and fallbacks (`compat: "userrl-2025"`). */
  private async askReference(question: string): Promise<Turn> {
    const [u, j] = await this.askBoth(question, this.remaining);
    const fallbacks: string[] = [];
    let feedback: string;
    if (u.fallback) {
      feedback = REFERENCE_CANNED[fnv1a32(`${this.ctx.seed}:${this.steps}`) % REFERENCE_CANNED.length];
      fallbacks.push(`intention.user: ${u.problem}; used a canned reply`);
    } else feedback = u.value.response;
    let positions: number[] = [];
    let breakdown: Record<string, unknown>;
    if (!j) {
      positions = this.offline.coverage(question, this.remaining);
      breakdown = { method: "offline" };
    } else if (j.fallback) {
      breakdown = { method: "fallback", keywords_found: referenceKeywords(question), fallback_used: true, is_task_related: referenceKeywords(question).length > 0 };
      fallbacks.push(`intention.judge: ${j.problem}; covered nothing`);
    } else {
      ({ indices: positions, breakdown } = j.value);
      if (breakdown.method !== "llm_evaluation") fallbacks.push(`intention.judge: ${String(breakdown.method)}; covered nothing`);
    }
    return { feedback, positions, breakdown, roleCalls: [...u.calls, ...(j?.calls ?? [])], fallbacks };
  }

  private coverageRatio(): number {
    return this.details.length > 0 ? this.covered.length / this.details.length : 0;
  }

  private detailDict(i: number): Record<string, unknown> {
    const d = this.details[i];
    return { description: d.description, importance: String(d.importance), inquiry: d.inquiry, options: d.options };
  }

  private baseInfo(): Record<string, unknown> {
    return {
      task_id: this.task.payload.id,
      missing_details_summary: this.summary(),
      question_history: [...this.questionHistory],
      conversation_history: this.conversation.map((e) => [...e]),
      covered_details: this.covered.map((i) => this.detailDict(i)),
      coverage_ratio: this.coverageRatio(),
      remaining_missing_details: this.remaining.length,
      total_missing_details: this.details.length,
    };
  }

  /** "Remaining details - High priority: …; Medium priority: …" (for the trajectory, never the agent). */
  private summary(): string {
    if (this.remaining.length === 0) return "All missing details have been covered!";
    const parts: string[] = [];
    for (const [level, name] of [
      [3, "High"],
      [2, "Medium"],
      [1, "Low"],
    ] as const) {
      const names = this.remaining.filter((i) => this.details[i].importance === level).map((i) => this.details[i].description);
      if (names.length) parts.push(`${name} priority: ${names.join(", ")}`);
    }
    return `Remaining details - ${parts.join("; ")}`;
  }
}

/** The reference strips a leading `[action]` or `[answer]` (exact case) before prompting, nothing else. */
function referenceQuestion(stripped: string): string {
  return stripped.startsWith("[action]") || stripped.startsWith("[answer]") ? stripped.slice(8).trim() : stripped;
}

/** The keyword notes the reference records when its judge call fails. */
function referenceKeywords(question: string): string[] {
  const q = question.toLowerCase();
  const found: string[] = [];
  if (["when", "time", "duration", "long"].some((w) => q.includes(w))) found.push("timing");
  if (["budget", "cost", "money", "price"].some((w) => q.includes(w))) found.push("budget");
  if (["where", "location", "place"].some((w) => q.includes(w))) found.push("location");
  return found;
}
