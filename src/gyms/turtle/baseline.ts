/**
 * TurtleGym baseline: a fixed battery of yes/no questions that explores the usual twists of these
 * puzzles (a death, a mistaken identity, a misunderstanding, something earlier, an illness, the objects the
 * surface names), with follow-ups opened by a "Yes"; then a story assembled from what the answers
 * established, and a second, fuller answer at the end if turns remain. It sees only what the agent sees:
 * the title, the surface and the host's answers. No LLM.
 */
import { lastFeedback, toolCallMessage } from "../../agents/message.js";
import type { AgentReply, AgentSession, AgentView } from "../../core/types.js";
import { lowerFirst, sentences, shorten } from "../kit/text.js";
import { TURTLE_FEEDBACK } from "./scoring.js";

type Reply = "Yes" | "No" | "Maybe" | "?";

interface Probe {
  id: string;
  question: string;
  /** What the story gains from a "Yes" (and, if any, from a "No"). */
  yes: string;
  no?: string;
  /** Asked only after this probe got a "Yes". */
  after?: string;
}

const STOP = new Set(
  "about after again because before being between could every found from have into later never other over should some someone something still their there these they this those through under until very were what when where which while with would three minutes hours years time times".split(" "),
);
/** Adjectives that often sit between a determiner and the noun that matters ("the opposite balcony"). */
const ADJECTIVES = new Set("old young little small big large strange same other whole next last first only certain nearby opposite empty dark cold hot new long short".split(" "));
const NOT_NAMES = new Set(
  "The A An One Two Three After When Then But And In On At This That It He She They We I My His Her Every Some Later Soon Once During Today Yesterday There Since As While Before Why How What Who Late Early Last Next Author Mr Mrs Ms Dr".split(" "),
);
const PERSON = /\b(?:a|an|the)\s+(?:[a-z]+\s+)?(man|woman|girl|boy|wife|husband|mother|father|son|daughter|child|student|teacher|doctor|couple|driver|soldier|detective|lady|friend|king|prince|princess|patient|nurse|hunter|farmer|thief|stranger)\b/i;

