/**
 * One TelepathyGym episode: yes/no questions (`action`) to the host and guesses (`answer`) to the judge; a
 * correct guess pays 1.0 once and ends the episode (spec/gyms-conversational.md §3). The kit counts steps and
 * settles the end.
 *
 * Fixed by default (`compat: "userrl-2025"` restores the reference):
 *  - a guess that names the entity (normalised match with its names and the aliases in the data) is a
 *    hit without asking any judge, and the judge's "yes"/"YES"/"Yes." counts (the reference scores only
 *    the exact string "Yes", so "yes" with the feedback "Correct!" pays 0);
 *  - the action's tag is parsed, not cut blindly: the reference sends `action[8:]` to the host for any
 *    non-`[answer]` action, so unprefixed text loses its first 8 characters; empty questions and guesses
 *    get feedback without an LLM call;
 *  - the host's reply must be Yes, No or Maybe (the reference passes any string through), and a judge's
 *    feedback that names the entity on a wrong guess is replaced, so the answer is never leaked.
 */
import { z } from "zod";
import type { Action } from "../../core/action.js";
import { pyStrip } from "../../core/action.js";
import type { GymContext, ResetResult, RoleCall, Task } from "../../core/types.js";
import { KitEpisode, gymOptions, storedEntry, type Played } from "../kit/episode.js";
import { askRole } from "../kit/roles.js";
import { playedBy } from "../kit/choose.js";
import { isClearHit, mentionsName } from "./names.js";
import { TelepathyOfflineUser } from "./offline.js";
import { hostMessages, hostRole, judgeMessages, judgeRole } from "./roles.js";
import type { TelepathyPayload } from "./tasks.js";
import { PersonaVoice } from "../../personas/voice.js";

/** A vague persona's non-answer to a yes/no question (its first replies). */
const VAGUE_ANSWER = "Hmm, hard to say. Sort of?";

export const optionsSchema = z
  .object({
    /** Subtracted × step index from every step's reward (the reference's `step_penalty`, 0 in training). */
    stepPenalty: z.number().min(0).default(0),
    rewardScale: z.number().default(1),
    /** Clamp rewards to [0, 1] (the reference's `normalize_rewards`). */
    normalizeRewards: z.boolean().default(true),
  })
  .passthrough();

export const TELEPATHY_FEEDBACK = {
  welcome: "Welcome to TelepathyGym! I'm thinking of something... Ask me yes/no questions to figure out what it is!",
  finished: "Game finished.",
  guessFailed: "Unable to evaluate your guess right now.",
  questionFailed: "Unable to respond to your question right now.",
  hit: "Yes! That's exactly what I was thinking of. Well done!",
  miss: "No, that's not what I'm thinking of. Keep trying!",
  emptyQuestion: "Please ask me a yes/no question about what I'm thinking of.",
  emptyGuess: "Please name the thing you think I'm thinking of.",
} as const;

type Move = { kind: "finish" } | { kind: "answer"; text: string } | { kind: "question"; text: string };

interface Evaluation {
  feedback: string;
  score: number;
  json: Record<string, unknown> | null;
  judgeSuccess: boolean;
  roleCalls: RoleCall[];
  fallbacks: string[];
}

export class TelepathyEpisode extends KitEpisode<TelepathyPayload> {
  protected readonly truncation = "at-limit";
  private best = 0;
  private bestJson: Record<string, unknown> | null = null;
  private actionHistory: string[] = [];
  private responseHistory: (Record<string, unknown> | null)[] = [];
  private clueHistory: [string, string][] = [];
  private readonly offline: TelepathyOfflineUser;
  private readonly voice: PersonaVoice;
  private readonly opts: z.infer<typeof optionsSchema>;

  constructor(task: Task<TelepathyPayload>, ctx: GymContext) {
    super(task, ctx);
    this.opts = gymOptions("telepathy", optionsSchema, ctx.options);
    const p = task.payload;
    this.offline = new TelepathyOfflineUser({ names: p.names, targetEntity: p.targetEntity, category: p.category, description: p.description });
    this.voice = new PersonaVoice(ctx.persona);
  }

  protected async opening(): Promise<ResetResult> {
    this.best = 0;
    this.bestJson = null;
    this.actionHistory = [];
    this.responseHistory = [];
    this.clueHistory = [];
    return {
      feedback: TELEPATHY_FEEDBACK.welcome,
      info: { target_entity: this.task.payload.targetEntity, category: this.task.payload.category, action_history: [], response_history: [], clue_history: [] },
    };
  }

