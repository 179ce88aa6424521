/**
 * Telepathy's deterministic user. It knows exactly what the task data knows, and no more:
 *  - a guess is right when it names the entity (see names.ts), otherwise wrong;
 *  - "Is it <one of its names>?" → Yes;
 *  - class questions (person, animal, plant, alive, food, drink, place, fictional/real, man-made,
 *    natural, event, creative work, sport/game, vehicle, device, instrument, in space, building) →
 *    Yes/No from the entity's coarse class (classes.ts), when the class settles it;
 *  - a question naming words of the category ("Is it a fruit?" for a fruit) → Yes;
 *  - attribute questions → Yes when every content word of the question appears in the entity's own
 *    description (`target_entity`), No when one appears after a negation there ("no engine"), else Maybe;
 *  - "either/or" questions and anything it cannot settle → Maybe (honestly unknown).
 */
import { stem, STOP_WORDS, words } from "../kit/lexical.js";
import { classify, descriptionPhrase, PROPERTY_PHRASES, type EntityClass, type Property, type PropertyPhrase } from "./classes.js";
import { clearHitTest } from "./names.js";

import type { YesNo } from "../kit/yes-no.js";
export type { YesNo };

export interface EntityFacts {
  names: readonly string[];
  targetEntity: string;
  category: string;
  description: string;
}

/** Words that only frame a question ("Is it associated with …", "Is it known for …"). */
const FRAME = new Set(
  (
    "associated associate related relate connected connect linked link known famous famously often usually typically commonly " +
    "generally mostly considered regarded described involve involved involving feature featured featuring characterized " +
    "characterised include including made make used use guess entity item object thing popular iconic well " +
    "famou associat relat connect link involv featur includ found locate located live lives come comes originate originates " +
    "native situated"
  ).split(" "),
);

const NEGATION = new Set(["no", "not", "without", "cannot", "cant", "never", "non", "lacks", "lack", "none", "neither", "nor", "flightless"]);

/** Simple equivalents so "big" meets "large" and "tiny" meets "small". */
const SYNONYMS: Record<string, string> = {
  big: "large",
  huge: "large",
  massive: "large",
  giant: "large",
  enormous: "large",
  tiny: "small",
  little: "small",
  old: "ancient",
  eaten: "eat",
  ate: "eat",
  colour: "color",
  colourful: "colorful",
  sea: "ocean",
  marine: "ocean",
  usa: "america",
  american: "america",
};

/** The comparable form of one word: synonyms folded, then stemmed. */
function canon(w: string): string {
  return stem(SYNONYMS[w] ?? w);
}

/** Topic words of a question fragment, in comparable form. */
function contentWords(text: string): string[] {
  const out = new Set<string>();
  for (const w of words(text)) {
    if (STOP_WORDS.has(w) || FRAME.has(w) || FRAME.has(stem(w))) continue;
    out.add(canon(w));
  }
  return [...out];
}

const HEAD = /^(?:is|was|are|were|does|do|did|can|could|would|will|has|have)\s+(?:it|this|that|he|she|they|the (?:entity|thing|item))\s+/;
const ARTICLE = /^(?:a|an|the|some|kind of|type of|sort of|form of)\s+/;

export class TelepathyOfflineUser {
  private readonly cls: EntityClass;
  private readonly attrChunks: string[][];
  /** Every word of the description's chunks, for the quick "all present?" test. */
  private readonly attrWords: Set<string>;
  private readonly categoryStems: Set<string>;
  private readonly isClearHit: (guess: string) => boolean;

  constructor(private readonly entity: EntityFacts) {
    this.isClearHit = clearHitTest(entity.names);
    this.cls = classify(entity.category, entity.description);
    const dash = entity.targetEntity.indexOf(" - ");
    const text = dash >= 0 ? `${entity.targetEntity.slice(0, dash)}, ${entity.targetEntity.slice(dash + 3)}` : entity.targetEntity;
    this.attrChunks = text.split(/[,;()]|\.\s|\band\b/).map((c) => words(c).map(canon));
    this.attrWords = new Set(this.attrChunks.flat());
    this.categoryStems = new Set(
      words(`${entity.category.replace(/_/g, " ")} ${descriptionPhrase(entity.description)}`)
        .filter((w) => !STOP_WORDS.has(w) && !FRAME.has(w))
        .map(canon),
    );
  }

  get className(): string {
    return this.cls.name;
  }

