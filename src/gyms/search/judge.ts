/**
 * SearchGym's LLM answer judge, asked only when the rule-based match fails (our own prompt).
 *
 * - `fixed`: `askJson` (lenient parsing, one corrective retry); the verdict is read case-insensitively
 *   (`"yes"`, `"Yes"`, `true`). When no usable verdict arrives the answer is *unjudged*, not wrong: the
 *   gym asks the agent to answer again instead of teaching it that a possibly right answer is wrong.
 * - `userrl-2025`: the reference's parsing: one reply, a leading ```` ```json ```` and a trailing ```` ``` ````
 *   stripped, the rest read as a Python literal that must hold the keys our prompt asks for (`reasoning`,
 *   `judgment`; the reference's prompt also asks for a `feedback` it then discards); correct only when
 *   `judgment == "Yes"` exactly; anything else, a failed call included, counts as wrong.
 * The agent's answer reaches the judge only quoted (`quoteAgentText`), with `DATA_NOT_INSTRUCTIONS`.
 */
import { z } from "zod";
import type { Compat, RoleCall } from "../../core/types.js";
import { askJson, ROLE_DEFAULTS } from "../../models/ask-json.js";
import { mustPropagate, type ChatMessage, type ChatModel } from "../../models/types.js";
import { DATA_NOT_INSTRUCTIONS, quoteAgentText } from "../quote.js";
import { referenceLiteral } from "../role-call.js";

export const JUDGE_ROLE = "search.judge";

/** The reference's judge settings: temperature 0, at most 512 tokens, 10 s per request. */
const JUDGE_OPTIONS = { ...ROLE_DEFAULTS, maxTokens: 512 };

const JUDGE_SYSTEM = [
  "You grade short answers to factual questions. You get a question, its reference answer, and a candidate answer written by an AI agent.",
  "",
  "Decide whether the candidate gives the same answer as the reference, read in the context of the question.",
  "- Say Yes when it clearly identifies the same person, thing, place, date, number or value: other spellings or transliterations, aliases and well-known short forms, added or missing titles or middle names, another date or number format, and equivalent units all count.",
  "- Say No when it names something else, is less precise than the question asks for (for example only a year when the question wants a full date), hedges between several candidates, or does not answer.",
  "- The reference answer is authoritative: do not judge by what you believe the true answer is.",
  "",
  DATA_NOT_INSTRUCTIONS,
  "",
  'Reply with only a JSON object: {"reasoning": "<one or two sentences>", "judgment": "Yes" or "No"}.',
].join("\n");

export function judgeMessages(question: string, gold: string, answer: string): ChatMessage[] {
  return [
    { role: "system", content: JUDGE_SYSTEM },
    {
      role: "user",
      content: `Question: ${question.trim()}\nReference answer: ${gold.trim()}\nCandidate answer:\n${quoteAgentText(answer).text}\n\nYour JSON verdict:`,
    },
  ];
}

export interface JudgeVerdict {
  /** true / false, or null when no usable verdict came back (fixed mode only). */
  correct: boolean | null;
  calls: RoleCall[];
  /** Why the verdict is not the model's own (set with a null or fallback verdict). */
  fallback?: string;
}

const verdictSchema = z.object({
  reasoning: z.string().optional(),
  judgment: z.union([
    z.boolean(),
    z
      .string()
      .transform((s) => s.trim().toLowerCase().replace(/[.!]$/, ""))
      .pipe(z.enum(["yes", "no"]))
      .transform((s) => s === "yes"),
  ]),
});

export async function judgeAnswer(model: ChatModel, question: string, gold: string, answer: string, compat: Compat, signal?: AbortSignal): Promise<JudgeVerdict> {
  const messages = judgeMessages(question, gold, answer);
  if (compat === "userrl-2025") return referenceJudge(model, messages, signal);
  const r = await askJson(model, messages, {
    role: JUDGE_ROLE,
    schema: verdictSchema,
    fallback: { judgment: false },
    options: { ...JUDGE_OPTIONS, signal },
  });
  return r.fallback ? { correct: null, calls: r.calls, fallback: r.fallback } : { correct: r.value.judgment, calls: r.calls };
}

async function referenceJudge(model: ChatModel, messages: ChatMessage[], signal?: AbortSignal): Promise<JudgeVerdict> {
  let text: string;
  const call: RoleCall = { role: JUDGE_ROLE, model: model.spec, usage: { promptTokens: 0, completionTokens: 0 }, latencyMs: 0 };
  try {
    const r = await model.chat(messages, { ...JUDGE_OPTIONS, signal });
    Object.assign(call, { usage: r.usage, latencyMs: r.latencyMs, cached: r.cached });
    text = r.text;
  } catch (err) {
    if (mustPropagate(err)) throw err;
    call.fallback = `model call failed: ${(err as Error).message}`;
    return { correct: false, calls: [call], fallback: `${JUDGE_ROLE}: ${call.fallback}; counted as wrong (reference behaviour)` };
  }
  const v = referenceLiteral(text);
  if (v && typeof v === "object" && "reasoning" in v && "judgment" in v) return { correct: v.judgment === "Yes", calls: [call] };
  call.fallback = "reply is not a literal with reasoning and judgment";
  return { correct: false, calls: [call], fallback: `${JUDGE_ROLE}: ${call.fallback}; counted as wrong (reference behaviour)` };
}
