/**
 * TravelGym's LLM roles (our own prompts): the search judge and the utterance classifier (judge model),
 * and the traveller's replies (user model).
 *
 * `compat: "fixed"` asks through `askJson` (lenient parsing, one corrective retry, a recorded fallback) and
 * accepts obvious variants (a JSON boolean verdict, "p3" for "P3"). `compat: "userrl-2025"` reads replies
 * as the reference does: one call; the text as JSON, else the first ```json block, else the widest {…};
 * exact field values ("True" must be the string "True"); anything else is a failure.
 */
import { z } from "zod";
import { pyJsonDumps, pyStr } from "../../core/pyformat.js";
import type { GymContext, RoleCall } from "../../core/types.js";
import { askJson, ROLE_DEFAULTS } from "../../models/ask-json.js";
import { ModelError, mustPropagate, type ChatMessage, type ChatModel } from "../../models/types.js";
import { DATA_NOT_INSTRUCTIONS, quoteAgentText } from "../quote.js";
import { renderHistory, type Classification, type HistoryEntry, type RoleOutcome, type SearchVerdict, type TravelRoles, type UtteranceType } from "./roles.js";
import type { Preference } from "./scenario.js";

const SEARCH_JUDGE_SYSTEM = `You check the search requests a travel agent sends to a booking database.

Each part of the trip (flight, hotel, apartment, rental_car, restaurant) has ground-truth search arguments: the places and dates the traveller gave. A request is correct when it asks about exactly one of these parts and states every one of that part's arguments correctly (any reasonable date or place format is fine), with no wrong or extra arguments. It is incorrect when an argument is missing or wrong, when it mixes several parts or several requests, or when it is too unclear to run. Be strict.

Reply with only a JSON object:
{"alignment_judgement": "True" or "False", "alignment_aspect": "the part it searches (flight, hotel, apartment, rental_car or restaurant) when True"}

${DATA_NOT_INSTRUCTIONS}`;

const CLASSIFIER_SYSTEM = `You sort the latest message of a travel agent who is planning a trip with a traveller. The traveller has preferences the agent does not know yet, listed below; the agent should discover them by asking concrete questions.

Choose one type for the agent's latest message:
"1": ordinary conversation, or anything that is not a question about the traveller's preferences;
"2": a concrete, specific question about something that one of the listed preferences covers;
"3": a concrete, specific question about a preference, but none of the listed preferences covers it;
"4": a vague, general question about preferences that names no specific subject (for example "any preferences for the car?", as opposed to "which car model do you like?").
For type 2, give the id of the listed preference the question is about; if several fit, choose the one that fits best.

Reply with only a JSON object:
{"type": "1", "2", "3" or "4", "preference_id": "the preference id, for type 2"}

${DATA_NOT_INSTRUCTIONS}`;

const PREFERENCE_REPLY_SYSTEM = `You play a traveller planning a trip with a travel agent. The agent has just asked about something you have a preference on.

Answer naturally, in one to three sentences, and reveal the preference only indirectly: talk about your situation, habits or past experiences the way the hint below does, rather than stating a rule. Keep every concrete detail the hint contains (numbers, names) so an attentive agent can work the preference out. Stay consistent with the conversation so far and do not mention any other preference.

Reply with only a JSON object:
{"thought": "how you will hint at the preference", "response": "your reply to the agent"}

${DATA_NOT_INSTRUCTIONS}`;

const PROACTIVE_REPLY_SYSTEM = `You play a traveller planning a trip with a travel agent. The conversation has gone on for several turns without touching what matters to you, so in your reply you bring up the preference below on your own.

Reply to the agent's latest message briefly and naturally, then steer to the preference and reveal it indirectly, through your situation or habits as the hint below does, keeping every concrete detail the hint contains. Make clear which part of the trip (the flight, the hotel, the apartment, the rental car or the restaurant) you are talking about. Do not mention any other preference.

Reply with only a JSON object:
{"thought": "how you will bring the preference up", "response": "your reply to the agent"}

${DATA_NOT_INSTRUCTIONS}`;

const NATURAL_REPLY_SYSTEM = `You play a traveller planning a trip with a travel agent. The agent's latest message is not about anything you have a preference on.

Reply briefly and neutrally, like someone only half paying attention. Do not reveal or make up any preference: if you are asked about something, say you have no particular preference. Do not ask questions.

Reply with only a JSON object:
{"thought": "how you will reply", "response": "your reply to the agent"}

${DATA_NOT_INSTRUCTIONS}`;