  /** The offline guess judge: a clear hit or not. */
  judgeGuess(guess: string): boolean {
    return this.isClearHit(guess);
  }

  answer(question: string): YesNo {
    const norm = words(question).join(" ");
    if (!norm) return "Maybe";
    let rest = norm.replace(HEAD, "");
    const headMatched = rest !== norm;
    let negated = false;
    if (/^not\s+/.test(rest)) {
      negated = true;
      rest = rest.replace(/^not\s+/, "");
    }
    rest = rest.replace(ARTICLE, "");
    // Naming the entity itself, as a question.
    if (headMatched && this.isClearHit(rest)) return flip("Yes", negated);
    if (this.isClearHit(norm)) return "Yes";
    if (/\bor\b/.test(rest) && !/\bor not$/.test(rest)) return "Maybe";

    const verdicts: YesNo[] = [];
    let remaining = rest;
    const prop = this.propertyAt(rest, headMatched) ?? this.propertyAnywhere(norm);
    if (prop) {
      verdicts.push(prop.verdict);
      remaining = prop.remaining;
    }
    const content = contentWords(remaining);
    if (content.length > 0) {
      if (content.every((w) => this.categoryStems.has(w))) verdicts.push("Yes");
      else verdicts.push(this.attributeVerdict(content));
    }
    if (verdicts.length === 0) return "Maybe";
    const combined = verdicts.includes("No") ? "No" : verdicts.every((v) => v === "Yes") ? "Yes" : "Maybe";
    return flip(combined, negated);
  }

  /** A property phrase at the head of "is it (a) …", e.g. "an animal that lives in Africa". */
  private propertyAt(rest: string, headMatched: boolean): { verdict: YesNo; remaining: string } | undefined {
    if (!headMatched) return undefined;
    let best: PropertyPhrase | undefined;
    for (const p of PROPERTY_PHRASES) {
      if ((rest === p.phrase || rest.startsWith(`${p.phrase} `)) && (!best || p.phrase.length > best.phrase.length)) best = p;
    }
    if (!best) return undefined;
    const remaining = rest.slice(best.phrase.length);
    if (!best.negated && words(best.phrase).every((w) => this.categoryStems.has(canon(w)))) return { verdict: "Yes", remaining };
    const verdict = this.fact(best.property, best.negated);
    return { verdict: best.sub && verdict === "Yes" ? "Maybe" : verdict, remaining };
  }

  /** Verb forms that name a property wherever they stand: "can you eat it", "is it made by humans". */
  private propertyAnywhere(norm: string): { verdict: YesNo; remaining: string } | undefined {
    const forms: [RegExp, Property, boolean?][] = [
      [/\b(?:can|do|could|would) (?:you|people|we|humans|one) (?:eat|cook)\b/, "food"],
      [/\b(?:can|do|could|would) (?:you|people|we|humans|one) drink\b/, "drink"],
      [/\b(?:can|could) (?:you|people|we|one) (?:visit|go to|travel to)\b/, "place"],
      [/\bdoes it (?:really )?exist\b/, "fictional", true],
      [/\b(?:is it|was it) (?:made|built|created|invented) by (?:humans|people|man)\b/, "manmade"],
      [/\b(?:is it|was it|is he|is she|was he|was she) (?:alive|living)\b/, "living"],
    ];
    for (const [re, property, neg] of forms) {
      const m = re.exec(norm);
      if (m) return { verdict: this.fact(property, neg), remaining: norm.slice(m.index + m[0].length) };
    }
    return undefined;
  }

  private fact(property: Property, negated?: boolean): YesNo {
    const v = this.cls.facts[property];
    if (v === undefined) return "Maybe";
    return (negated ? !v : v) ? "Yes" : "No";
  }

  /** Every content word in one chunk of the entity's description → Yes (No under a negation there). */
  private attributeVerdict(content: readonly string[]): YesNo {
    if (!content.every((w) => this.attrWords.has(w))) return "Maybe";
    for (const w of content) {
      const chunk = this.attrChunks.find((c) => c.includes(w));
      if (chunk) {
        const before = chunk.slice(0, chunk.indexOf(w));
        if (before.some((x) => NEGATION.has(x))) return "No";
      }
    }
    return "Yes";
  }
}

function flip(v: YesNo, negated: boolean): YesNo {
  if (!negated || v === "Maybe") return v;
  return v === "Yes" ? "No" : "Yes";
}
