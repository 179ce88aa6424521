/**
 * LLM roles of the conversational gyms (simulated users, judges), shared by every gym that has them.
 *
 * - `compat: "fixed"` asks through `askJson`: lenient parsing (fenced or bare JSON, Python dicts, prose
 *   around the object), one corrective retry, then the gym's documented fallback.
 * - `compat: "userrl-2025"` reproduces the reference's parser (spec/gyms-conversational.md §1.3): strip the
 *   reply, drop a leading "```json" and a trailing "```", read a Python literal — with no retry, so a
 *   reply with prose around the object takes the fallback, as it does there. (One documented difference:
 *   JSON `true/false/null` are read here, where Python's `literal_eval` would fail.)
 * Both record every call (usage, latency, fallback) for the trajectory.
 */
import type { z } from "zod";
import { pyStrip } from "../core/action.js";
import type { GymContext, RoleCall, StepResult } from "../core/types.js";
import { askJson, ROLE_DEFAULTS, type AskJsonResult } from "../models/ask-json.js";
import { parseLiteral } from "../models/lenient-json.js";
import { ModelError, mustPropagate, type ChatMessage, type ChatModel } from "../models/types.js";

export interface RoleAsk<T> {
  /** Recorded on each call, e.g. "turtle.host". */
  role: string;
  /** The reply's contract in fixed mode (off-contract replies get the corrective retry). */
  schema: z.ZodType<T>;
  /** The looser contract the reference enforced, used under `userrl-2025` (default: `schema`). */
  referenceSchema?: z.ZodType<T>;
  fallback: T;
  /** Per-request timeout (default 10 s, as the reference). */
  timeoutMs?: number;
}

/** The role models of an episode; gyms without an offline user cannot run with `--user offline`. */
export function roleModels(ctx: GymContext, gym: string): { user: ChatModel; judge: ChatModel } {
  if (ctx.user.kind !== "llm") {
    throw new Error(
      `gym "${gym}" has no offline user: its simulated user and judge are LLM roles. Pass --user <model spec> ` +
        `(e.g. openai:gpt-4o, or scripted:<replies.json> for a demo)`,
    );
  }
  return { user: ctx.user.user, judge: ctx.user.judge };
}

/** Ask a role model for a JSON object under the episode's compat mode. */
export async function askRole<T>(ctx: GymContext, model: ChatModel, messages: ChatMessage[], ask: RoleAsk<T>): Promise<AskJsonResult<T>> {
  if (ctx.compat !== "userrl-2025") {
    const options = { signal: ctx.signal, ...(ask.timeoutMs !== undefined ? { timeoutMs: ask.timeoutMs } : {}) };
    return askJson(model, messages, { role: ask.role, schema: ask.schema, fallback: ask.fallback, options });
  }
  const schema = ask.referenceSchema ?? ask.schema;
  let raw = "";
  let problem: string;
  const calls: RoleCall[] = [];
  try {
    const r = await model.chat(messages, { ...ROLE_DEFAULTS, signal: ctx.signal, ...(ask.timeoutMs !== undefined ? { timeoutMs: ask.timeoutMs } : {}) });
    raw = r.text;
    const call: RoleCall = { role: ask.role, model: model.spec, usage: r.usage, latencyMs: r.latencyMs, cached: r.cached };
    calls.push(call);
    const value = referenceLiteral(r.text);
    const parsed = value === undefined ? undefined : schema.safeParse(value);
    if (parsed?.success) return { value: parsed.data, calls, raw };
    problem =
      value === undefined
        ? "reply is not a bare (optionally ```json-fenced) literal"
        : `reply did not fit the expected shape (${parsed?.error.issues[0]?.message ?? "invalid"})`;
    call.fallback = problem;
  } catch (err) {
    if (mustPropagate(err)) throw err;
    const e = err instanceof ModelError ? err : new ModelError(String(err), "other");
    problem = `model call failed: ${e.message}`;
    calls.push({ role: ask.role, model: model.spec, usage: { promptTokens: 0, completionTokens: 0 }, latencyMs: 0, fallback: problem });
  }
  return { value: ask.fallback, fallback: `${ask.role}: ${problem}; used the fallback`, calls, raw };
}

/** What a step result records of a role ask, if the step made one: its calls, and the fallback it took. */
export function roleTrace(asked: AskJsonResult<unknown> | undefined): Pick<StepResult, "roleCalls" | "fallbacks"> {
  if (!asked) return {};
  return { roleCalls: asked.calls, ...(asked.fallback ? { fallbacks: [asked.fallback] } : {}) };
}

/** The reference's reply parser: strip, drop a "```json" opening and a "```" closing, read a literal. */
export function referenceLiteral(text: string): unknown {
  let s = pyStrip(text);
  if (s.startsWith("```json")) s = s.slice(7);
  if (s.endsWith("```")) s = s.slice(0, -3);
  try {
    return parseLiteral(s);
  } catch {
    return undefined;
  }
}
