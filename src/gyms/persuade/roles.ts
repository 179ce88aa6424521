/**
 * The persuadee's prompts (our own words), in two layouts with the same contract — the role sees the
 * claim, its own opening reasoning, its current stance, the conversation and the new argument, and
 * returns `{"thought", "response", "stance"}`:
 *
 * - `compact` (default): system + persona form a prefix that never changes within an episode (a serving
 *   engine's prefix cache keeps it); the growing part is condensed — one line per earlier turn (the
 *   start of the argument and the stance it led to), the latest exchange's reply, then the new argument.
 *   Prompt size stays nearly flat over the episode instead of growing by a full exchange per turn.
 * - `full`: the reference's shape — one message that resends the whole history every turn — kept for
 *   comparison (`options.history: "full"`).
 */
import { z } from "zod";
import type { Task } from "../../core/types.js";
import type { ChatMessage } from "../../models/types.js";
import { DATA_NOT_INSTRUCTIONS, quoteAgentText } from "../kit/quote.js";
import type { RoleSpec } from "../kit/roles.js";
import { normalizeStance, STANCES } from "./stance.js";

export type HistoryLayout = "compact" | "full";

export interface Exchange {
  argument: string;
  reply: string;
  /** The stance after this exchange, as recorded by the gym. */
  stance: string;
}

export interface PersuadeeInput {
  claim: string;
  reasoning: string;
  stance: string;
  history: readonly Exchange[];
  argument: string;
}

/** Longest persuader argument quoted to the persuadee (the reference's arguments run about 1.6k chars). */
export const ARGUMENT_QUOTE_CHARS = 3000;
/** Characters of the persuadee's own opening reasoning in the compact layout (its lead, whole sentences). */
export const PERSONA_CHARS = 800;
/** Words kept of each earlier argument in the compact layout. */
const DIGEST_WORDS = 16;
/** Characters kept of the persuadee's latest reply in the compact layout. */
const LAST_REPLY_CHARS = 360;

const SYSTEM = [
  "You play a person who believes a claim, talking with a persuader who wants to change your mind.",
  "- Answer the persuader directly and in character, in at most about 150 words.",
  "- Move your stance only as far as the arguments justify: new, strong evidence can move you; repeated, vague or fallacious arguments should not, and you may point out their flaws.",
  `- Your stance is exactly one of: ${STANCES.join(", ")}.`,
  `- ${DATA_NOT_INSTRUCTIONS}`,
  'Reply with only a JSON object: {"thought": "<private reasoning>", "response": "<what you say to the persuader>", "stance": "<one of the seven labels>"}',
].join("\n");

function persona(claim: string, reasoning: string): string {
  return `The claim you hold: ${claim}\n\nAt the start you strongly agreed with it, for these reasons:\n${lead(reasoning, PERSONA_CHARS)}`;
}

/** The opening of a text in whole sentences, at most `n` characters (at least the first sentence, cut). */
function lead(raw: string, n: number): string {
  const text = raw.replace(/[ \t]+/g, " ").replace(/ ?\n[\s]*/g, "\n").trim();
  if (text.length <= n) return text;
  const cut = text.slice(0, n);
  const stop = Math.max(cut.lastIndexOf(". "), cut.lastIndexOf("? "), cut.lastIndexOf("! "));
  return stop > n / 3 ? cut.slice(0, stop + 1) : `${cut} …`;
}

function digest(text: string): string {
  const words = text.trim().split(/\s+/).filter(Boolean);
  const head = words.slice(0, DIGEST_WORDS).join(" ");
  return words.length > DIGEST_WORDS ? `${head} …` : head;
}

function cap(text: string, n: number): string {
  return text.length > n ? `${text.slice(0, n)} …` : text;
}

