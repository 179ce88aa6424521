/**
 * SearchGym baseline: a scripted reader that only sees what an agent sees (the question in the first
 * user message, then the search results).
 *
 * 1. Search with the question itself.
 * 2. Guess the answer type from the question's wording: a date, a year, a number, yes/no, or a name.
 * 3. Collect candidates of that type from the results: answer-box lines first, then dates, years,
 *    numbers with units, or capitalised spans and result titles, leaving out anything already in the
 *    question. Each occurrence scores by its result's rank times the question terms its sentence shares,
 *    each term weighted by how few results contain it (so "died" counts more than "king" when every
 *    result mentions a king) and less when the result's title holds it. For "who" questions, multi-word names score higher and place names lower;
 *    for "what is the <noun> of …" questions, a value stated as "<noun> is X" scores higher.
 * 4. A question with a time clause ("… in the year that Citibank was founded", "… when X was
 *    discovered") is a two-hop question: the best year for the clause is the bridge. Candidates whose
 *    sentence has a year range covering it ("from 1809 to 1817") score higher, and the second search
 *    replaces the clause with the year.
 * 5. Answer the best untried candidate, at most 2 per search; then search once more (with the bridge
 *    year, or the question plus the strongest name of the first results) and answer from the new
 *    results. At most 4 answers in all; finish when no candidate is left.
 */
import { lastFeedback, lastToolArgs, toolCallMessage } from "../../agents/message.js";
import type { AgentReply, AgentSession, AgentView } from "../../core/types.js";
import { canonicalDate, compactNormalize } from "./match.js";
import { DIRECT_ANSWER_TITLE } from "./providers/searxng.js";
import { STOP_WORDS, terms, words } from "./text.js";

/** Answers tried per search, and searches per episode. */
const ANSWERS_PER_SEARCH = 2;
const MAX_SEARCHES = 2;
const MAX_ANSWERS = ANSWERS_PER_SEARCH * MAX_SEARCHES;

export type AnswerType = "date" | "year" | "number" | "yesno" | "entity";

export function answerType(question: string): AnswerType {
  const q = question.toLowerCase().trim();
  if (/\b(what|which) year\b|\bin what year\b/.test(q)) return "year";
  if (/^when\b|\bwhat date\b|\bon what (day|date)\b/.test(q)) return "date";
  if (
    /^how (many|much)\b|\bhow (large|long|tall|high|far|old|big|deep|fast)\b|\bdeath toll\b/.test(q) ||
    /\bwhat (is|was) the (maximum |highest |total )?(length|elevation|airspeed|height|area|population)\b/.test(q)
  ) {
    return "number";
  }
  if (/^(can|could|is|are|was|were|do|does|did|has|have|had|will|would|should)\b/.test(q)) return "yesno";
  return "entity";
}

/** The time clause of a two-hop question: "in the year that Citibank was founded" → "Citibank was founded". */
export function timeClause(question: string): { clause: string; start: number } | undefined {
  const m = /\s(?:in the year (?:that |when )?|in the same year (?:that |as )?|when |during |at the time (?:that |when )?)(.+?)\??$/i.exec(question);
  return m && m.index > 0 ? { clause: m[1], start: m.index } : undefined;
}

/** One numbered entry of a search-results feedback. */
export interface ResultEntry {
  rank: number;
  title: string;
  text: string;
  isAnswer: boolean;
}

/** Parse `Search results for '…':\n1. Title\n- Snippet: …` (a trailing `Reward:` line is ignored). */
export function parseResults(feedback: string): ResultEntry[] {
  const body = feedback.replace(/\nReward: [^\n]*$/, "");
  const nl = body.indexOf("\n");
  if (!body.startsWith("Search results for ") || nl < 0) return [];
  const out: ResultEntry[] = [];
  for (const block of body.slice(nl + 1).split(/\n(?=\d+\. )/)) {
    const m = /^(\d+)\. ([^\n]*)\n- (Snippet|Answer): ([\s\S]*)$/.exec(block);
    if (m) out.push({ rank: Number(m[1]), title: m[2], text: m[4].trim(), isAnswer: m[3] === "Answer" });
  }
  return out;
}

