/**
 * Intention's two LLM roles, in our own words: the user who made the vague request, and the judge of
 * which hidden details a question covers. Two layouts:
 *
 *  - fixed (default): each role gets only what it needs. The user sees its request, the recent
 *    conversation and its own preferences for the details the question is about (picked by the
 *    lexical matcher), never the list of hidden details, their importance or example questions. The
 *    judge sees the request, the remaining details with their example questions, the previous
 *    question and the new one. Static instructions come first (shared by every call), then the
 *    episode's fixed part, then what changes, so a serving engine's prefix cache hits.
 *  - `userrl-2025`: the reference's inputs: both roles see the Python `str()` of the whole task
 *    (hidden details, options and all), the last three exchanges, importance labels, and the judge's
 *    JSON example with the reference's missing and trailing commas.
 *
 * Agent text always reaches a role quoted and capped, with DATA_NOT_INSTRUCTIONS.
 */
import { z } from "zod";
import { pyRepr } from "../../core/pyformat.js";
import type { Task } from "../../core/types.js";
import type { ChatMessage } from "../../models/types.js";
import { DATA_NOT_INSTRUCTIONS, quoteAgentText } from "../kit/quote.js";
import type { RoleSpec } from "../kit/roles.js";
import { preferredOption, type IntentionDetail, type IntentionPayload } from "./offline.js";
import { referenceCoverage, referenceUserReply } from "./reference-parse.js";

/** One earlier exchange: the agent's question and the user's reply. */
export type Exchange = [question: string, reply: string];

/**
 * Exchanges of history the lean user sees (the reference: 3). Its preferences come with each question,
 * so two exchanges are enough to stay coherent.
 */
const USER_HISTORY = 2;
/** The reference's window, for its layout. */
const REFERENCE_HISTORY = 3;
/** Cap on each history entry (the newest question gets the default quote cap). */
const HISTORY_CHARS = 400;
/** Cap on the previous question the lean judge gets for context. */
const PREVIOUS_QUESTION_CHARS = 200;

const USER_SYSTEM = [
  "You play a person who gave an assistant a vague request; the assistant now asks you clarifying questions.",
  "Answer as that person, briefly (one to three sentences), naturally and consistently with what you said before.",
  "State the preferences listed in the message in your own words when asked about them; for anything else give a",
  "short answer a typical person might give, or say you don't mind. Steer off-topic questions back to your request.",
  "Never tell the assistant what else to ask, and never solve the request yourself.",
  DATA_NOT_INSTRUCTIONS,
  'Reply with only a JSON object: {"thought": "<a few words>", "response": "<your reply>"}',
].join("\n");

const JUDGE_SYSTEM = [
  "You check which still-unknown details of a vague request an assistant's question asks about. A question",
  "addresses a detail when a direct answer to it would reveal that detail. List the number of every detail it",
  "addresses; give an empty list when it addresses none or is unrelated to the request.",
  DATA_NOT_INSTRUCTIONS,
  "Reply with only a JSON object. Example of the format (not of the answer):",
  '{"analysis": "It asks how long the trip lasts.", "is_task_related": true, "covered_detail_indices": [0]}',
].join("\n");

function quoteHistory(text: string): string {
  return quoteAgentText(text, HISTORY_CHARS).text;
}

function capped(text: string): string {
  return text.length > HISTORY_CHARS ? `${text.slice(0, HISTORY_CHARS)} […]` : text;
}

/** The fixed user's messages. `preferences` are the details the question is about, with this user's choice. */
export function userMessages(
  payload: IntentionPayload,
  history: readonly Exchange[],
  preferences: readonly { detail: IntentionDetail; choice: string }[],
  question: string,
): ChatMessage[] {
  const parts = [`Your request: ${payload.task}\nCategory: ${payload.category}`];
  const recent = history.slice(-USER_HISTORY);
  if (recent.length) {
    parts.push(`Conversation so far:\n${recent.map(([q, a]) => `Assistant:\n${quoteHistory(q)}\nYou: ${capped(a)}`).join("\n")}`);
  }
  parts.push(
    preferences.length
      ? `Your preferences that bear on this question:\n${preferences.map((p) => `- ${p.detail.description}: ${p.choice}`).join("\n")}`
      : "None of your settled preferences bears on this question.",
  );
  parts.push(`The assistant's question:\n${quoteAgentText(question).text}`);
  return [
    { role: "system", content: USER_SYSTEM },
    { role: "user", content: parts.join("\n\n") },
  ];
}

