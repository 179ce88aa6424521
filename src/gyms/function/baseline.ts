/**
 * FunctionGym baseline: get the test case, probe the function on fixed inputs, search the rule family
 * for expressions that reproduce every probe, and answer with the most supported prediction. It only
 * reads the gym's feedback, never the hidden rule.
 */
import type { AgentReply, AgentSession, AgentView } from "../../core/types.js";
import { lastFeedback, lastToolArgs, toolCallMessage } from "../../agents/message.js";
import { evalCand, matches, rankAnswers, synthesize, type Cand, type Point } from "./synth.js";
import { pyParseFloat } from "../../core/pyformat.js";

/** Distinct small inputs: small enough for power rules, varied enough to tell positions apart. */
const PROBES: number[][] = [
  [2, 3, 4, 5],
  [3, 5, 2, 4],
  [5, 2, 3, 6],
  [4, 6, 5, 2],
  [6, 4, 2, 3],
  [2, 5, 6, 3],
  [3, 2, 6, 4],
  [5, 3, 4, 2],
  [4, 2, 3, 7],
  [7, 3, 2, 4],
  [2, 7, 3, 5],
];

/** Probes to see before the first search (fewer make observationally-equal subexpressions likely). */
const MIN_PROBES = 5;

export class FunctionBaseline implements AgentSession {
  private test?: number[];
  private readonly points: Point[] = [];
  private survivors?: Cand[];
  private readonly tried: number[] = [];
  private probeIndex = 0;

  async act(view: AgentView): Promise<AgentReply> {
    this.observe(view);
    const turnsLeft = view.maxTurns - view.turn + 1;
    if (!this.test) return { message: toolCallMessage("search", "test", "First I need the test case.") };

    if (this.points.length >= MIN_PROBES && !this.survivors) this.survivors = synthesize(this.points, this.test);
    const answers = this.survivors ? rankAnswers(this.survivors, this.test).filter((a) => !this.tried.some((t) => same(t, a.value))) : [];
    const decided = this.survivors !== undefined && answers.length === 1;
    const probe = this.nextProbe();
    const mustAnswer = !probe || turnsLeft <= Math.max(1, answers.length);
    if ((decided || mustAnswer) && answers.length > 0) {
      const value = answers[0].value;
      this.tried.push(value);
      return {
        message: toolCallMessage("answer", formatNumber(value), `${answers.length} candidate value(s) remain; answering ${formatNumber(value)}.`),
      };
    }
    if (probe) return { message: toolCallMessage("action", probe.join(" "), "Probing the function on another input.") };
    return { message: toolCallMessage("finish", "", "No hypothesis fits the probes; giving up.") };
  }

  private nextProbe(): number[] | undefined {
    while (this.probeIndex < PROBES.length) {
      const p = PROBES[this.probeIndex];
      if (!this.test || !p.every((v, i) => v === this.test![i])) return p;
      this.probeIndex++;
    }
    return undefined;
  }

  /** Read the feedback to the previous move. */
  private observe(view: AgentView): void {
    const feedback = lastFeedback(view);
    const last = lastToolArgs(view);
    if (!feedback || !last) return;
    const tc = /^Test case: \[([^\]]*)\]/.exec(feedback);
    if (tc) {
      this.test = tc[1].split(",").map((s) => Number(s.trim()));
      return;
    }
    if (last.choice !== "action") return;
    const x = last.content.split(/\s+/).map(Number);
    this.probeIndex++;
    const m = /the result is (.+)\.$/.exec(feedback);
    let y: number | null | undefined;
    if (m) y = pyParseFloat(m[1]);
    else if (feedback.startsWith("Error")) y = null;
    if (y === undefined) return;
    const point: Point = { x, y };
    this.points.push(point);
    if (this.survivors) {
      this.survivors = this.survivors.filter((c) => {
        let v: number;
        try {
          v = evalCand(c, x);
        } catch {
          v = NaN;
        }
        return matches(v, point.y);
      });
    }
  }
}

function same(a: number, b: number): boolean {
  return Math.abs(a - b) <= 1e-7 * Math.max(1, Math.abs(a));
}

/** A number as the gym will parse it back, without float noise where the value is near an integer. */
function formatNumber(v: number): string {
  const r = Math.round(v);
  return Math.abs(v - r) < 1e-9 ? String(r) : String(v);
}