/** History is agent-influenced text: quote it, keeping its most recent part when it is long. */
const HISTORY_CHARS = 12_000;

function quotedHistory(history: readonly HistoryEntry[], withNotes: boolean): string {
  let text = renderHistory(history, withNotes);
  if (text.length > HISTORY_CHARS) text = `[earlier conversation cut]\n${text.slice(-HISTORY_CHARS)}`;
  return quoteAgentText(text, HISTORY_CHARS + 40).text;
}

function preferenceBlock(p: Preference): string {
  return `Preference ID: ${p.id}\tAspect: ${p.aspect}\nPreference: ${p.preference}\nHint (how you would put it): ${p.implicit}`;
}

/** The reference's reply reader: whole text as JSON, else the first ```json block, else the widest {...}. */
export function referenceJson(text: string): Record<string, unknown> | null {
  const asObject = (s: string): Record<string, unknown> | null => {
    try {
      const v: unknown = JSON.parse(s.trim());
      return v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
    } catch {
      return null;
    }
  };
  const whole = asObject(text);
  if (whole) return whole;
  const fenced = /```json\s*([\s\S]*?)\s*```/.exec(text);
  if (fenced) {
    const v = asObject(fenced[1]);
    if (v) return v;
  }
  const braces = /\{[\s\S]*\}/.exec(text);
  return braces ? asObject(braces[0]) : null;
}

/** One reference-style call: no corrective retry; a model error or an unreadable reply is a failure. */
async function referenceCall(ctx: GymContext, model: ChatModel, role: string, messages: ChatMessage[]): Promise<RoleOutcome<Record<string, unknown> | null>> {
  try {
    const r = await model.chat(messages, { ...ROLE_DEFAULTS, signal: ctx.signal });
    const call: RoleCall = { role, model: model.spec, usage: r.usage, latencyMs: r.latencyMs, cached: r.cached };
    const obj = referenceJson(r.text);
    if (!obj) call.fallback = "reply held no readable JSON object";
    return { value: obj, calls: [call], fallback: obj ? undefined : `${role}: ${call.fallback}` };
  } catch (err) {
    if (mustPropagate(err)) throw err;
    const e = err instanceof ModelError ? err : new ModelError(String(err), "other");
    const problem = `model call failed: ${e.message}`;
    return { value: null, calls: [{ role, model: model.spec, usage: { promptTokens: 0, completionTokens: 0 }, latencyMs: 0, fallback: problem }], fallback: `${role}: ${problem}` };
  }
}

const VERDICTS: Record<string, SearchVerdict["verdict"]> = { true: "True", false: "False", "n/a": "N/A" };

const searchSchema = z
  .object({ alignment_judgement: z.union([z.string(), z.boolean()]), alignment_aspect: z.string().optional() })
  .transform((o): SearchVerdict => ({ verdict: VERDICTS[String(o.alignment_judgement).trim().toLowerCase()] ?? "invalid", aspect: o.alignment_aspect }))
  .refine((v) => v.verdict !== "invalid", { message: 'alignment_judgement must be "True" or "False"' })
  .refine((v) => v.verdict !== "True" || !!v.aspect, { message: "alignment_aspect is required when the judgement is True" });

function classificationSchema(remaining: readonly Preference[]) {
  const ids = remaining.map((p) => p.id);
  return z
    .object({ type: z.union([z.string(), z.number()]), preference_id: z.union([z.string(), z.number()]).optional().nullable() })
    .transform((o): Classification => {
      const type = String(o.type).trim() as UtteranceType;
      const raw = o.preference_id === undefined || o.preference_id === null ? undefined : String(o.preference_id).trim();
      const id = raw === undefined ? undefined : /^\d+$/.test(raw) ? `P${raw}` : raw.toUpperCase();
      return { type, preferenceId: type === "2" ? id : undefined };
    })
    .refine((c) => ["1", "2", "3", "4"].includes(c.type), { message: 'type must be "1", "2", "3" or "4"' })
    .refine((c) => c.type !== "2" || (c.preferenceId !== undefined && ids.includes(c.preferenceId)), {
      message: `type 2 needs a preference_id from the list (${ids.join(", ") || "none left"})`,
    });
}

const replySchema = z.object({ thought: z.unknown().optional(), response: z.string().trim().min(1) }).transform((o) => o.response);

