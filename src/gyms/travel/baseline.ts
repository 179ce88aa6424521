/**
 * TravelGym's scripted baseline. It reads only what an agent sees: the first user message, search results
 * and the traveller's replies. For each aspect, in the order the traveller mentions them, it
 *   1. searches with the place and dates from the first message (retrying a failed search),
 *   2. asks concrete questions about that aspect, one kind of preference at a time, within a turn budget
 *      that leaves room to search and answer every aspect,
 *   3. recommends the cheapest option that satisfies every preference it has understood.
 * It understands a reply when the reply contains a statement it recognises from the generator's
 * preference vocabulary (how travellers put each kind of wish) — the offline user's replies — or, for an LLM
 * user's paraphrase, as an answer to the question it just asked (`readAnswer`).
 */
import { lastFeedback, toolCallMessage } from "../../agents/message.js";
import type { AgentReply, AgentSession, AgentView } from "../../core/types.js";
import { contentStems } from "../kit/lexical.js";
import { ASPECTS, LABEL, type Aspect } from "./aspects.js";
import { DOMAINS, type AnyTemplate } from "./generator/domain/index.js";
import type { OptionJson, PrefSpec, PrefValue } from "./generator/domain/types.js";
import { aspectsInDescription, parseTrip, searchArguments } from "./trip.js";

type Move = { kind: "search" | "answer"; aspect: Aspect } | { kind: "ask"; aspect: Aspect; template: AnyTemplate } | { kind: "finish" };

/** At most this many searches per aspect before giving up on it. */
const SEARCH_TRIES = 3;

/** A search query in the user's words: "hotel in Paris from April 10th to April 15th". */
export function searchQuery(aspect: Aspect, args: Record<string, string>): string {
  switch (aspect) {
    case "flight":
      return `flight from ${args.origin ?? ""} to ${args.destination ?? ""} on ${args.departure_date ?? ""}${args.arrival_date ? ` arriving ${args.arrival_date}` : ""}`;
    case "restaurant":
      return `restaurant in ${args.location ?? ""} ${args.date ? `on ${args.date}` : `from ${args.start_date ?? ""} to ${args.end_date ?? ""}`}`;
    default: {
      const [from, to] = aspect === "rental_car" ? [args.pickup_date, args.return_date] : [args.check_in_date, args.check_out_date];
      return `${LABEL[aspect]} in ${args.location ?? ""}${from ? (to ? ` from ${from} to ${to}` : ` on ${from}`) : ""}`;
    }
  }
}

/** Every (template, value) whose wording appears in a reply: what the traveller revealed. */
export function decodeReply(reply: string, aspects: readonly Aspect[]): { aspect: Aspect; spec: PrefSpec }[] {
  const out: { aspect: Aspect; spec: PrefSpec }[] = [];
  for (const aspect of aspects) {
    for (const t of DOMAINS[aspect].templates) {
      for (const v of t.values) if (reply.includes(t.implicit(v))) out.push({ aspect, spec: { template: t.key, value: v } });
    }
  }
  return out;
}

