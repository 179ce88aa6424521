/**
 * Which of a task's hidden details does a clarifying question ask about? A lexical matcher shared by
 * the offline user (its coverage judge and its replies) and the fixed LLM user (which preferences it
 * is shown). Deterministic and documented:
 *
 *  - words of the question are compared with each detail's description (weight 2), its example
 *    inquiry (1) and its options (1), after dropping stop words, generic question words and the words
 *    of the task request itself (they do not tell details apart);
 *  - a small table of concepts ("budget" ~ cost, price, afford…; "duration" ~ how long, days, weeks…)
 *    lets different wordings of the same dimension meet (weight 2);
 *  - a word or concept shared by k details counts 1/k for each;
 *  - a detail is asked about when its score is at least {@link COVER_THRESHOLD} and at least half the
 *    best detail's score (so a two-part question covers two details, and pays the bundling penalty).
 */
import { contentStems, stem, words } from "../kit/lexical.js";

export interface DetailLike {
  description: string;
  inquiry: string;
  options: readonly string[];
}

/** Score a detail needs to count as asked about. */
export const COVER_THRESHOLD = 2;

/** Words that appear in most clarifying questions whatever they ask. */
const GENERIC = new Set(
  (
    "prefer preference preferred preferable favorite favourite interest interested wish plan planning mind consider considering " +
    "require required requirement requirements detail details information info help helpful share provide describe explain " +
    "exactly best good great ideal important better currently usually generally option options choose choice " +
    "could would should might may also else other regarding related include including example examples " +
    "anything something thing things particular specific kind type sort way ways idea ideas question questions " +
    "hoping hope expect expecting expectation intend intending intended looking"
  )
    .split(" ")
    .map(stem),
);

/** Dimensions that recur across tasks, with the words that name them. */
const CONCEPTS: Record<string, string[]> = {
  budget: ["budget", "cost", "costs", "price", "prices", "pricing", "afford", "affordable", "spend", "spending", "money", "expensive", "cheap", "pay", "financial", "dollars", "funds", "economy", "luxury"],
  duration: ["duration", "long", "days", "weeks", "nights", "hours", "minutes", "lasting", "length"],
  timing: ["when", "date", "dates", "time", "timing", "schedule", "deadline", "timeline", "timeframe", "soon", "month", "season", "period"],
  location: ["where", "location", "located", "area", "region", "city", "country", "near", "nearby", "local", "neighborhood", "place", "destination"],
  lodging: ["accommodation", "accommodations", "hotel", "hotels", "hostel", "lodging", "airbnb", "apartment", "resort"],
  transport: ["transport", "transportation", "car", "drive", "driving", "flight", "flights", "train", "bus", "commute", "rental"],
  diet: ["diet", "dietary", "allergy", "allergies", "vegetarian", "vegan", "gluten", "restrictions", "cuisine", "dining", "restaurant", "restaurants"],
  audience: ["audience", "readers", "reader", "viewers", "recipient", "recipients", "attendees", "whom"],
  level: ["level", "experience", "experienced", "beginner", "intermediate", "advanced", "expert", "skill", "skills", "familiar", "familiarity", "proficiency", "knowledge"],
  purpose: ["purpose", "goal", "goals", "aim", "objective", "objectives", "reason", "why"],
  style: ["style", "tone", "formal", "casual", "mood", "vibe", "aesthetic", "theme", "design", "look"],
  quantity: ["many", "number", "people", "guests", "quantity", "amount", "count", "servings", "size", "group"],
  format: ["format", "platform", "device", "medium", "online", "digital", "print", "software", "app", "tool", "tools"],
  pace: ["pace", "quickly", "fast", "speed", "slow", "rate"],
  method: ["method", "methods", "approach", "technique", "techniques"],
  frequency: ["often", "frequency", "weekly", "daily", "monthly", "regularly", "times"],
  activities: ["activities", "activity", "sightseeing", "tours", "attractions", "things to do", "hobbies", "entertainment"],
};

