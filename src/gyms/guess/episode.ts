/**
 * One GuessGym episode, on the kit: {@link KitEpisode} counts the steps, applies the step limit, answers after
 * the end and totals the reward; this file says only what the game is.
 *  - `action`: a yes/no question about the number; the user answers (offline by rule, or the LLM role, or a
 *    person in the user's seat, all through the one `askRole`). No reward.
 *  - `answer`: a guess; the right number pays 1 and ends the episode, a wrong one gets "No" and the game goes on.
 *  - `finish`: gives up (the number is revealed). Anything else gets a one-line explanation.
 */
import type { Action } from "../../core/action.js";
import type { ResetResult } from "../../core/types.js";
import { playedBy } from "../kit/choose.js";
import { KitEpisode, type Played, type TruncationPolicy } from "../kit/episode.js";
import { askRole, roleTrace } from "../kit/roles.js";
import { offlineAnswer, type YesNo } from "./offline.js";
import { userMessages, userRole } from "./roles.js";
import type { GuessPayload } from "./tasks.js";

export const GUESS_FEEDBACK = {
  Yes: "Yes.",
  No: "No.",
  Maybe: "I can't tell: ask me a yes-or-no question about my number.",
  emptyQuestion: "Ask me a yes-or-no question about my number.",
  notANumber: "Please answer with one whole number.",
  invalid: "Use `action` to ask a yes-or-no question, or `answer` to guess my number.",
} as const;

export class GuessEpisode extends KitEpisode<GuessPayload> {
  /** A step that reaches the limit is truncated unless it ended the game (a right guess, or giving up). */
  protected readonly truncation: TruncationPolicy = "unless-done";
  private questions = 0;

  protected async opening(): Promise<ResetResult> {
    this.questions = 0;
    return { feedback: `I'm thinking of a whole number between 1 and ${this.task.payload.max}.`, info: { max: this.task.payload.max } };
  }

  protected async play(action: Action): Promise<Played> {
    const { secret } = this.task.payload;
    if (!action.exactTag || action.choice === "search" || action.choice === null) {
      return { feedback: GUESS_FEEDBACK.invalid, reward: 0, done: false, info: { questions: this.questions } };
    }
    if (action.choice === "finish") return { feedback: `Game over: my number was ${secret}.`, reward: 0, done: true, info: { questions: this.questions, secret } };
    if (action.choice === "answer") {
      if (!/^[+-]?\d+$/.test(action.content)) return { feedback: GUESS_FEEDBACK.notANumber, reward: 0, done: false, info: { questions: this.questions } };
      if (Number(action.content) === secret) return { feedback: `Yes! My number is ${secret}.`, reward: 1, done: true, info: { questions: this.questions, secret } };
      return { feedback: GUESS_FEEDBACK.No, reward: 0, done: false, info: { questions: this.questions } };
    }
    if (!action.content) return { feedback: GUESS_FEEDBACK.emptyQuestion, reward: 0, done: false, info: { questions: this.questions } };
    this.questions++;
    const { answer, trace } = await this.ask(action.content);
    return { feedback: GUESS_FEEDBACK[answer], reward: 0, done: false, info: { questions: this.questions, answer }, ...trace };
  }

  /** The user's answer to a question: by rule when the offline user plays, else through the one askRole. */
  private async ask(question: string): Promise<{ answer: YesNo; trace: ReturnType<typeof roleTrace> }> {
    if (playedBy(this.ctx, userRole) === "offline") return { answer: offlineAnswer(this.task.payload.secret, question), trace: {} };
    const r = await askRole(this.ctx, userRole, {
      messages: userMessages(this.task.payload, question),
      human: { task: this.task, turn: this.steps, prompt: `The player asks: ${question}` },
    });
    return { answer: r.value.response, trace: roleTrace(r) };
  }
}
