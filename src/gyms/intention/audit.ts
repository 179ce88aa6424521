/**
 * Intention's part of the simulator audit: the user should answer what the agent asked. A reply that states an
 * option of a hidden detail the question did not ask about (the lexical matcher the offline user and judge use
 * tells which details a question asks) volunteers that detail unasked. The user restating its own request is
 * not a leak.
 */
import type { GymAudit, Task, TurnRecord } from "../../core/types.js";
import { lowerWordRuns } from "../kit/lexical.js";
import { perTask } from "../kit/per-task.js";
import { DetailMatcher } from "./matcher.js";
import type { IntentionPayload } from "./offline.js";

/** Options short or common enough to turn up by chance are not evidence. */
const MIN_OPTION_CHARS = 4;

/**
 * What the checks read of a task, kept per task and kept small (an index lives as long as its task, and an audit
 * holds every task of a run): the options long enough to be evidence, lower-cased, with their first words and
 * details side by side; the words of every option of each detail (built when a reply first names an option); the
 * detail matcher (built on first use: only turns without the offline user's reading, and repeated replies, need
 * it); and the stock-reply verdict of each reply text already seen (a redirect repeats verbatim, and it is the
 * repeats that are asked about).
 */
class TaskIndex {
  /** Evidence options, lower-cased, each with its first word and its detail (same positions). */
  readonly options: string[] = [];
  readonly firstWords: string[] = [];
  readonly details: number[] = [];
  private everyOption?: Set<string>[];
  private stock?: Map<string, boolean>;
  private built?: DetailMatcher;
  constructor(private readonly payload: IntentionPayload) {
    payload.details.forEach((d, detail) => {
      for (const o of d.options) {
        if (o.trim().length < MIN_OPTION_CHARS) continue;
        const lower = o.toLowerCase();
        const first = firstWord(lower);
        if (first === undefined) continue;
        this.options.push(lower);
        this.firstWords.push(first);
        this.details.push(detail);
      }
    });
  }

  /** Positions (into `options`) of the evidence options `lower` (a lower-cased reply) names, outside the details `skip`. */
  named(lower: string, skip: readonly number[] | undefined): number[] | undefined {
    let out: number[] | undefined;
    for (let k = 0; k < this.options.length; k++) {
      if (skip?.includes(this.details[k])) continue;
      const first = this.firstWords[k];
      for (let at = lower.indexOf(first); at >= 0; at = lower.indexOf(first, at + 1)) {
        if (sameWordsAt(this.options[k], lower, at)) {
          (out ??= []).push(k);
          break;
        }
      }
    }
    return out;
  }

  /**
   * The details, ascending, outside `asked` that the named options belong to, an option an asked detail shares
   * aside: answering what was asked can say it.
   */
  volunteered(named: readonly number[], asked: readonly number[]): number[] {
    this.everyOption ??= this.payload.details.map((d) => new Set(d.options.map((o) => lowerWordRuns(o).join(" "))));
    const every = this.everyOption;
    const out = new Set<number>();
    for (const k of named) {
      const key = lowerWordRuns(this.options[k]).join(" ");
      if (!asked.includes(this.details[k]) && !asked.some((d) => every[d].has(key))) out.add(this.details[k]);
    }
    return [...out].sort((a, b) => a - b);
  }

  get matcher(): DetailMatcher {
    this.built ??= new DetailMatcher(this.payload.details, `${this.payload.task} ${this.payload.category}`);
    return this.built;
  }

  /**
   * Not being able to place a question, the user redirects to its request: a reply that restates the request
   * word for word (whatever a persona says around it), or one that asks about no detail.
   */
  isStock(reply: string): boolean {
    this.stock ??= new Map();
    let stock = this.stock.get(reply);
    if (stock === undefined) {
      const { task } = this.payload;
      stock = (task.length > 0 && reply.includes(task)) || this.matcher.asked(reply).length === 0;
      this.stock.set(reply, stock);
    }
    return stock;
  }
}

const indexOf = perTask((task: Task<IntentionPayload>) => new TaskIndex(task.payload));

/** The first run of letters and digits of a text, if any. */
function firstWord(text: string): string | undefined {
  let from = 0;
  while (from < text.length && !isWordChar(text, from)) from++;
  let to = from;
  while (to < text.length && isWordChar(text, to)) to++;
  return to > from ? text.slice(from, to) : undefined;
}

/**
 * Whether the words of `option` (lower-cased) stand in `lower` (a lower-cased reply) from `at` on: each word whole
 * and equal, with something other than letters and digits between them (what splitting both into words and
 * comparing would say), read in place: most replies name no option, and nothing is copied to find that out.
 */
function sameWordsAt(option: string, lower: string, at: number): boolean {
  if (isWordChar(lower, at - 1)) return false;
  let i = 0;
  while (i < option.length && !isWordChar(option, i)) i++;
  let j = at;
  for (;;) {
    for (; i < option.length && isWordChar(option, i); i++, j++) if (option.charCodeAt(i) !== lower.charCodeAt(j)) return false;
    if (isWordChar(lower, j)) return false;
    while (i < option.length && !isWordChar(option, i)) i++;
    if (i >= option.length) return true;
    while (j < lower.length && !isWordChar(lower, j)) j++;
    if (j >= lower.length) return false;
  }
}

const WORD_CHAR = /[\p{L}\p{N}]/u;

/** Whether the character at `i` is a letter or digit (false outside the text). */
function isWordChar(text: string, i: number): boolean {
  if (i < 0 || i >= text.length) return false;
  const c = text.charCodeAt(i);
  if (c < 128) return (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || (c >= 65 && c <= 90);
  // The second half of a surrogate pair belongs to the character that starts one code unit earlier.
  const at = c >= 0xdc00 && c <= 0xdfff && i > 0 ? i - 1 : i;
  return WORD_CHAR.test(String.fromCodePoint(text.codePointAt(at)!));
}

/** The details the offline user read this turn's question as asking, when the turn carries that reading. */
function recorded(turn: TurnRecord, details: number): number[] | undefined {
  const asked = turn.userReading?.asked;
  if (!Array.isArray(asked) || !asked.every((d) => Number.isInteger(d) && d >= 0 && d < details)) return undefined;
  return asked as number[];
}

export const intentionAudit: GymAudit<IntentionPayload> = {
  leak(task, turn, reply) {
    const { details, task: request } = task.payload;
    const x = indexOf(task);
    const text = request && reply.includes(request) ? reply.split(request).join(" ") : reply;
    const lower = text.toLowerCase();
    // The offline user's reading, when the turn carries it, says which details the question asked: their options
    // are not looked for.
    const reading = recorded(turn, details.length);
    const named = x.named(lower, reading);
    if (!named) return undefined;
    const volunteered = x.volunteered(named, reading ?? x.matcher.asked(turn.action?.content ?? ""));
    if (volunteered.length === 0) return undefined;
    return `volunteered ${volunteered.map((d) => `"${details[d].description}"`).join(", ")} without being asked`;
  },
  // A redirect to the request is a stock reply, not a loop: the reply itself is read (a persona's words around
  // it can speak of a detail), so the offline user's reading of the question does not settle it.
  stockReply: (reply, task, turn) => {
    const asked = recorded(turn, task.payload.details.length);
    return asked ? asked.length === 0 : indexOf(task).isStock(reply);
  },
  // The episode ends when every detail is covered (a rewarded turn) or when the agent finishes: never by the user.
  userEnded: () => false,
};
