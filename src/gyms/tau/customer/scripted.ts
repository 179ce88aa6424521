/**
 * The deterministic (offline) customer, built from the task's instruction, its ground-truth actions
 * and the database — no model. On each agent message it:
 * 1. ends the conversation (`###STOP###`) when its goal is met: the live database equals the ground
 *    truth, every required output has been said, and — on a task that changes nothing — the agent has
 *    looked it up; or when the agent says goodbye; or after `maxTurns` replies;
 * 2. says "yes" to a confirmation question while something is still to be done (unless the agent is
 *    still asking who it is);
 * 3. otherwise answers identity questions from its user record and states its next pending request
 *    (the first ground-truth write the database does not show yet) with every id and choice the agent
 *    needs; once the writes are done it asks for a human agent (when the ground truth transfers) or
 *    for the information it wanted.
 * It is more cooperative than an LLM customer: personas and conditional instructions are not played.
 */
import type { DbState } from "../db.js";
import { sameData } from "../db.js";
import type { DomainData } from "../domain.js";
import { TRANSFER_TOOL } from "../tools/common.js";
import { groundTruthKey, identifiesCustomer, isNoOpTask, outputSaid, type ToolCallRecord } from "../reward.js";
import type { TauPayload } from "../tasks.js";
import { STOP_MARKER, type Customer, type CustomerTurn } from "./customer.js";
import { describeRequest, identitySentence, informationWanted } from "./describe.js";
import type { PersonaView } from "../../../core/types.js";
import { PersonaVoice } from "../../../personas/voice.js";

export interface ScriptedCustomerContext {
  task: TauPayload;
  domain: DomainData;
  /** The live database. */
  live(): DbState;
  /** What the agent has said to the customer so far (the current message included). */
  said: readonly string[];
  calls: readonly ToolCallRecord[];
  /** Replies after which the customer gives up. */
  maxTurns: number;
  /** The persona the customer plays (terse, vague, verbose change its words; absent: the cooperative customer). */
  persona?: PersonaView;
}

/** A vague customer's first requests: the problem named, no order, item or id given yet. */
const VAGUE_REQUEST = "I need some help with something on my account, but I'm not sure where to start.";

const IDENTITY_QUESTION = /\b(name|zip|postal|e-?mail|user ?id|identif|verify|verification|authenticat|account)/i;
const CONFIRM_QUESTION = /\b(confirm|proceed|go ahead|shall i|should i|would you like me to|do you want me to|is that correct|is this correct|yes\/no|yes or no)\b/i;
const GOODBYE = /\b(goodbye|bye|have a (great|good|nice|wonderful) day)\b/i;

export class ScriptedCustomer implements Customer {
  private turns = 0;
  /** How many ground-truth writes the live database already shows. */
  private done = 0;

  private readonly voice: PersonaVoice;

  constructor(private readonly ctx: ScriptedCustomerContext) {
    this.voice = new PersonaVoice(ctx.persona);
  }

  async open(): Promise<CustomerTurn> {
    return { text: this.ctx.task.firstMessage };
  }

  async reply(message: string): Promise<CustomerTurn> {
    this.turns++;
    const { task, domain } = this.ctx;
    const gt = domain.groundTruth(groundTruthKey(task), task.actions);
    const live = this.ctx.live();
    this.trackProgress(live, gt.prefixes);
    const allWritten = this.done === gt.writes.length && sameData(live, gt.final);
    const missingInfo = task.outputs.filter((o) => !outputSaid(o, this.ctx.said));
    const identified = this.ctx.calls.some((c) => identifiesCustomer(domain, task.userId, c));
    const served = identified || !isNoOpTask(domain, task);
    const asksIdentity = IDENTITY_QUESTION.test(message) && !identified;
    const wantsHuman = task.actions.some((a) => a.name === TRANSFER_TOOL);

    const say = (text: string, hedged?: string): CustomerTurn => ({ text: this.voice.speak(text, hedged) });
    if (allWritten && missingInfo.length === 0 && served && !wantsHuman) return say(`Thank you, that's everything I needed. ${STOP_MARKER}`);
    if (GOODBYE.test(message)) return say(`Goodbye. ${STOP_MARKER}`);
    if (this.turns > this.ctx.maxTurns) return say(`I have to go now. ${STOP_MARKER}`);
    if (!allWritten && !asksIdentity && CONFIRM_QUESTION.test(message)) return say("Yes, please go ahead.");

    const parts: string[] = [];
    if (asksIdentity || !served) parts.push(identitySentence(domain.domain, task.userId, domain.pristine));
    if (!allWritten) {
      const next = gt.writes[Math.min(this.done, gt.writes.length - 1)];
      parts.push(next ? describeRequest(next, domain.pristine) : "Could you look into my request, please?");
    } else if (missingInfo.length > 0) {
      const wanted = informationWanted(task.instruction);
      parts.push(wanted.length > 0 ? `I'd also like to know this: ${wanted.join(" ")}` : "Is there anything else you can tell me about my request?");
    } else if (wantsHuman) parts.push("I would like to speak with a human agent, please transfer me.");
    else parts.push("Could you look into my request, please?");
    return say(parts.join(" "), !allWritten ? VAGUE_REQUEST : undefined);
  }

  /** Advance to the longest prefix of the ground-truth writes the live database matches, if any. */
  private trackProgress(live: DbState, prefixes: readonly DbState[]): void {
    for (let k = prefixes.length - 1; k > this.done; k--) {
      if (sameData(live, prefixes[k])) {
        this.done = k;
        return;
      }
    }
  }
}