  protected async play(action: Action): Promise<Played> {
    const raw = action.raw;
    this.actionHistory.push(storedEntry(raw));
    const move = this.decode(action);
    const ev = await this.evaluate(move);

    if (move.kind !== "finish" && (this.ctx.compat !== "userrl-2025" || raw.startsWith("[action]") || raw.startsWith("[answer]"))) {
      this.clueHistory.push([storedEntry(move.text), storedEntry(ev.feedback)]);
    }
    let base = 0;
    if (move.kind === "answer") {
      base = Math.max(0, ev.score - this.best);
      if (ev.score > this.best) {
        this.best = ev.score;
        this.bestJson = ev.json;
      }
    }
    let reward = base * this.opts.rewardScale - this.opts.stepPenalty * this.steps;
    if (this.opts.normalizeRewards) reward = Math.max(0, Math.min(1, reward));
    this.responseHistory.push(ev.json);

    const terminated = (move.kind === "answer" && ev.score === 1) || move.kind === "finish";
    return {
      feedback: ev.feedback,
      reward,
      done: terminated,
      info: ({ totalReward }) => ({
        raw_action: storedEntry(raw),
        judge_success: ev.judgeSuccess,
        current_score: ev.score,
        best_score: this.best,
        best_json_response: this.bestJson,
        target_entity: this.task.payload.targetEntity,
        category: this.task.payload.category,
        action_history: [...this.actionHistory],
        response_history: [...this.responseHistory],
        clue_history: this.clueHistory.map((c) => [...c]),
        total_reward: totalReward,
      }),
      roleCalls: ev.roleCalls,
      fallbacks: ev.fallbacks,
    };
  }

  /** What the action asks for: the reference's prefix tests and blind cut, or the parsed tag. */
  private decode(action: Action): Move {
    if (this.ctx.compat === "userrl-2025") {
      const raw = action.raw;
      if (raw.startsWith("[finish]")) return { kind: "finish" };
      return { kind: raw.startsWith("[answer]") ? "answer" : "question", text: pyStrip(raw.slice(8)) };
    }
    if (action.choice === "finish") return { kind: "finish" };
    return { kind: action.choice === "answer" ? "answer" : "question", text: action.content };
  }

  private async evaluate(move: Move): Promise<Evaluation> {
    const ok = (feedback: string, score: number, json: Record<string, unknown> | null, extra: Partial<Evaluation> = {}): Evaluation => ({
      feedback,
      score,
      json,
      judgeSuccess: true,
      roleCalls: [],
      fallbacks: [],
      ...extra,
    });
    if (move.kind === "finish") return ok(TELEPATHY_FEEDBACK.finished, 0, null);
    const fixed = this.ctx.compat !== "userrl-2025";
    const p = this.task.payload;

    if (move.kind === "answer") {
      if (fixed && !move.text) return ok(TELEPATHY_FEEDBACK.emptyGuess, 0, null);
      if (fixed && isClearHit(move.text, p.names)) return ok(TELEPATHY_FEEDBACK.hit, 1, { judgment: "Yes", method: "name_match" });
      if (playedBy(this.ctx, judgeRole) === "offline") {
        const hit = this.offline.judgeGuess(move.text);
        return ok(hit ? TELEPATHY_FEEDBACK.hit : TELEPATHY_FEEDBACK.miss, hit ? 1 : 0, { judgment: hit ? "Yes" : "No", method: "offline" });
      }
      const r = await askRole(this.ctx, judgeRole, { messages: judgeMessages(p.targetEntity, move.text) });
      if (r.fallback) {
        return { feedback: TELEPATHY_FEEDBACK.guessFailed, score: 0, json: null, judgeSuccess: false, roleCalls: r.calls, fallbacks: [r.fallback] };
      }
      const score = r.value.judgment === "Yes" ? 1 : 0;
      const json = { thought: r.value.thought, judgment: r.value.judgment, feedback: r.value.feedback };
      let feedback = r.value.feedback ?? "";
      const fallbacks: string[] = [];
      if (fixed && (!feedback.trim() || (score === 0 && mentionsName(feedback, p.names)))) {
        if (feedback.trim()) fallbacks.push("telepathy.judge: feedback named the secret entity; replaced");
        feedback = score === 1 ? TELEPATHY_FEEDBACK.hit : TELEPATHY_FEEDBACK.miss;
      }
      return { feedback, score, json, judgeSuccess: true, roleCalls: r.calls, fallbacks };
    }

    if (fixed && !move.text) return ok(TELEPATHY_FEEDBACK.emptyQuestion, 0, null);
    if (playedBy(this.ctx, hostRole) === "offline") {
      const response = this.offline.answer(move.text);
      return ok(this.voice.speak(response, VAGUE_ANSWER), 0, { response, method: "offline" });
    }
    const r = await askRole(this.ctx, hostRole, {
      messages: hostMessages(p.targetEntity, move.text),
      human: { task: this.task, turn: this.steps, prompt: `The agent asks: ${move.text}` },
    });
    if (r.fallback) {
      return { feedback: TELEPATHY_FEEDBACK.questionFailed, score: 0, json: null, judgeSuccess: false, roleCalls: r.calls, fallbacks: [r.fallback] };
    }
    return ok(r.value.response, 0, { thought: r.value.thought, response: r.value.response }, { roleCalls: r.calls });
  }
}
