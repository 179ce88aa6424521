/**
 * Intention's deterministic user: the person behind the vague request, with one settled preference
 * per hidden detail (an option of that detail, fixed per task and detail). It recognises which
 * details a question asks about with the lexical matcher, answers them from those preferences, and
 * scores coverage the way the judge's contract says: the details the question addresses, by index
 * into the remaining list. Questions about nothing it can place get a polite redirect that names no
 * detail.
 */
import { fnv1a32 } from "../kit/hash.js";
import { DetailMatcher } from "./matcher.js";

export interface IntentionDetail {
  description: string;
  /** 1 (low) … 3 (high), from the data's string "1" | "2" | "3". */
  importance: number;
  inquiry: string;
  options: string[];
}

export interface IntentionPayload {
  id: string;
  category: string;
  task: string;
  details: IntentionDetail[];
}

/** The option this user prefers for a detail: fixed per task and detail, so every run agrees. */
export function preferredOption(taskId: string, index: number, options: readonly string[]): string {
  if (options.length === 0) return "I don't mind either way";
  return options[fnv1a32(`${taskId}#${index}`) % options.length];
}

function lowerFirst(s: string): string {
  return s.length > 1 && /^\p{Lu}\p{Ll}/u.test(s) ? s[0].toLowerCase() + s.slice(1) : s;
}

const REDIRECTS = [
  "I'm not sure that matters much here. I'd rather focus on what I asked for: ",
  "Hmm, I haven't really thought about that. What I need help with is this: ",
  "That's not really my concern right now. My request was: ",
];

export class IntentionOfflineUser {
  readonly matcher: DetailMatcher;

  constructor(private readonly payload: IntentionPayload) {
    this.matcher = new DetailMatcher(payload.details, `${payload.task} ${payload.category}`);
  }

  /** Positions in `remaining` (detail indices, in the episode's order) that the question covers. */
  coverage(question: string, remaining: readonly number[]): number[] {
    const hit = new Set(this.matcher.asked(question, remaining));
    return remaining.flatMap((d, pos) => (hit.has(d) ? [pos] : []));
  }

  /** A one- or two-sentence answer from this user's preferences. */
  reply(question: string): string {
    const asked = this.matcher.asked(question);
    if (asked.length === 0) {
      const i = fnv1a32(question) % REDIRECTS.length;
      return `${REDIRECTS[i]}${this.payload.task}`;
    }
    return asked
      .map((i) => {
        const d = this.payload.details[i];
        return `As for ${lowerFirst(d.description)}: ${preferredOption(this.payload.id, i, d.options)}.`;
      })
      .join(" ");
  }

  /**
   * The same answer left open (a vague persona's first replies): the preferred option beside another one, no
   * choice made. Undefined when the question asks about no detail (the reply then carries no information).
   */
  hedgedReply(question: string): string | undefined {
    const asked = this.matcher.asked(question);
    if (asked.length === 0) return undefined;
    return asked
      .map((i) => {
        const d = this.payload.details[i];
        const preferred = preferredOption(this.payload.id, i, d.options);
        const other = d.options.find((o) => o !== preferred);
        return `As for ${lowerFirst(d.description)}: I'm not sure yet, ${other ? `maybe ${preferred}, or ${other}` : `something like ${preferred}`}.`;
      })
      .join(" ");
  }
}