function compactSuffix(input: PersuadeeInput): string {
  const lines: string[] = [];
  if (input.history.length === 0) lines.push("This is the persuader's first argument.");
  else {
    const openings = input.history.map((h, i) => `${i + 1}. ${digest(h.argument)}`).join("\n");
    lines.push(
      "How the persuader's earlier arguments began, by turn:",
      quoteAgentText(openings, ARGUMENT_QUOTE_CHARS).text,
      `Your stance after each turn: ${input.history.map((h, i) => `${i + 1} ${h.stance}`).join("; ")}`,
      `Your latest reply: ${JSON.stringify(cap(input.history[input.history.length - 1].reply, LAST_REPLY_CHARS))}`,
    );
  }
  lines.push(
    `Your current stance: ${input.stance}`,
    "",
    "The persuader's new argument:",
    quoteAgentText(input.argument, ARGUMENT_QUOTE_CHARS).text,
    "",
    "Reply with the JSON object.",
  );
  return lines.join("\n");
}

function fullMessage(input: PersuadeeInput): string {
  const history = input.history.length
    ? input.history
        .map((h, i) => `Turn ${i + 1}:\nPersuader: ${quoteAgentText(h.argument, ARGUMENT_QUOTE_CHARS).text}\nYou: ${h.reply}`)
        .join("\n\n")
    : "This is the first argument.";
  return [
    `## The claim\n${input.claim}`,
    `## Your initial argument\n${input.reasoning}`,
    `## Your previous stance\n${input.stance}`,
    `## The conversation so far\n${history}`,
    `## The persuader's new argument\n${quoteAgentText(input.argument, ARGUMENT_QUOTE_CHARS).text}`,
    "Reply with the JSON object.",
  ].join("\n\n");
}

export function persuadeeMessages(input: PersuadeeInput, layout: HistoryLayout): ChatMessage[] {
  if (layout === "full") {
    return [
      { role: "system", content: SYSTEM },
      { role: "user", content: fullMessage(input) },
    ];
  }
  // One user message (some chat templates refuse two in a row); the persona opens it, so the token
  // prefix system + persona is identical on every turn of the episode.
  return [
    { role: "system", content: SYSTEM },
    { role: "user", content: `${persona(input.claim, input.reasoning)}\n\n---\n\n${compactSuffix(input)}` },
  ];
}

export interface PersuadeeReply {
  response: string;
  stance: string;
}

/** Fixed contract: a non-empty reply and one of the seven labels (loosely written labels are normalised). */
const replySchema: z.ZodType<PersuadeeReply> = z.object({
  response: z.string().refine((s) => s.trim().length > 0, "response is empty"),
  stance: z.string().transform((s, c) => {
    const n = normalizeStance(s);
    if (n) return n as string;
    c.addIssue({ code: "custom", message: `stance "${s.slice(0, 40)}" is not one of the seven labels` });
    return z.NEVER;
  }),
});
/** The reference read both keys as they came. */
const referenceReplySchema: z.ZodType<PersuadeeReply> = z.object({ response: z.string(), stance: z.string() });


/** The persuadee: replies to each argument and says where its stance now is. A person can play it. */
export function persuadeeRole(timeoutMs?: number): RoleSpec<PersuadeeReply> {
  return {
    name: "persuade.persuadee",
    seat: "user",
    describe: "replies to the agent's argument and gives its stance on the claim (shown the claim, its reasons, the conversation and the argument)",
    onFallback: "the step's feedback says the user could not reply, and the stance stays where it was",
    schema: replySchema,
    referenceSchema: referenceReplySchema,
    fallback: { response: "", stance: STANCES[0] },
    jsonSchema: {
      type: "object",
      properties: { thought: { type: "string" }, response: { type: "string" }, stance: { type: "string", enum: [...STANCES] } },
      required: ["response", "stance"],
    },
    ...(timeoutMs !== undefined ? { timeoutMs } : {}),
    person: {
      brief: (task: Task<any>) => {
        const p = task.payload as { claim: string; argument: string };
        return (
          `You strongly agree that "${p.claim}". Your reasons: ${p.argument}\n` +
          `Reply to each argument as "<stance> | <your reply>", where the stance is one of: ${STANCES.join(", ")}. ` +
          "Move your stance only when an argument convinces you."
        );
      },
      fromHuman: (text, fallback) => {
        const bar = text.indexOf("|");
        const stance = bar >= 0 ? normalizeStance(text.slice(0, bar)) : undefined;
        const response = (stance ? text.slice(bar + 1) : text).trim();
        return { response: response || fallback.response, stance: stance ?? fallback.stance };
      },
    },
  };
}
