/**
 * Tau's part of the simulator audit: the customer speaks in its own words — a long verbatim stretch of its hidden
 * instruction is the instruction dumped — and it ends the conversation (`###STOP###`) only when served, so a stop
 * on a turn that earns nothing, unprompted by a goodbye, is a premature end.
 */
import { quotedSpan } from "../kit/quoted-span.js";
import type { GymAudit } from "../../core/types.js";
import { isStop } from "./customer/customer.js";
import type { TauPayload } from "./tasks.js";

/** Consecutive words of the instruction that make a dump rather than a paraphrase. */
const QUOTE_WORDS = 20;

const GOODBYE = /\b(goodbye|bye|have a (great|good|nice|wonderful) day)\b/i;

export const tauAudit: GymAudit<TauPayload> = {
  leak(task, _turn, reply) {
    const span = quotedSpan(reply, task.payload.instruction, QUOTE_WORDS);
    return span ? `the customer recited its hidden instruction: "${span}"` : undefined;
  },
  userEnded(_task, turn) {
    return turn.action?.choice === "action" && isStop(turn.feedback) && turn.reward < 1 && !GOODBYE.test(turn.action.content);
  },
};
