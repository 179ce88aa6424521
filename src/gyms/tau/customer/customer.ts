/** The simulated customer of a TauGym episode: an LLM, or the deterministic scripted customer. */
import type { RoleCall } from "../../../core/types.js";

/** The customer ends the conversation by putting this marker in a reply (tau-bench's convention). */
export const STOP_MARKER = "###STOP###";

export interface CustomerTurn {
  text: string;
  roleCalls?: RoleCall[];
}

export interface Customer {
  /** The customer's opening message. */
  open(): Promise<CustomerTurn>;
  /** The customer's reply to a message from the agent; throws when the customer model fails. */
  reply(message: string): Promise<CustomerTurn>;
}

export function isStop(reply: string): boolean {
  return reply.includes(STOP_MARKER);
}
