/**
 * How a persona changes what an offline (rule-based) user says. Each gym's offline user builds its reply as the
 * cooperative user would (`precise`) and, where the reply carries information, a non-committal version of it
 * (`hedged`); the voice then applies the persona's traits, the same way in every gym:
 *  - vague: the first N informative replies of the episode are the hedged version;
 *  - terse: sentences are kept until about `words` words are spoken (a sentence with an id or a number, which the
 *    agent needs, is always kept, less its parenthetical asides), so pleasantries and explanations go first;
 *  - verbose: the reply is wrapped in a restatement and an aside.
 * Without these traits the reply is returned unchanged, so the cooperative user is today's, byte for byte.
 */
import type { PersonaView } from "../core/types.js";

const VERBOSE_OPENERS = ["Oh, good question, let me think about that for a second.", "Right, so you want to know about that.", "Hmm, okay, let me see."];
const VERBOSE_ASIDES = ["Sorry, I do tend to ramble a bit.", "I hope that makes sense, it's been a long week.", "Anyway, that's how I see it."];

export class PersonaVoice {
  private informative = 0;
  private readonly vague?: number;
  private readonly terse?: number;
  private readonly verbose: boolean;

  constructor(persona: PersonaView | undefined) {
    const t = persona?.traits ?? {};
    this.vague = typeof t.vague?.turns === "number" ? t.vague.turns : undefined;
    this.terse = typeof t.terse?.words === "number" ? t.terse.words : undefined;
    this.verbose = t.verbose !== undefined;
  }

  /** Whether this persona changes anything an offline user says. */
  get active(): boolean {
    return this.vague !== undefined || this.terse !== undefined || this.verbose;
  }

  /** The reply as this persona says it; `hedged` marks the reply as informative (vague users hedge it at first). */
  speak(precise: string, hedged?: string): string {
    let text = precise;
    if (hedged !== undefined) {
      this.informative++;
      if (this.vague !== undefined && this.informative <= this.vague) text = hedged;
    }
    if (this.terse !== undefined) text = shorten(text, this.terse);
    if (this.verbose) {
      const k = text.length + this.informative;
      text = `${VERBOSE_OPENERS[k % VERBOSE_OPENERS.length]} ${text} ${VERBOSE_ASIDES[k % VERBOSE_ASIDES.length]}`;
    }
    return text;
  }
}

/** Sentences of `text`, in order, until about `words` words (sentences with digits or ids always kept, without asides in parentheses). */
export function shorten(text: string, words: number): string {
  const sentences = text.match(/[^.!?]+[.!?]*\s*/g)?.map((s) => s.trim()).filter(Boolean) ?? [text.trim()];
  const kept: string[] = [];
  let count = 0;
  for (const s of sentences) {
    const n = s.split(/\s+/).length;
    const needed = /[0-9#]/.test(s);
    if (kept.length === 0 || needed || count + n <= words) {
      const cut = needed ? s.replace(/\s*\([^()]*\)/g, "") : s;
      kept.push(kept.length === 0 && !needed && n > words ? `${s.split(/\s+/).slice(0, words).join(" ").replace(/[,;:]$/, "")}.` : cut);
      count += n;
    }
  }
  return kept.join(" ");
}