/** Who the story is about: the narrator, the first person the surface names or describes, or "the main character". */
export function protagonist(surface: string): string {
  // Quoted speech says nothing about who narrates.
  const narration = surface.replace(/["“][^"”]*["”]|(^|\s)['‘](?:\w['’]\w|[^'’]){3,}?['’](?=[\s.,!?]|$)/g, " ");
  if (/\b(I|my|me|I'm|I've)\b/.test(narration)) return "the narrator";
  const person = PERSON.exec(narration);
  let name: { at: number; text: string } | undefined;
  for (const m of narration.matchAll(/\b([A-Z][a-z]+(?: [A-Z][a-z]+)?)\b/g)) {
    if (!NOT_NAMES.has(m[1].split(" ")[0])) {
      name = { at: m.index ?? 0, text: m[1] };
      break;
    }
  }
  if (person && (!name || (person.index ?? 0) < name.at)) return `the ${person[1].toLowerCase()}`;
  return name?.text ?? "the main character";
}

/** Up to `n` things the surface names (the noun after a determiner, skipping a common adjective), in order. */
export function keyNouns(surface: string, n: number): string[] {
  const out: string[] = [];
  for (const m of surface.matchAll(/\b(?:a|an|the|his|her|my|their|some|this|that)\s+([a-z]+)(?:,?\s+([a-z]+))?/gi)) {
    const first = m[1].toLowerCase();
    const w = ADJECTIVES.has(first) && m[2] ? m[2].toLowerCase() : first;
    if (w.length < 4 || STOP.has(w) || ADJECTIVES.has(w) || PERSON.test(`a ${w}`) || out.includes(w)) continue;
    out.push(w);
    if (out.length === n) break;
  }
  return out;
}

export function turtleProbes(surface: string): Probe[] {
  const who = protagonist(surface);
  const nouns = keyNouns(surface, 2);
  return [
    { id: "death", question: "Did someone die in this story?", yes: "someone died", no: "nobody died" },
    { id: "killed", after: "death", question: "Was the death caused deliberately by someone?", yes: "the death was caused on purpose", no: "the death was not a deliberate killing" },
    { id: "blame", question: `Is ${who} responsible for what happened?`, yes: `${who} caused what happened`, no: `${who} was not the one to blame` },
    { id: "identity", question: "Was someone mistaken about who another person really was?", yes: "someone was mistaken about who another person really was" },
    { id: "impostor", after: "identity", question: "Was someone pretending to be someone else?", yes: "someone was pretending to be someone else" },
    { id: "misread", question: `Did ${who} misunderstand the situation at first?`, yes: `${who} misread the situation at first` },
    { id: "earlier", question: "Does the explanation depend on something that happened before the events described?", yes: "the key lies in something that happened before the events we are told about" },
    { id: "body", question: "Does an illness, injury or disability play a role?", yes: "an illness, injury or disability plays a part" },
    { id: "danger", question: `Was ${who} in danger?`, yes: `${who} was in real danger` },
    ...nouns.map((w) => ({ id: `noun:${w}`, question: `Does the ${w} matter to what really happened?`, yes: `the ${w} is central to what really happened` })),
    { id: "purpose", question: "Was the key event done on purpose?", yes: "the key event was done on purpose", no: "the key event was an accident" },
    { id: "supernatural", question: "Is there anything supernatural in the true story?", yes: "something supernatural is involved", no: "the explanation is an ordinary, natural one" },
  ];
}

function readReply(feedback: string | undefined): Reply {
  const m = /^\W*(yes|no|maybe)\b/i.exec(feedback ?? "");
  return m ? ((m[1][0].toUpperCase() + m[1].slice(1).toLowerCase()) as Reply) : "?";
}

export class TurtleBaseline implements AgentSession {
  private readonly probes: Probe[];
  private readonly replies = new Map<string, Reply>();
  private pending?: Probe;
  private answers = 0;
  private factsAtLastAnswer = -1;
  private answeredLast = false;
  private resent = false;

  constructor(private readonly visible: { title: string; surface: string }) {
    this.probes = turtleProbes(visible.surface);
  }

  async act(view: AgentView): Promise<AgentReply> {
    const feedback = lastFeedback(view);
    if (this.pending) this.replies.set(this.pending.id, readReply(feedback));
    this.pending = undefined;
    const turnsLeft = view.maxTurns - view.turn + 1;
    // The judge could not score the last answer: send it again, once.
    if (this.answeredLast && feedback === TURTLE_FEEDBACK.fallback && !this.resent) {
      this.resent = true;
      return this.answer("The judge could not score my story; sending it again.");
    }
    const next = this.nextProbe();
    const learned = this.facts().length !== this.factsAtLastAnswer;
    // Answer once with turns to spare for more questions, again on the last turn, and when out of questions.
    if ((this.answers === 0 && turnsLeft <= 3) || ((turnsLeft <= 1 || !next) && learned)) {
      this.resent = false;
      this.factsAtLastAnswer = this.facts().length;
      this.answers++;
      return this.answer(`Answering with what ${this.facts().length} answers established.`);
    }
    this.answeredLast = false;
    if (next) {
      this.pending = next;
      return { message: toolCallMessage("action", next.question, "Narrowing down the hidden story.") };
    }
    return { message: toolCallMessage("finish", "", "No questions left to ask.") };
  }

  private answer(thought: string): AgentReply {
    this.answeredLast = true;
    return { message: toolCallMessage("answer", this.story(), thought) };
  }

  private nextProbe(): Probe | undefined {
    return this.probes.find((p) => !this.replies.has(p.id) && (!p.after || this.replies.get(p.after) === "Yes"));
  }

  private facts(): string[] {
    return this.probes.flatMap((p) => {
      const r = this.replies.get(p.id);
      if (r === "Yes") return [p.yes];
      if (r === "No" && p.no) return [p.no];
      return [];
    });
  }

  /** The story: the established facts in order, tied back to the surface's final event. */
  private story(): string {
    const facts = this.facts();
    const last = sentences(this.visible.surface).at(-1) ?? this.visible.surface;
    const body = facts.length ? `${facts.join("; ")}.` : "the situation is not what it first seems.";
    return (
      `Here is what I think really happened in "${this.visible.title}": ${body} ` +
      `Putting it together, that explains why ${lowerFirst(shorten(last, 300))}.`
    );
  }
}