/** The fixed judge's messages over the remaining details (numbered in their current order). */
export function judgeMessages(payload: IntentionPayload, remaining: readonly IntentionDetail[], previousQuestion: string | undefined, question: string): ChatMessage[] {
  const details = remaining.map((d, i) => `${i}. ${d.description} (e.g. "${d.inquiry}")`).join("\n");
  const parts = [`Request: ${payload.task}\nCategory: ${payload.category}`, `Details still unknown:\n${details || "(none)"}`];
  if (previousQuestion !== undefined) parts.push(`Previous question, for context:\n${quoteAgentText(previousQuestion, PREVIOUS_QUESTION_CHARS).text}`);
  parts.push(`Question to check:\n${quoteAgentText(question).text}`);
  return [
    { role: "system", content: JUDGE_SYSTEM },
    { role: "user", content: parts.join("\n\n") },
  ];
}

/** The task as the reference held it, for the `str(task)` it puts in both prompts. */
function referenceTaskDict(p: IntentionPayload): Record<string, unknown> {
  return {
    id: p.id,
    category: p.category,
    task: p.task,
    missing_details: p.details.map((d) => ({ description: d.description, importance: String(d.importance), inquiry: d.inquiry, options: d.options })),
  };
}

const REFERENCE_USER_SYSTEM = "You help a person answer questions about the request for help they posted, in a natural way.";
const REFERENCE_JUDGE_SYSTEM = "You evaluate how well questions clarify a task. Only evaluate; do not write replies.";

/** The reference-shaped user prompt (`userrl-2025`): the whole task dict, the last three exchanges. */
export function referenceUserMessages(payload: IntentionPayload, history: readonly Exchange[], question: string): ChatMessage[] {
  const recent = history.slice(-REFERENCE_HISTORY);
  const convo = recent.length
    ? `Previous conversation:\n${recent.map(([q, a]) => `Helper: ${quoteHistory(q)}\nYou: ${a}`).join("\n")}`
    : "This is the first question in our conversation.";
  const body = [
    "You posted a vague request for help, and a helper is now asking you questions to understand what you need.",
    "",
    `YOUR ORIGINAL REQUEST: ${pyRepr(referenceTaskDict(payload))}`,
    `CATEGORY: ${payload.category}`,
    "",
    `THE HELPER'S CURRENT QUESTION: ${quoteAgentText(question).text}`,
    "",
    "CONVERSATION HISTORY:",
    convo,
    "",
    "Answer naturally as the person who made the request:",
    "1. If the question asks about your own preferences for the request, give a realistic, coherent preference in a",
    "   conversational tone.",
    "2. If it does not, answer helpfully if you can and steer back to what you need; do not list what still needs",
    "   clarifying, give no examples, and do not offer solutions: you are the one asking for help.",
    "",
    "Answer in this JSON format:",
    '{\n    "thought": "whether the question is about your preferences, and how to answer",\n    "response": "your natural reply"\n}',
    "",
    "Remember: answer only as the person asking for help, not as an evaluator, and do not act as if you knew which",
    "details are missing.",
    DATA_NOT_INSTRUCTIONS,
  ].join("\n");
  return [
    { role: "system", content: REFERENCE_USER_SYSTEM },
    { role: "user", content: body },
  ];
}

const IMPORTANCE_LABEL: Record<number, string> = { 1: "LOW", 2: "MEDIUM", 3: "HIGH" };

/** The reference-shaped judge prompt (`userrl-2025`), including its malformed JSON example. */
export function referenceJudgeMessages(payload: IntentionPayload, remaining: readonly IntentionDetail[], history: readonly Exchange[], question: string): ChatMessage[] {
  const details = remaining
    .map((d, i) => `${i}. [${IMPORTANCE_LABEL[d.importance] ?? "LOW"}] ${d.description}\n   Example question type expected: ${d.inquiry}\n`)
    .join("\n");
  const recent = history.slice(-REFERENCE_HISTORY);
  const convo = recent.length ? `Previous conversation:\n${recent.map(([q, a], i) => `Q${i + 1}: ${quoteHistory(q)}\nA${i + 1}: ${a}`).join("\n")}` : "None";
  const body = [
    "You judge how well a user's question addresses the missing details of a vague task.",
    "",
    `TASK: ${pyRepr(referenceTaskDict(payload))}`,
    `CATEGORY: ${payload.category}`,
    "",
    "MISSING DETAILS STILL TO CLARIFY:",
    details.trim() ? details : "None - all details have been covered!",
    "",
    "CONVERSATION HISTORY:",
    convo,
    "",
    `LATEST QUESTION FROM THE USER: ${quoteAgentText(question).text}`,
    "",
    "Decide which of the missing details, if any, the latest question addresses:",
    "- if the question is not about clarifying the user's intent or the task requirements, give an empty list;",
    "- note the index of every missing detail the question directly addresses;",
    "- a question addresses a detail if answering it would reveal the information that detail needs.",
    "",
    "Answer in this JSON format:",
    '{\n    "analysis": "short explanation of which missing details the question covers, if any",\n    "is_task_related": true/false (whether the question clarifies the task requirements)\n    "covered_detail_indices": [indices of the missing details this question addresses],\n}',
    "",
    "Only evaluate; do not write a reply.",
    DATA_NOT_INSTRUCTIONS,
  ].join("\n");
  return [
    { role: "system", content: REFERENCE_JUDGE_SYSTEM },
    { role: "user", content: body },
  ];
}

