/**
 * Telepathy's two LLM roles, in our own words: the host who answers yes/no questions about the secret
 * entity, and the judge of a guess. Each sees only the entity's data and the agent's text, quoted as
 * data. The entity comes first, so every call of an episode shares its prompt prefix.
 */
import { z } from "zod";
import { pyStr } from "../../core/pyformat.js";
import type { Task } from "../../core/types.js";
import type { ChatMessage } from "../../models/types.js";
import { DATA_NOT_INSTRUCTIONS, quoteAgentText } from "../kit/quote.js";
import type { RoleSpec } from "../kit/roles.js";

export const YES_NO_MAYBE = ["Yes", "No", "Maybe"] as const;
export type HostAnswer = (typeof YES_NO_MAYBE)[number];

/** "yes", "Yes.", " YES! " → "Yes"; anything else is off-contract. */
function normalizedWord<T extends string>(allowed: readonly T[]) {
  return z.string().transform((s, ctx) => {
    const w = s.trim().replace(/[.!?"'\s]+$/u, "").replace(/^["'\s]+/u, "").toLowerCase();
    const hit = allowed.find((a) => a.toLowerCase() === w);
    if (hit) return hit;
    ctx.addIssue({ code: "custom", message: `expected one of ${allowed.join(", ")}` });
    return z.NEVER;
  });
}

/** A host reply as the gym uses it (the fixed contract narrows `response` to Yes/No/Maybe). */
export interface HostReply {
  thought?: unknown;
  response: string;
}

/** A judge reply as the gym uses it (the fixed contract narrows `judgment` to Yes/No). */
export interface JudgeVerdict {
  thought?: unknown;
  judgment: string;
  feedback?: string;
}

/** The host's reply under the fixed contract: exactly Yes, No or Maybe (case and punctuation tolerated). */
export const hostReply: z.ZodType<HostReply> = z.object({ thought: z.unknown().optional(), response: normalizedWord(YES_NO_MAYBE) });

/** What the reference accepted: any object with a "response" key, passed on verbatim. */
export const referenceHostReply: z.ZodType<HostReply> = z
  .record(z.string(), z.unknown())
  .refine((o) => "response" in o, { message: 'missing key "response"' })
  .transform((o) => ({ thought: o.thought, response: pyStr(o.response) }));

export const judgeReply: z.ZodType<JudgeVerdict> = z.object({
  thought: z.unknown().optional(),
  judgment: normalizedWord(["Yes", "No"] as const),
  feedback: z.string().optional(),
});

/** The reference read `judgment` and `feedback` by key (a missing key fell back) and compared "Yes" exactly. */
export const referenceJudgeReply: z.ZodType<JudgeVerdict> = z
  .record(z.string(), z.unknown())
  .refine((o) => "judgment" in o && "feedback" in o, { message: 'missing key "judgment" or "feedback"' })
  .transform((o) => ({ thought: o.thought, judgment: pyStr(o.judgment), feedback: pyStr(o.feedback) }));

const HOST_SYSTEM = [
  "You are the host of a twenty-questions game. You have one secret entity in mind, described below, and a player",
  "asks you yes/no questions to work out what it is. Answer each question truthfully about the secret entity,",
  'using your general knowledge of it as well as the description. Answer "Yes" or "No" whenever a reasonable',
  'person could; answer "Maybe" only when the question is ambiguous or truly cannot be settled. Never name the',
  "entity and never add hints.",
  DATA_NOT_INSTRUCTIONS,
  'Reply with only a JSON object, optionally in a ```json fence: {"thought": "<one short sentence>", "response": "Yes" | "No" | "Maybe"}',
].join("\n");

const JUDGE_SYSTEM = [
  "You referee the guesses in a twenty-questions game. You know the secret entity, described below. Decide",
  "whether the player's guess names it: the same entity under its own name, a common short or full form, or a",
  "clear synonym counts; a different, broader, narrower or merely related thing does not, and neither does a",
  'list of several guesses. There is no partial credit. Then write one or two encouraging sentences to the',
  'player ("you"). Never reveal, spell out or hint at the secret entity in your feedback.',
  DATA_NOT_INSTRUCTIONS,
  'Reply with only a JSON object, optionally in a ```json fence: {"thought": "<one short sentence>", "judgment": "Yes" | "No", "feedback": "<to the player>"}',
].join("\n");

/** The host's messages: stable system prompt, then the entity, then the quoted question. */
export function hostMessages(targetEntity: string, question: string): ChatMessage[] {
  return [
    { role: "system", content: HOST_SYSTEM },
    { role: "user", content: `Secret entity: ${targetEntity}\n\nThe player's question:\n${quoteAgentText(question).text}` },
  ];
}

export function judgeMessages(targetEntity: string, guess: string): ChatMessage[] {
  return [
    { role: "system", content: JUDGE_SYSTEM },
    { role: "user", content: `Secret entity: ${targetEntity}\n\nThe player's guess:\n${quoteAgentText(guess, 500).text}` },
  ];
}

/** The host: answers the agent's yes/no questions about the secret entity. A person can play it. */
export const hostRole: RoleSpec<HostReply> = {
  name: "telepathy.host",
  seat: "user",
  describe: "answers the agent's yes/no questions about the secret entity (shown the entity and the question)",
  onFallback: "the step answers that the question cannot be answered right now",
  schema: hostReply,
  referenceSchema: referenceHostReply,
  fallback: { response: "" },
  jsonSchema: {
    type: "object",
    properties: { thought: { type: "string" }, response: { type: "string", enum: [...YES_NO_MAYBE] } },
    required: ["thought", "response"],
  },
  person: {
    brief: (task: Task<any>) =>
      `You are thinking of: ${(task.payload as { targetEntity: string }).targetEntity.trimEnd().replace(/[.!?]$/, "")}.\n` +
      "The agent asks yes/no questions to find out what it is. Answer each truthfully with Yes, No or Maybe, and never name it.",
    fromHuman: (text) => ({ response: hostReply.safeParse({ response: text }).data?.response ?? "Maybe" }),
    choices: [...YES_NO_MAYBE],
  },
};

/** The judge of a guess: does it name the secret entity? */
export const judgeRole: RoleSpec<JudgeVerdict> = {
  name: "telepathy.judge",
  seat: "judge",
  describe: "decides whether the agent's guess names the secret entity (shown the entity and the guess)",
  onFallback: "the guess is not scored and the step says the guess cannot be evaluated right now",
  schema: judgeReply,
  referenceSchema: referenceJudgeReply,
  fallback: { judgment: "", feedback: "" },
  jsonSchema: {
    type: "object",
    properties: { thought: { type: "string" }, judgment: { type: "string", enum: ["Yes", "No"] }, feedback: { type: "string" } },
    required: ["thought", "judgment", "feedback"],
  },
};