const MONTH_NAMES = "January|February|March|April|May|June|July|August|September|October|November|December";
const MONTH = "(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\\.?";
const FULL_DATE = new RegExp(`\\b(?:${MONTH}\\s+\\d{1,2}(?:st|nd|rd|th)?,?\\s+\\d{3,4}|\\d{1,2}(?:st|nd|rd|th)?\\s+${MONTH},?\\s+\\d{3,4})\\b`, "g");
const YEAR = /\b(?:\d{3,4}\s?(?:BC|BCE|AD|CE)\b|1\d{3}\b|20\d{2}\b)/g;
const YEAR_RANGE = /\b(1\d{3}|20\d{2})\s*(?:to|until|–|-|—)\s*(1\d{3}|20\d{2})\b/g;
const UNIT =
  "(?:square kilometers|square kilometres|square miles|km\\/h|mph|km2|km²|kilometers|kilometres|km|miles|meters|metres|m|feet|ft|grams|g|kg|tonnes|tons|people|percent|%)";
const NUMBER = new RegExp(`(?<![\\w.])\\d[\\d,]*(?:\\.\\d+)?(?:\\s?${UNIT}(?!\\w))?`, "g");
const CONNECTOR = "(?:of|the|de|da|del|der|van|von|la|le|du|al|bin)";
const NAME_WORD = "[\\p{Lu}][\\p{L}\\p{M}'’.\\-]*";
const SPAN = new RegExp(`${NAME_WORD}(?:\\s+(?:${CONNECTOR}\\s+)*${NAME_WORD})*`, "gu");
/** Capitalised words that are not names on their own. */
const NOT_NAMES = new RegExp(`^(?:${MONTH_NAMES}|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|He|She|It|They|We|This|That|There|After|During|When|The|A|An|In|On|At|By|His|Her|Its|Their)$`);
const PLACE_WORDS = /\b(City|County|State|States|River|Island|Ocean|Sea|Lake|Mount|Mountain|Street|Kingdom|Empire|Republic|Province|Castle)\b/;

interface Candidate {
  text: string;
  score: number;
  /** Seen as a result title (titles name things canonically). */
  title?: boolean;
}

export interface RankOptions {
  type?: AnswerType;
  /** The bridge year of a two-hop question: candidates in a sentence whose year range covers it gain. */
  bridgeYear?: number;
}

/** Candidates of the wanted type in the results, best first. */
export function rankCandidates(question: string, entries: readonly ResultEntry[], opts: RankOptions = {}): Candidate[] {
  const type = opts.type ?? answerType(question);
  if (type === "yesno") return [{ text: "Yes", score: 1 }, { text: "No", score: 0.5 }];
  const weigh = termWeights(question, entries);
  const who = /^who\b|\bwho (was|is|were)\b/i.test(question);
  const qTerms = new Set(terms(question));
  const relation = relationNoun(question);
  const found = new Map<string, Candidate>();
  const add = (raw: string, weight: number, title = false) => {
    const text = raw.replace(/[\s,;:]+$/, "").replace(/(?<!\b\p{Lu})\.$/u, "").trim();
    if (!text || NOT_NAMES.test(text) || isInQuestion(text, qTerms) || words(text).every((w) => STOP_WORDS.has(w))) return;
    let w = weight;
    if (type === "entity" && who) w *= (text.includes(" ") ? 1.5 : 0.3) * (PLACE_WORDS.test(text) ? 0.3 : 1);
    const key = compactNormalize(text);
    const c = found.get(key);
    if (c) {
      c.score += w;
      c.title ||= title;
    } else found.set(key, { text, score: w, title });
  };
  let dateFound = false;
  for (const e of entries) {
    const rankWeight = 1 / e.rank;
    if (e.isAnswer) {
      add(e.text, 10 * rankWeight);
      continue;
    }
    const titleTerms = new Set(terms(e.title));
    for (const sentence of sentences(e.text)) {
      let w = rankWeight * (1 + weigh(sentence, titleTerms));
      if (opts.bridgeYear !== undefined && covers(sentence, opts.bridgeYear)) w *= 3;
      const items = extract(type, sentence);
      if (type === "date" && items.some((x) => /[A-Za-z]/.test(x))) dateFound = true;
      const stated = relation ? statedValue(sentence, relation) : undefined;
      for (const c of items) add(c, stated !== undefined && stated.startsWith(c) ? 3 * w : w);
    }
    if (type === "entity" && e.title !== DIRECT_ANSWER_TITLE) add(cleanTitle(e.title), rankWeight, true);
  }
  let list = [...found.values()];
  // A full date beats a bare year when the question asks "when".
  if (type === "date" && dateFound) list = list.filter((c) => canonicalDate(c.text) !== undefined);
  if (type === "entity") list = mergeNames(list);
  return list.sort((a, b) => b.score - a.score || a.text.localeCompare(b.text));
}