const CONCEPT_OF = new Map<string, string>();
for (const [concept, ws] of Object.entries(CONCEPTS)) for (const w of ws) CONCEPT_OF.set(stem(w), concept);

/** Concepts a text names (wh-words included, since "where"/"when"/"why" name a dimension). */
function conceptsOf(text: string): Set<string> {
  const out = new Set<string>();
  const ws = words(text);
  ws.forEach((w, i) => {
    const c = CONCEPT_OF.get(stem(w));
    if (c) out.add(c);
    if (w === "how" && ws[i + 1] === "long") out.add("duration");
    if (w === "how" && (ws[i + 1] === "many" || ws[i + 1] === "big")) out.add("quantity");
    if (w === "how" && ws[i + 1] === "much" && ws[i + 2] !== "time") out.add("budget");
    if (w === "who" && i === 0) out.add("audience");
  });
  return out;
}

interface DetailIndex {
  description: Set<string>;
  inquiry: Set<string>;
  options: Set<string>;
  concepts: Set<string>;
}

export class DetailMatcher {
  private readonly index: DetailIndex[];
  private readonly context: Set<string>;
  /** How many details share a word / a concept. */
  private readonly df = new Map<string, number>();
  private readonly cdf = new Map<string, number>();

  constructor(
    readonly details: readonly DetailLike[],
    taskText: string,
  ) {
    this.context = new Set(contentStems(taskText));
    const topical = (t: string) => new Set(contentStems(t).filter((w) => !GENERIC.has(w) && !this.context.has(w)));
    this.index = details.map((d) => ({
      description: topical(d.description),
      inquiry: topical(d.inquiry),
      options: topical(d.options.join(" ")),
      concepts: conceptsOf(`${d.description} ${d.inquiry}`),
    }));
    for (const d of this.index) {
      for (const w of new Set([...d.description, ...d.inquiry, ...d.options])) this.df.set(w, (this.df.get(w) ?? 0) + 1);
      for (const c of d.concepts) this.cdf.set(c, (this.cdf.get(c) ?? 0) + 1);
    }
  }

  /** Score of every detail for a question (same order as `details`). */
  scores(question: string): number[] {
    const q = contentStems(question).filter((w) => !GENERIC.has(w) && !this.context.has(w));
    const qc = conceptsOf(question);
    return this.index.map((d) => {
      let s = 0;
      for (const w of q) {
        const weight = (d.description.has(w) ? 2 : 0) + (d.inquiry.has(w) ? 1 : 0) + (d.options.has(w) ? 1 : 0);
        if (weight) s += Math.min(weight, 2) / (this.df.get(w) ?? 1);
      }
      for (const c of qc) if (d.concepts.has(c)) s += 2 / (this.cdf.get(c) ?? 1);
      return s;
    });
  }

  /**
   * Indices (into `details`, ascending) the question asks about, restricted to `among` when given.
   * `threshold` lowers the bar for uses that only need a hint (the LLM user's preferences).
   */
  asked(question: string, among?: readonly number[], threshold = COVER_THRESHOLD): number[] {
    const s = this.scores(question);
    const pool = among ?? s.map((_, i) => i);
    const best = Math.max(0, ...pool.map((i) => s[i]));
    if (best < threshold) return [];
    return pool.filter((i) => s[i] >= threshold && s[i] >= best / 2).sort((a, b) => a - b);
  }

  /** Up to `max` details the question most likely touches (score ≥ 1), best first: a hint, not a verdict. */
  hints(question: string, max = 2): number[] {
    const s = this.scores(question);
    return s
      .map((score, i) => ({ score, i }))
      .filter((x) => x.score >= 1)
      .sort((a, b) => b.score - a.score || a.i - b.i)
      .slice(0, max)
      .map((x) => x.i);
  }
}
