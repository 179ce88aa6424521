/**
 * SearchGym's LLM answer judge, asked only when the rule-based match fails (our own prompt).
 *
 * - `fixed`: `askRole` (lenient parsing, one corrective retry); the verdict is read case-insensitively
 *   (`"yes"`, `"Yes"`, `true`). When no usable verdict arrives the answer is *unjudged*, not wrong: the
 *   gym asks the agent to answer again instead of teaching it that a possibly right answer is wrong.
 * - `userrl-2025`: the reference's parsing: one reply, a leading ```` ```json ```` and a trailing ```` ``` ````
 *   stripped, the rest read as a Python literal that must hold the keys our prompt asks for (`reasoning`,
 *   `judgment`; the reference's prompt also asks for a `feedback` it then discards); correct only when
 *   `judgment == "Yes"` exactly; anything else, a failed call included, counts as wrong.
 * The agent's answer reaches the judge only quoted (`quoteAgentText`), with `DATA_NOT_INSTRUCTIONS`.
 */
import { z } from "zod";
import type { GymContext, RoleCall } from "../../core/types.js";
import type { ChatMessage } from "../../models/types.js";
import { DATA_NOT_INSTRUCTIONS, quoteAgentText } from "../kit/quote.js";
import { askRole, referenceLiteral, ROLE_DEFAULTS, type RoleSpec } from "../kit/roles.js";

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

/** The answer judge: does the candidate give the reference answer? Asked only when the exact match fails. */
export const judgeRole: RoleSpec<{ judgment: boolean }> = {
  name: JUDGE_ROLE,
  seat: "judge",
  describe: "decides whether the agent's answer gives the reference answer (shown the question, the reference and the answer)",
  onFallback: "fixed: the answer is left unjudged and the agent may answer again; userrl-2025: it counts as wrong",
  schema: verdictSchema,
  fallback: { judgment: false },
  chat: JUDGE_OPTIONS,
  jsonSchema: { type: "object", properties: { reasoning: { type: "string" }, judgment: { type: "string", enum: ["Yes", "No"] } }, required: ["reasoning", "judgment"] },
  reference: (text) => {
    const v = referenceLiteral(text);
    if (v && typeof v === "object" && "reasoning" in v && "judgment" in v) return { value: { judgment: v.judgment === "Yes" } };
    return { problem: "reply is not a literal with reasoning and judgment" };
  },
};

export async function judgeAnswer(ctx: GymContext, question: string, gold: string, answer: string): Promise<JudgeVerdict> {
  const r = await askRole(ctx, judgeRole, { messages: judgeMessages(question, gold, answer) });
  if (!r.fallback) return { correct: r.value.judgment, calls: r.calls };
  if (ctx.compat !== "userrl-2025") return { correct: null, calls: r.calls, fallback: r.fallback };
  return { correct: false, calls: r.calls, fallback: `${JUDGE_ROLE}: ${r.problem}; counted as wrong (reference behaviour)` };
}