/**
 * How strongly a sentence is about the question: its shared terms, each weighted 1 / (results holding
 * it), and a quarter of that for terms of the result's own title (a page about William IV names him in
 * every sentence; the sentence that also says "died" is the one about his death).
 */
function termWeights(question: string, entries: readonly ResultEntry[]): (sentence: string, titleTerms: Set<string>) => number {
  const qTerms = new Set(terms(question));
  const df = new Map<string, number>();
  for (const e of entries) for (const t of new Set(terms(`${e.title} ${e.text}`))) if (qTerms.has(t)) df.set(t, (df.get(t) ?? 0) + 1);
  return (sentence, titleTerms) => {
    let sum = 0;
    for (const t of new Set(terms(sentence))) if (qTerms.has(t)) sum += (titleTerms.has(t) ? 0.25 : 1) / (df.get(t) ?? 1);
    return sum;
  };
}

/** The noun a "what/who is the <noun> of …" question asks for: "capital", "father", "head". */
function relationNoun(question: string): string | undefined {
  return /^(?:what|who|which)\s+(?:is|was|were|are)\s+the\s+(\w+)\s+of\b/i.exec(question.trim())?.[1]?.toLowerCase();
}

/** The text right after "<noun> is/was" in a sentence ("Its capital is New Delhi" → "New Delhi …"). */
function statedValue(sentence: string, noun: string): string | undefined {
  const m = new RegExp(`\\b${noun}\\s+(?:is|was)\\s+(?:the\\s+)?(.+)$`, "i").exec(sentence);
  return m?.[1];
}

function covers(sentence: string, year: number): boolean {
  for (const m of sentence.matchAll(YEAR_RANGE)) if (Number(m[1]) <= year && year <= Number(m[2])) return true;
  return false;
}

function extract(type: AnswerType, sentence: string): string[] {
  switch (type) {
    case "date": {
      const full = sentence.match(FULL_DATE) ?? [];
      return full.length ? full : (sentence.match(YEAR) ?? []);
    }
    case "year":
      return sentence.match(YEAR) ?? [];
    case "number":
      return (sentence.match(NUMBER) ?? []).filter((n) => !/^(1\d{3}|20\d{2})$/.test(n)); // bare years are not amounts
    default:
      return (sentence.match(SPAN) ?? []).map((s) => s.replace(/^(The|A|An|In|On|At|By|His|Her|Its|Their)\s+/, ""));
  }
}

/**
 * Names that are parts of one another ("Madison" in "James Madison", "David Dinkins" in "David Norman
 * Dinkins") pool their scores under one form: a result title when one of them is a title, else the
 * longer.
 */
function mergeNames(list: Candidate[]): Candidate[] {
  const out: Candidate[] = [];
  const ordered = [...list].sort((a, b) => Number(b.title ?? false) - Number(a.title ?? false) || b.text.length - a.text.length);
  for (const c of ordered) {
    const cw = words(c.text);
    const host = out.find((o) => {
      const ow = new Set(words(o.text));
      const sub = cw.every((w) => ow.has(w)) || (o.title && !c.title && words(o.text).every((w) => cw.includes(w) || /^\p{L}$/u.test(w)));
      return sub && words(o.text).length > 0;
    });
    if (host) host.score += c.score;
    else out.push({ ...c });
  }
  return out;
}

