/**
 * GuessGym's one LLM role, the user: shown its secret number and the agent's question (quoted as data), it
 * replies `{"response": "Yes" | "No" | "Maybe"}`. It sits in the user's seat, so a persona's instructions
 * reach it and a person can take it (`brief` + `fromHuman`). The reward never depends on it: a guess is
 * checked by rule, so nothing the role (or the agent, through it) writes can make a wrong guess pay.
 */
import type { Task } from "../../core/types.js";
import type { ChatMessage } from "../../models/types.js";
import { DATA_NOT_INSTRUCTIONS, quoteAgentText } from "../kit/quote.js";
import type { RoleSpec } from "../kit/roles.js";
import type { YesNo } from "./offline.js";
import { readYesNo, yesNoReply } from "../kit/yes-no.js";
import type { GuessPayload } from "./tasks.js";

/** Longest question quoted to the user. */
const QUESTION_QUOTE_CHARS = 500;

const SYSTEM = [
  "You play a number-guessing game. You thought of a secret whole number; the player asks yes-or-no questions about it to find it.",
  'Answer each question truthfully about your number: "Yes" or "No". Answer "Maybe" only when the question is not a yes-or-no question about the number.',
  "Never state or hint at the number itself.",
  DATA_NOT_INSTRUCTIONS,
  'Reply with only a JSON object: {"response": "Yes" or "No" or "Maybe"}',
].join("\n");

/** The user's messages for one question: the secret first (the same on every call), the question last. */
export function userMessages(p: GuessPayload, question: string): ChatMessage[] {
  return [
    { role: "system", content: SYSTEM },
    { role: "user", content: `Your secret number: ${p.secret} (between 1 and ${p.max}).\n\nThe player's question:\n${quoteAgentText(question, QUESTION_QUOTE_CHARS).text}\n\nReply with the JSON object.` },
  ];
}

export interface UserReply {
  response: YesNo;
}

export const userRole: RoleSpec<UserReply> = {
  name: "guess.user",
  seat: "user",
  describe: "answers the agent's yes/no questions about its secret number (shown the number and the question)",
  onFallback: 'the answer is "Maybe", and the step records the fallback',
  schema: yesNoReply,
  fallback: { response: "Maybe" },
  jsonSchema: { type: "object", properties: { response: { type: "string", enum: ["Yes", "No", "Maybe"] } }, required: ["response"] },
  person: {
    brief: (task: Task<any>) => {
      const p = task.payload as GuessPayload;
      return `Your secret number is ${p.secret} (the player knows it is between 1 and ${p.max}). Answer each of the player's questions about it truthfully with Yes or No (Maybe when it is not a yes-or-no question about the number).`;
    },
    fromHuman: (text, fallback) => ({ response: readYesNo(text) ?? fallback.response }),
    choices: ["Yes", "No", "Maybe"],
  },
};
