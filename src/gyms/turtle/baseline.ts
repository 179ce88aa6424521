/**
 * TurtleGym baseline: a fixed battery of yes/no questions that explores the usual twists of these
 * puzzles (a death, a mistaken identity, a misunderstanding, something earlier, an illness, the objects the
 * surface names), with follow-ups opened by a "Yes"; then a story assembled from what the answers
 * established, and a second, fuller answer at the end if turns remain. It sees only what the agent sees:
 * the title, the surface and the host's answers. No LLM.
 */
import { toolCallMessage } from "../../agents/message.js";
import type { AgentReply, AgentSession, AgentView } from "../../core/types.js";
import { feedbackText, lowerFirst, sentences, shorten } from "../text-util.js";

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
  "about above after again against because before being below between could every first found from have having into later little never other over same should some still their there these they this those through under until very went were what when where which while with would your yours three later minutes hours years found loudly suddenly finally immediately".split(" "),
);
const SENTENCE_STARTERS = new Set("The A An One After When Then But And In On At This That It He She They We I My His Her Every Some Later Soon Once".split(" "));

/** Who the story is about: the narrator, the first name the surface uses, or "the main character". */
export function protagonist(surface: string): string {
  if (/\b(I|my|me)\b/.test(surface)) return "the narrator";
  const name = /(?:^|[^.!?]\s)([A-Z][a-z]{2,})\b/.exec(surface.replace(/^\W*\w+/, ""));
  const candidate = name?.[1];
  return candidate && !SENTENCE_STARTERS.has(candidate) ? candidate : "the main character";
}

/** Up to `n` distinctive words of the surface (longish, not function words, not names), in order. */
export function keyNouns(surface: string, n: number): string[] {
  const out: string[] = [];
  for (const m of surface.matchAll(/\b([a-z][a-z-]{4,})\b/g)) {
    const w = m[1];
    if (STOP.has(w) || /(ed|ing|ly|ous|ful)$/.test(w) || out.includes(w)) continue;
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
    ...nouns.map((w) => ({ id: `noun:${w}`, question: `Is the ${w} important to what really happened?`, yes: `the ${w} is central to what really happened` })),
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

  constructor(private readonly visible: { title: string; surface: string }) {
    this.probes = turtleProbes(visible.surface);
  }

  async act(view: AgentView): Promise<AgentReply> {
    if (this.pending) this.replies.set(this.pending.id, readReply(feedbackText(view)));
    this.pending = undefined;
    const turnsLeft = view.maxTurns - view.turn + 1;
    const next = this.nextProbe();
    // Answer once with a turn to spare for more questions, and again on the last turn if something was learned.
    const firstAnswerDue = this.answers === 0 && (!next || turnsLeft <= 3);
    const lastTurn = turnsLeft <= 1;
    if (firstAnswerDue || (lastTurn && this.facts().length !== this.factsAtLastAnswer) || (!next && this.facts().length !== this.factsAtLastAnswer)) {
      this.answers++;
      this.factsAtLastAnswer = this.facts().length;
      return { message: toolCallMessage("answer", this.story(), `Answering with what ${this.facts().length} answers established.`) };
    }
    if (next) {
      this.pending = next;
      return { message: toolCallMessage("action", next.question, "Narrowing down the hidden story.") };
    }
    return { message: toolCallMessage("finish", "", "No questions left to ask.") };
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