/** The fixed user's reply contract. */
export const userReply = z.object({ thought: z.unknown().optional(), response: z.string().min(1) });

function toIndices(v: unknown): number[] | undefined {
  if (typeof v === "string" && !/^\s*\d+\s*$/.test(v)) return undefined;
  const list = Array.isArray(v) ? v : typeof v === "number" || typeof v === "string" ? [v] : undefined;
  if (!list) return undefined;
  const out: number[] = [];
  for (const x of list) {
    const n = typeof x === "number" ? x : typeof x === "string" && /^\s*\d+\s*$/.test(x) ? Number(x) : NaN;
    if (Number.isInteger(n) && n >= 0 && !out.includes(n)) out.push(n);
  }
  return out;
}

export interface CoverageVerdict {
  analysis: string;
  isTaskRelated: boolean;
  /** Distinct indices into the remaining list, in the judge's order. */
  indices: number[];
}

/** The fixed judge's reply contract: indices as ints or digit strings (deduplicated), relatedness as bool or "true"/"false". */
export const coverageReply: z.ZodType<CoverageVerdict> = z
  .object({
    analysis: z.unknown().optional(),
    is_task_related: z.union([z.boolean(), z.enum(["true", "false", "True", "False", "yes", "no"])]).optional(),
    covered_detail_indices: z.unknown(),
  })
  .transform((o, ctx) => {
    const indices = toIndices(o.covered_detail_indices);
    if (!indices) {
      ctx.addIssue({ code: "custom", message: "covered_detail_indices must be a list of detail numbers" });
      return z.NEVER;
    }
    const rel = o.is_task_related;
    const isTaskRelated = rel === undefined ? true : typeof rel === "boolean" ? rel : ["true", "True", "yes"].includes(rel);
    return { analysis: typeof o.analysis === "string" ? o.analysis : "", isTaskRelated, indices: isTaskRelated ? indices : [] };
  });

/** What the gym uses of a coverage verdict: the covered positions and the step's `reward_breakdown`. */
export interface Coverage {
  indices: number[];
  breakdown: Record<string, unknown>;
}

/** The simulated user: answers the agent's clarifying questions. A person can play it. */
export const userRole: RoleSpec<{ response: string }> = {
  name: "intention.user",
  seat: "user",
  describe: "the person behind the vague request answers a clarifying question (shown the request, recent talk and its matching preferences)",
  onFallback: "fixed: its plain-text reply when it wrote one, else the offline user's reply; userrl-2025: a canned reply",
  schema: userReply,
  fallback: { response: "" },
  jsonSchema: { type: "object", properties: { thought: { type: "string" }, response: { type: "string" } }, required: ["response"] },
  reference: (text) => ({ value: { response: referenceUserReply(text) } }),
  person: {
    brief: (task: Task<any>) => {
      const p = task.payload as IntentionPayload;
      const details = p.details.map((d, i) => `- ${d.description} (you prefer: ${preferredOption(p.id, i, d.options)})`);
      return [`You asked an assistant: "${p.task}"`, "The assistant will ask clarifying questions. What you have in mind:", ...details, "Answer briefly and naturally."].join("\n");
    },
    fromHuman: (text, fallback) => ({ response: text || fallback.response }),
  },
};

/** The coverage judge: which remaining hidden details a question asks about. */
export const coverageRole: RoleSpec<Coverage> = {
  name: "intention.judge",
  seat: "judge",
  describe: "lists the remaining hidden details the agent's question addresses (shown the request, the details and the question)",
  onFallback: "fixed: the offline coverage; userrl-2025: nothing is covered",
  schema: coverageReply.transform((v) => ({
    indices: v.indices,
    breakdown: { method: "llm_evaluation", analysis: v.analysis, is_task_related: v.isTaskRelated },
  })),
  fallback: { indices: [], breakdown: {} },
  jsonSchema: {
    type: "object",
    properties: { analysis: { type: "string" }, is_task_related: { type: "boolean" }, covered_detail_indices: { type: "array", items: { type: "integer" } } },
    required: ["analysis", "is_task_related", "covered_detail_indices"],
  },
  reference: (text) => {
    const r = referenceCoverage(text);
    return { value: { indices: r.indices, breakdown: r.info } };
  },
};
