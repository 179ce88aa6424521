/**
 * PersuadeGym baseline: a series of distinct arguments that escalate — from questioning the user's own
 * main reasons, through consequences, evidence and a middle ground, to a summary and a direct appeal.
 * Each one is built from what the agent is shown (the claim and the user's stated reasoning) and opens by
 * answering the user's latest objection. No LLM.
 */
import { lastFeedback, toolCallMessage } from "../../agents/message.js";
import type { AgentReply, AgentSession, AgentView } from "../../core/types.js";
import { lowerFirst, sentences, shorten } from "../kit/text.js";

const REASON_CUES =
  /\b(because|reason|important|would|should|must|cost|harm|benefit|risk|first|second|evidence|study|studies|percent|unfair|fair|safety|money|lead to|result)\b|%/i;

/** Up to three of the user's reasons, in the order they gave them. */
export function mainReasons(argument: string): string[] {
  const scored = sentences(argument)
    .map((s, i) => ({ s, i, score: (REASON_CUES.test(s) ? 2 : 0) + Math.min(s.length, 220) / 220 }))
    .filter((x) => x.s.length >= 30);
  return scored
    .sort((a, b) => b.score - a.score || a.i - b.i)
    .slice(0, 3)
    .sort((a, b) => a.i - b.i)
    .map((x) => shorten(x.s, 170));
}

/** The escalating arguments for one claim. */
export function persuadeArguments(claim: string, argument: string): string[] {
  const c = `"${shorten(claim, 200)}"`;
  const [r1, r2, r3] = mainReasons(argument);
  const you = (r: string | undefined, fallback: string) => (r ? `"${r}"` : fallback);
  return [
    `You hold that ${lowerFirst(shorten(claim, 200))}. I see why: you point out ${you(r1, "the reasons you gave")}. ` +
      "But that reason describes how things are today, not how they have to be. If the conditions behind it change, and " +
      "policy, money or better design can change them, the conclusion no longer follows. A claim this strong has to hold in the " +
      "hard cases too, and I don't think this one does.",
    `Take your point ${you(r2, "about the practical difficulties")}. Even if it is true, it shows at most that a change has to be ` +
      `handled carefully, not that ${c} is right. Problems of implementation are reasons to design the alternative well, not ` +
      "reasons to reject it; plenty of reforms looked unworkable on exactly these grounds and worked once they were phased in.",
    `Consider who pays for keeping things as ${c} says. The people most affected are usually the ones with the least say, and ` +
      "the costs fall on them quietly while the benefits are easy to see. A position is only fair if you would accept it from " +
      "their side as well. Would you, if you stood where they stand?",
    `You also argue ${you(r3, "that the current arrangement works well enough")}. That concern cuts both ways: the same reasoning, ` +
      "applied consistently, would justify conclusions you would not accept. When an argument proves too much, it is missing " +
      "something, and here it is the interests of everyone the claim leaves out.",
    "Look at what happened where the opposite of the claim was tried. The harms people predicted turned out smaller than feared, " +
      "or did not appear at all, while the benefits could be measured. Experience should count for more than prediction, and " +
      `experience does not support ${c}.`,
    `Even if you are not ready to reject it entirely, can we agree that ${c} is too absolute as stated? There are clear cases ` +
      "where it fails, and a rule that fails in clear cases should at least be qualified. That alone means you no longer agree " +
      "with it as written.",
    "The values behind your position, fairness, responsibility and stability, are values I share. Taken seriously, each of them " +
      `points away from ${c}: the current arrangement treats similar people differently and leaves the costs where they happen to fall.`,
    `The burden of proof is on the claim. For ${c} to stand it must beat every reasonable alternative, not merely be defensible. ` +
      "We have seen alternatives that meet your own concerns, and none of your reasons shows that they would fail.",
    "Let me put it together. Your main reasons depend on conditions that can change; the costs of the claim fall on people who " +
      "are not heard; experience elsewhere contradicts its predictions; and as stated it is too absolute to hold. The honest " +
      `conclusion is to disagree with ${c}.`,
    "One last point. Holding on to a view after its reasons have been answered is not consistency but inertia. You have engaged " +
      `fairly with every argument, which is why I think you can now see that ${c} does not survive scrutiny. Do you now disagree with it?`,
  ];
}

/** A short acknowledgement of the user's latest reply: its first objection-like sentence, quoted back. */
function acknowledge(reply: string | undefined): string {
  if (!reply) return "";
  const all = sentences(reply);
  const pick = all.find((s) => /\b(but|however|still|concern|not convinced|disagree|doubt)\b/i.test(s)) ?? all[0];
  return pick ? `You said: "${shorten(pick, 140)}." Fair enough, but consider this. ` : "";
}

export class PersuadeBaseline implements AgentSession {
  private readonly plan: string[];
  private next = 0;

  constructor(visible: { claim: string; argument: string }) {
    this.plan = persuadeArguments(visible.claim, visible.argument);
  }

  async act(view: AgentView): Promise<AgentReply> {
    if (this.next >= this.plan.length) {
      return { message: toolCallMessage("finish", "", "I have made every argument I have.") };
    }
    const text = (this.next > 0 ? acknowledge(lastFeedback(view)) : "") + this.plan[this.next];
    this.next++;
    return { message: toolCallMessage("answer", text, `Argument ${this.next} of ${this.plan.length}.`) };
  }
}