export function llmRoles(ctx: GymContext, judge: ChatModel, user: ChatModel): TravelRoles {
  const compat = ctx.compat === "userrl-2025";

  async function ask<T>(model: ChatModel, role: string, system: string, prompt: string, schema: z.ZodType<T>, fallback: T, fromReference: (o: Record<string, unknown>) => T | null): Promise<RoleOutcome<T>> {
    const messages: ChatMessage[] = [
      { role: "system", content: system },
      { role: "user", content: prompt },
    ];
    if (compat) {
      const r = await referenceCall(ctx, model, role, messages);
      const value = r.value ? fromReference(r.value) : null;
      const fb = value === null ? (r.fallback ?? `${role}: reply did not fit the expected fields`) : undefined;
      if (value === null && r.calls[0] && !r.calls[0].fallback) r.calls[0].fallback = "reply did not fit the expected fields";
      return { value: value ?? fallback, calls: r.calls, fallback: fb };
    }
    const r = await askJson(model, messages, { role, schema, fallback, options: { signal: ctx.signal } });
    return { value: r.value, calls: r.calls, fallback: r.fallback };
  }

  const replyFromReference = (o: Record<string, unknown>): string | null => (typeof o.response === "string" ? o.response.trim() : null);

  return {
    judgeSearch: (query, scenario) => {
      const args = scenario.dimensions
        .map((d) => `Aspect Name: ${d}\n${pyJsonDumps(scenario.blocks[d]?.arguments ?? {}, { indent: 4 })}`)
        .join("\n\n");
      const prompt = `Search request:\n${quoteAgentText(query).text}\n\nGround-truth arguments:\n${args}\n\nJudge the request and reply with the JSON object.`;
      return ask<SearchVerdict>(judge, "travel.search_judge", SEARCH_JUDGE_SYSTEM, prompt, searchSchema, { verdict: "invalid" }, (o) => {
        const v = o.alignment_judgement;
        if (v === "True") return typeof o.alignment_aspect === "string" ? { verdict: "True", aspect: o.alignment_aspect } : null;
        if (v === "False" || v === "N/A") return { verdict: v };
        return null;
      });
    },

    classify: (utterance, history, remaining, scenario) => {
      const prefs = remaining.map((p) => `Preference ID: ${p.id}\tAspect: ${p.aspect}\nPreference: ${p.preference}`).join("\n\n");
      const prompt =
        `Trip:\n${scenario.scenario}\n\nConversation so far:\n${quotedHistory(history, true)}\n\n` +
        `Agent's latest message:\n${quoteAgentText(utterance).text}\n\nThe traveller's remaining preferences:\n${prefs || "(none)"}\n\n` +
        `Classify the agent's latest message and reply with the JSON object.`;
      return ask<Classification | null>(judge, "travel.classifier", CLASSIFIER_SYSTEM, prompt, classificationSchema(remaining), null, (o) => {
        if (!("type" in o)) return null;
        const type = pyStr(o.type).trim();
        if (type === "2") {
          if (typeof o.preference_id !== "string") return null;
          const id = o.preference_id.trim();
          return remaining.some((p) => p.id === id) ? { type: "2", preferenceId: id } : null;
        }
        return ["1", "3", "4"].includes(type) ? { type: type as UtteranceType } : null;
      });
    },

    preferenceReply: (pref, history, utterance) => {
      const prompt =
        `Your preference:\n${preferenceBlock(pref)}\n\nConversation so far:\n${quotedHistory(history, true)}\n\n` +
        `Agent's latest message:\n${quoteAgentText(utterance).text}\n\nReply to the agent with the JSON object.`;
      return ask<string | null>(user, "travel.user", PREFERENCE_REPLY_SYSTEM, prompt, replySchema, null, replyFromReference);
    },

    proactiveReply: (pref, history, utterance) => {
      const prompt =
        `The preference to bring up:\n${preferenceBlock(pref)}\n\nConversation so far:\n${quotedHistory(history, true)}\n\n` +
        `Agent's latest message:\n${quoteAgentText(utterance).text}\n\nReply to the agent with the JSON object.`;
      return ask<string | null>(user, "travel.user", PROACTIVE_REPLY_SYSTEM, prompt, replySchema, null, replyFromReference);
    },

    naturalReply: (history, utterance) => {
      const prompt =
        `Conversation so far:\n${quotedHistory(history, true)}\n\nAgent's latest message:\n${quoteAgentText(utterance).text}\n\n` +
        `Reply to the agent with the JSON object.`;
      return ask<string | null>(user, "travel.user", NATURAL_REPLY_SYSTEM, prompt, replySchema, null, replyFromReference);
    },
  };
}
