/**
 * TravelGym's LLM roles (our own prompts): the search judge and the utterance classifier (judge model),
 * and the traveller's replies (user model).
 *
 * `compat: "fixed"` asks through the kit's `askRole` (lenient parsing, one corrective retry, a recorded fallback) and
 * accepts obvious variants (a JSON boolean verdict, "p3" for "P3"). `compat: "userrl-2025"` reads replies
 * as the reference does: one call; the text as JSON, else the first ```json block, else the widest {…};
 * exact field values ("True" must be the string "True"); anything else is a failure.
 */
import { z } from "zod";
import { pyJsonDumps, pyStr } from "../../core/pyformat.js";
import type { GymContext, Task } from "../../core/types.js";
import type { ChatMessage } from "../../models/types.js";
import { DATA_NOT_INSTRUCTIONS, quoteAgentText } from "../kit/quote.js";
import { askRole, type RoleParse, type RoleRequest, type RoleSpec } from "../kit/roles.js";
import { renderHistory, type Classification, type HistoryEntry, type RoleOutcome, type SearchVerdict, type TravelRoles, type UtteranceType } from "./roles.js";
import { preferencesOf, type Preference, type Scenario } from "./scenario.js";
import type { TravelPayload } from "./tasks.js";

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

/** A reference-mode reader: the reference's JSON, then the role's exact-field check. */
function fromReferenceJson<T>(fields: (o: Record<string, unknown>) => T | null): (text: string) => RoleParse<T> {
  return (text) => {
    const o = referenceJson(text);
    if (!o) return { problem: "reply held no readable JSON object" };
    const value = fields(o);
    return value === null ? { problem: "reply did not fit the expected fields" } : { value };
  };
}

const SEARCH_VERDICT_SCHEMA = {
  type: "object",
  properties: { alignment_judgement: { type: "string", enum: ["True", "False"] }, alignment_aspect: { type: "string" } },
  required: ["alignment_judgement"],
};

/** The search judge: does a search request state one aspect's ground-truth arguments? */
export const searchJudgeRole: RoleSpec<SearchVerdict> = {
  name: "travel.search_judge",
  seat: "judge",
  describe: "checks that a search request states exactly one aspect's ground-truth arguments (shown those arguments and the request)",
  onFallback: "the search is treated as not understood and returns no options",
  schema: searchSchema,
  fallback: { verdict: "invalid" },
  jsonSchema: SEARCH_VERDICT_SCHEMA,
  reference: fromReferenceJson((o): SearchVerdict | null => {
    const v = o.alignment_judgement;
    if (v === "True") return typeof o.alignment_aspect === "string" ? { verdict: "True", aspect: o.alignment_aspect } : null;
    if (v === "False" || v === "N/A") return { verdict: v };
    return null;
  }),
};

/** The utterance classifier: which of the traveller's remaining preferences (if any) a message asks about. */
export function classifierRole(remaining: readonly Preference[]): RoleSpec<Classification | null> {
  return {
    name: "travel.classifier",
    seat: "judge",
    describe: "sorts the agent's message: chat, a concrete question about a listed preference (which one), about none, or a vague question",
    onFallback: "the message is treated as ordinary conversation (a neutral reply)",
    schema: classificationSchema(remaining),
    fallback: null,
    jsonSchema: { type: "object", properties: { type: { type: "string", enum: ["1", "2", "3", "4"] }, preference_id: { type: "string" } }, required: ["type"] },
    reference: fromReferenceJson((o): Classification | null => {
      if (!("type" in o)) return null;
      const type = pyStr(o.type).trim();
      if (type === "2") {
        if (typeof o.preference_id !== "string") return null;
        const id = o.preference_id.trim();
        return remaining.some((p) => p.id === id) ? { type: "2", preferenceId: id } : null;
      }
      return ["1", "3", "4"].includes(type) ? { type: type as UtteranceType } : null;
    }),
  };
}

/** The traveller's reply. A person can play it, from a brief of the trip and their preferences. */
export function travellerRole(scenario?: Scenario): RoleSpec<string | null> {
  return {
    name: "travel.user",
    seat: "user",
    describe: "the traveller's reply: hints at the preference asked about, brings one up after drifting talk, or replies neutrally",
    onFallback: "fixed: the offline user's reply; userrl-2025: the reference's canned replies",
    schema: replySchema,
    fallback: null,
    jsonSchema: { type: "object", properties: { thought: { type: "string" }, response: { type: "string" } }, required: ["response"] },
    reference: fromReferenceJson((o) => (typeof o.response === "string" ? o.response.trim() : null)),
    person: {
      brief: (task: Task<any>) => travellerBrief(scenario, task),
      fromHuman: (text) => text || null,
    },
  };
}