/** Replies that reveal nothing: the gym's fixed lines, and a simulated user saying it has no wish there. */
const REVEALS_NOTHING =
  /\b(?:no|not have any|do not have|don't have|dont have)\s+(?:a\s+|any\s+)?(?:particular\s+|specific\s+|real\s+|strong\s+)?preference|not sure how to respond|too vague|anything in particular|doesn'?t (?:really )?matter|don'?t (?:really )?mind|no strong feelings|whatever (?:works|is cheapest)|either (?:way|is fine)/i;

/** Content words (stemmed) and the numbers of a text, for telling a reply's meaning apart. */
function meaningTokens(text: string): Set<string> {
  return new Set([...contentStems(text), ...(text.match(/\d+(?:\.\d+)?/g) ?? [])]);
}

/**
 * What a paraphrased reply to the question about `template` reveals: that preference, with the parameter value
 * whose own wording shares the most distinctive words (numbers and names above all) with the reply. Undefined when
 * the reply reveals nothing, talks about another part of the trip, or does not tell the values apart.
 */
export function readAnswer(reply: string, aspect: Aspect, template: AnyTemplate): PrefSpec | undefined {
  if (REVEALS_NOTHING.test(reply)) return undefined;
  const mentioned = (a: Aspect) => new RegExp(`\\b${LABEL[a].replace(/ /g, "\\s+")}s?\\b`, "i").test(reply);
  if (!mentioned(aspect) && ASPECTS.some((a) => a !== aspect && mentioned(a))) return undefined;
  const values = template.values;
  if (values.length === 1) return { template: template.key, value: values[0] };
  const wording = values.map((v) => meaningTokens(`${template.implicit(v)} ${template.text(v)} ${v ?? ""}`));
  const shared = new Set([...wording[0]].filter((t) => wording.every((w) => w.has(t))));
  const said = meaningTokens(reply);
  const scores = wording.map((w) => [...w].filter((t) => !shared.has(t) && said.has(t)).length);
  const best = Math.max(...scores);
  if (best === 0 || scores.filter((x) => x === best).length > 1) return undefined;
  return { template: template.key, value: values[scores.indexOf(best)] };
}

export class TravelBaseline implements AgentSession {
  private aspects: Aspect[] = [];
  private queries = new Map<Aspect, string>();
  private options = new Map<Aspect, OptionJson[]>();
  private searches = new Map<Aspect, number>();
  private known = new Map<Aspect, PrefSpec[]>();
  private asked = new Map<Aspect, Set<string>>();
  private done = new Set<Aspect>();
  private quota = new Map<Aspect, number>();
  private questions = new Map<Aspect, number>();
  private last?: Move;

  async act(view: AgentView): Promise<AgentReply> {
    if (this.aspects.length === 0) this.plan(view);
    this.observe(lastFeedback(view));
    const move = this.decide(view.maxTurns - view.turn + 1);
    this.last = move;
    switch (move.kind) {
      case "search":
        this.searches.set(move.aspect, (this.searches.get(move.aspect) ?? 0) + 1);
        return { message: toolCallMessage("search", this.queries.get(move.aspect)!, `Looking up ${LABEL[move.aspect]} options.`) };
      case "ask":
        this.asked.get(move.aspect)!.add(move.template.slot);
        this.questions.set(move.aspect, (this.questions.get(move.aspect) ?? 0) + 1);
        return { message: toolCallMessage("action", move.template.question, `Asking about ${move.template.subcategory}.`) };
      case "answer":
        this.done.add(move.aspect);
        return { message: toolCallMessage("answer", this.pick(move.aspect), `Recommending a ${LABEL[move.aspect]}.`) };
      case "finish":
        return { message: toolCallMessage("finish", "", "Every part of the trip has a recommendation.") };
    }
  }

  private plan(view: AgentView): void {
    const first = view.messages.find((m) => m.role === "user")?.content ?? "";
    this.aspects = aspectsInDescription(first);
    const trip = parseTrip(first, this.aspects);
    for (const a of this.aspects) {
      this.queries.set(a, searchQuery(a, searchArguments(trip[a] ?? { aspect: a, days: [] })));
      this.known.set(a, []);
      this.asked.set(a, new Set());
    }
  }

  private observe(feedback: string | undefined): void {
    const last = this.last;
    if (!feedback || !last || last.kind === "finish") return;
    if (last.kind === "search") {
      const marker = `Here are all the options for <${last.aspect}>:`;
      const at = feedback.indexOf(marker);
      if (at >= 0) this.options.set(last.aspect, parseListing(feedback.slice(at + marker.length)));
      return;
    }
    if (last.kind === "ask") {
      const decoded = decodeReply(feedback, this.aspects);
      // Not in the generator's words: perhaps an LLM user's paraphrase of the answer to this very question.
      const answer = decoded.length === 0 ? readAnswer(feedback, last.aspect, last.template) : undefined;
      for (const { aspect, spec } of answer ? [{ aspect: last.aspect, spec: answer }] : decoded) {
        const list = this.known.get(aspect)!;
        if (!list.some((s) => s.template === spec.template)) list.push(spec);
        // Nothing more to ask in that slot.
        const t = DOMAINS[aspect].templates.find((x) => x.key === spec.template);
        if (t) this.asked.get(aspect)!.add(t.slot);
      }
    }
  }

  private decide(turnsLeft: number): Move {
    const current = this.aspects.find((a) => !this.done.has(a));
    if (!current) return { kind: "finish" };
    if (!this.options.has(current)) {
      if ((this.searches.get(current) ?? 0) < SEARCH_TRIES && turnsLeft > 1) return { kind: "search", aspect: current };
      return { kind: "answer", aspect: current };
    }
    const left = this.aspects.filter((a) => !this.done.has(a)).length;
    // Keep one turn to answer this aspect and two (search, answer) for each one after it.
    const spare = turnsLeft - 1 - 2 * (left - 1);
    // This aspect's share of the spare turns, fixed when its questions start.
    if (!this.quota.has(current)) this.quota.set(current, Math.max(0, Math.ceil(spare / left)));
    const asked = this.questions.get(current) ?? 0;
    const next = DOMAINS[current].templates.find((t: AnyTemplate) => !this.asked.get(current)!.has(t.slot));
    if (next && spare > 0 && asked < this.quota.get(current)!) return { kind: "ask", aspect: current, template: next };
    return { kind: "answer", aspect: current };
  }

  /** The cheapest listed option that satisfies every understood preference (the cheapest of all if none does). */
  private pick(aspect: Aspect): string {
    const opts = this.options.get(aspect) ?? [];
    if (opts.length === 0) return "";
    const domain = DOMAINS[aspect];
    const specs = this.known.get(aspect)!;
    const tests = specs.map((s) => ({ s, t: domain.templates.find((x: AnyTemplate) => x.key === s.template)! }));
    const fits = opts.filter((o) => tests.every(({ s, t }) => t.test(o, s.value as PrefValue)));
    const pool = fits.length ? fits : opts;
    const price = (o: OptionJson) => {
      const p = domain.price(o, specs);
      return Number.isFinite(p) ? p : Number.MAX_VALUE;
    };
    return pool.reduce((a, b) => (price(b) < price(a) ? b : a)).id;
  }
}

function parseListing(text: string): OptionJson[] {
  const out: OptionJson[] = [];
  for (const line of text.split("\n")) {
    const t = line.trim();
    if (!t.startsWith("{")) continue;
    try {
      const o = JSON.parse(t) as OptionJson;
      if (o && typeof o.id === "string") out.push(o);
    } catch {
      /* not an option line */
    }
  }
  return out;
}