/** Sentences, not split after initials ("Thomas O. Paine") or abbreviations like "U.S.". */
function sentences(text: string): string[] {
  return text.split(/(?<=[.!?])(?<!(?:^|[\s(.])\p{Lu}\.)\s+(?=[\p{Lu}\d])/u);
}

function isInQuestion(candidate: string, qTerms: Set<string>): boolean {
  const ts = terms(candidate);
  return ts.length > 0 && ts.every((t) => qTerms.has(t));
}

/** Web page titles carry site names: "James Madison - Wikipedia" → "James Madison". */
function cleanTitle(title: string): string {
  return title.split(/\s[-–—|]\s/)[0].replace(/\s*\(.*\)$/, "").trim();
}

/** The question: the first line of the first user message. */
export function questionOf(view: AgentView): string {
  const first = view.messages.find((m) => m.role === "user")?.content ?? "";
  return first.split("\n")[0].trim();
}

export class SearchBaseline implements AgentSession {
  private question = "";
  /** Parsed results of each search, in order. */
  private readonly results: ResultEntry[][] = [];
  private readonly tried = new Set<string>();
  private searches = 0;
  private answersSinceSearch = 0;
  private answers = 0;
  private searchBlocked = false;
  private bridgeYear?: number;

  async act(view: AgentView): Promise<AgentReply> {
    if (!this.question) this.question = questionOf(view);
    this.observe(view);
    if (!this.question) return { message: toolCallMessage("finish", "", "I cannot find a question to answer.") };
    if (this.searches === 0) return this.search(this.question, "First, search for the question itself.");

    const latest = this.results.length ? this.best(this.results[this.results.length - 1]) : undefined;
    if (latest && this.answersSinceSearch < ANSWERS_PER_SEARCH) return this.answer(latest);
    if (this.searches < MAX_SEARCHES && !this.searchBlocked) {
      const query = this.secondQuery();
      if (query) return this.search(query, "Searching again with what the first results suggest.");
    }
    // Out of searches: the best remaining candidate of any search, within the overall answer budget.
    if (this.answers < MAX_ANSWERS) {
      for (const r of [...this.results].reverse()) {
        const c = this.best(r);
        if (c) return this.answer(c);
      }
    }
    return { message: toolCallMessage("finish", "", "No candidate answer is left.") };
  }

  private search(query: string, thought: string): AgentReply {
    this.searches++;
    this.answersSinceSearch = 0;
    return { message: toolCallMessage("search", query, thought) };
  }

  private answer(c: Candidate): AgentReply {
    this.answersSinceSearch++;
    this.answers++;
    this.tried.add(compactNormalize(c.text));
    return { message: toolCallMessage("answer", c.text, `The results point to "${c.text}".`) };
  }

  private observe(view: AgentView): void {
    const feedback = lastFeedback(view);
    if (!feedback || lastToolArgs(view)?.choice !== "search") return;
    if (feedback.startsWith("You have reached the maximum number of search steps")) this.searchBlocked = true;
    const entries = parseResults(feedback);
    if (!entries.length) return;
    this.results.push(entries);
    if (this.results.length === 1) this.bridgeYear = this.findBridgeYear(entries);
  }

  /** For a question with a time clause, the year the clause's event happened according to the results. */
  private findBridgeYear(entries: ResultEntry[]): number | undefined {
    const type = answerType(this.question);
    const tc = timeClause(this.question);
    if (!tc || type === "date" || type === "year") return undefined;
    const top = rankCandidates(tc.clause, entries, { type: "year" })[0];
    const y = top ? /\d{4}/.exec(top.text) : null;
    return y ? Number(y[0]) : undefined;
  }

  private best(entries: ResultEntry[]): Candidate | undefined {
    return rankCandidates(this.question, entries, { bridgeYear: this.bridgeYear }).find((c) => !this.tried.has(compactNormalize(c.text)));
  }

  /**
   * The second hop: the question with its time clause replaced by the bridge year; else the question
   * plus the first results' strongest name, which is often the bridge entity even when it was a wrong
   * answer ("India" for "the capital of the country where yoga originated").
   */
  private secondQuery(): string | undefined {
    const tc = timeClause(this.question);
    if (tc && this.bridgeYear !== undefined) return `${this.question.slice(0, tc.start)} in ${this.bridgeYear}`;
    const first = this.results[0];
    const name = first ? rankCandidates(this.question, first, { type: "entity" })[0] : undefined;
    return name ? `${this.question} ${name.text}` : undefined;
  }
}