/** The trip and the preferences, for a person playing the traveller. */
function travellerBrief(scenario: Scenario | undefined, task: Task<any>): string {
  const lines = [`You are a traveller planning a trip with a travel agent. Your trip: ${(task.payload as { description?: string }).description ?? task.id}`];
  if (scenario) {
    lines.push("Your preferences (reveal them only when the agent asks concrete questions, and only indirectly):");
    for (const p of preferencesOf(scenario)) lines.push(`- ${p.aspect}: ${p.preference}`);
  }
  lines.push("You want the cheapest option that meets all your preferences.");
  return lines.join("\n");
}

/** The agent's step as a person sees it: one more than the agent messages so far. */
function turnOf(history: readonly HistoryEntry[]): number {
  return 1 + history.filter((e) => e.role === "agent").length;
}

/** The LLM roles of an episode (a person in the user's seat answers the traveller's replies). */
export function llmRoles(ctx: GymContext, task?: Task<TravelPayload>, scenario?: Scenario): TravelRoles {
  const compat = ctx.compat === "userrl-2025";
  const traveller = travellerRole(scenario);

  async function ask<T>(role: RoleSpec<T>, system: string, prompt: string, human?: RoleRequest<T>["human"]): Promise<RoleOutcome<T>> {
    const messages: ChatMessage[] = [
      { role: "system", content: system },
      { role: "user", content: prompt },
    ];
    const r = await askRole(ctx, role, { messages, ...(human ? { human } : {}) });
    if (!r.fallback) return { value: r.value, calls: r.calls };
    return { value: r.value, calls: r.calls, fallback: compat ? `${role.name}: ${r.problem}` : r.fallback };
  }
  const person = (history: readonly HistoryEntry[], utterance: string) =>
    task ? { task, turn: turnOf(history), prompt: `The agent says: ${utterance}` } : undefined;

  return {
    judgeSearch: (query, scenario) => {
      const args = scenario.dimensions
        .map((d) => `Aspect Name: ${d}\n${pyJsonDumps(scenario.blocks[d]?.arguments ?? {}, { indent: 4 })}`)
        .join("\n\n");
      const prompt = `Search request:\n${quoteAgentText(query).text}\n\nGround-truth arguments:\n${args}\n\nJudge the request and reply with the JSON object.`;
      return ask(searchJudgeRole, SEARCH_JUDGE_SYSTEM, prompt);
    },

    classify: (utterance, history, remaining, scenario) => {
      const prefs = remaining.map((p) => `Preference ID: ${p.id}\tAspect: ${p.aspect}\nPreference: ${p.preference}`).join("\n\n");
      const prompt =
        `Trip:\n${scenario.scenario}\n\nConversation so far:\n${quotedHistory(history, true)}\n\n` +
        `Agent's latest message:\n${quoteAgentText(utterance).text}\n\nThe traveller's remaining preferences:\n${prefs || "(none)"}\n\n` +
        `Classify the agent's latest message and reply with the JSON object.`;
      return ask(classifierRole(remaining), CLASSIFIER_SYSTEM, prompt);
    },

    preferenceReply: (pref, history, utterance) => {
      const prompt =
        `Your preference:\n${preferenceBlock(pref)}\n\nConversation so far:\n${quotedHistory(history, true)}\n\n` +
        `Agent's latest message:\n${quoteAgentText(utterance).text}\n\nReply to the agent with the JSON object.`;
      return ask(traveller, PREFERENCE_REPLY_SYSTEM, prompt, person(history, utterance));
    },

    proactiveReply: (pref, history, utterance) => {
      const prompt =
        `The preference to bring up:\n${preferenceBlock(pref)}\n\nConversation so far:\n${quotedHistory(history, true)}\n\n` +
        `Agent's latest message:\n${quoteAgentText(utterance).text}\n\nReply to the agent with the JSON object.`;
      return ask(traveller, PROACTIVE_REPLY_SYSTEM, prompt, person(history, utterance));
    },

    naturalReply: (history, utterance) => {
      const prompt =
        `Conversation so far:\n${quotedHistory(history, true)}\n\nAgent's latest message:\n${quoteAgentText(utterance).text}\n\n` +
        `Reply to the agent with the JSON object.`;
      return ask(traveller, NATURAL_REPLY_SYSTEM, prompt, person(history, utterance));
    },
  };
}
