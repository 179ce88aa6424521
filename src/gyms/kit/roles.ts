/**
 * The simulated-user contract: every LLM role of a gym (simulated user, judge, classifier) is declared once
 * as a {@link RoleSpec}, and every call to it goes through the one {@link askRole}.
 *
 * - `compat: "fixed"` reads the role's own reply leniently (fenced or bare JSON, Python dicts, prose around
 *   the object; the *last* object outside any quoted agent text, so a verdict the agent wrote cannot count),
 *   sends one corrective retry when the reply does not fit the schema, then takes the role's documented fallback.
 * - `compat: "userrl-2025"` reproduces the reference's parser (spec/gyms-conversational.md §1.3) with no
 *   retry: by default strip the reply, drop a leading "```json" and a trailing "```", read a Python literal
 *   (one documented difference: JSON `true/false/null` are read here, where `literal_eval` would fail).
 * - A persona's instructions are appended to the prompt of user-seat roles only; a person in the user's seat
 *   (`ctx.humanSeat`) answers user-seat roles that declare how (`person`). Judges never see either.
 * Every call is recorded (usage, latency, fallback, the reply used) for the trajectory.
 */
import type { z } from "zod";
import { pyStrip } from "../../core/action.js";
import type { GymContext, HumanRequest, RoleCall, RoleInfo, StepResult, Task } from "../../core/types.js";
import { extractLastObject, parseLiteral } from "../../models/lenient-json.js";
import { ModelError, mustPropagate, type ChatMessage, type ChatModel, type ChatOptions } from "../../models/types.js";

/** Sampling defaults of role calls (the spec's: temperature 0, at most 2048 tokens, 10 s per request). */
export const ROLE_DEFAULTS: ChatOptions = { temperature: 0, maxTokens: 2048, timeoutMs: 10_000 };

/** A reference-mode parse of one raw reply: the value, or why it cannot be used. */
export type RoleParse<T> = { value: T } | { problem: string };

/** How a person plays a user-seat role. */
export interface PersonSide<T> {
  /** The hidden task, written for a person (what they know and how to answer). */
  brief(task: Task<any>): string;
  /** The role's reply from what the person typed (trimmed); `fallback` stands in for what the text leaves out. */
  fromHuman(text: string, fallback: T): T;
  /** The allowed answers when the reply is categorical. */
  choices?: string[];
}

export interface RoleSpec<T> extends Omit<RoleInfo, "human"> {
  /** The reply's contract in fixed mode (off-contract replies get the corrective retry). */
  schema: z.ZodType<T>;
  /** `json` (default): the reply is an object read from the text; `text`: the reply is the text itself. */
  reply?: "json" | "text";
  /** The reply used when none can be: what {@link RoleInfo.onFallback} describes. */
  fallback: T;
  /** The reply's JSON schema, sent as structured output to endpoints built to use it. */
  jsonSchema?: Record<string, unknown>;
  /** The looser contract the reference enforced, used under `userrl-2025` by the default reference parse. */
  referenceSchema?: z.ZodType<T>;
  /** The reference's own parse of a raw reply, under `userrl-2025` (default: {@link referenceLiteral} + schema). */
  reference?(text: string): RoleParse<T>;
  /** Sampling options instead of {@link ROLE_DEFAULTS} (e.g. a role that samples at the provider's temperature). */
  chat?: ChatOptions;
  /** Per-request timeout (default 10 s, as the reference). */
  timeoutMs?: number;
  /** Present when a person can take the role. */
  person?: PersonSide<T>;
}

/** One call of a role. */
export interface RoleRequest<T> {
  messages: ChatMessage[];
  /** What a person in the seat needs: the task, the step, and what to answer now in plain words. */
  human?: { task: Task<any>; turn: number; prompt: string };
  /** Replaces the role's fallback for this call (e.g. a reply that depends on the episode). */
  fallback?: T;
}

export interface RoleAnswer<T> {
  value: T;
  /** Set when the fallback was used: `<role>: <problem>; used the fallback`. */
  fallback?: string;
  /** Why the reply could not be used, when it could not. */
  problem?: string;
  /** The model error that ended the call, when one did. */
  error?: unknown;
  calls: RoleCall[];
  /** The last raw reply text. */
  raw: string;
}

/** What the gym definition lists of a role. */
export function roleInfo(role: RoleSpec<unknown>): RoleInfo {
  const person = role.person;
  return {
    name: role.name,
    seat: role.seat,
    describe: role.describe,
    onFallback: role.onFallback,
    human: person !== undefined,
    ...(person ? { brief: (task: Task<any>) => person.brief(task) } : {}),
  };
}

/** A gym without an offline user was given none of its role models (`--user offline`). */
export class NoOfflineUserError extends Error {
  constructor(gym: string) {
    super(
      `gym "${gym}" has no offline user: its simulated user and judge are LLM roles. Pass --user <model spec> ` +
        `(e.g. openai:gpt-4o, or scripted:<replies.json> for a demo)`,
    );
    this.name = "NoOfflineUserError";
  }
}

/** For a gym without an offline user: fail at once, naming the gym, when the run gives it no models. */
export function requireRoleModels(ctx: GymContext, gym: string): void {
  if (ctx.user.kind !== "llm") throw new NoOfflineUserError(gym);
}

/** The model that plays a role in this episode. */
export function roleModel(ctx: GymContext, role: Pick<RoleInfo, "name" | "seat">): ChatModel {
  if (ctx.user.kind !== "llm") throw new NoOfflineUserError(role.name.split(".")[0]);
  return role.seat === "user" ? ctx.user.user : ctx.user.judge;
}

/** Ask a role for its reply under the episode's compat mode, persona and seat. */
export async function askRole<T>(ctx: GymContext, role: RoleSpec<T>, req: RoleRequest<T>): Promise<RoleAnswer<T>> {
  const stored = ctx.storedReplies?.take(role);
  if (stored) return storedAnswer(role, stored);
  if (role.seat === "user" && ctx.humanSeat && role.person && req.human) return askPerson(ctx, role, req);
  const model = roleModel(ctx, role);
  const messages = role.seat === "user" && ctx.persona?.instructions ? withPersona(req.messages, ctx.persona.instructions) : req.messages;
  const options: ChatOptions = {
    ...(role.chat ?? ROLE_DEFAULTS),
    ...(role.timeoutMs !== undefined ? { timeoutMs: role.timeoutMs } : {}),
    ...(role.jsonSchema ? { jsonSchema: { name: role.name.replace(/[^A-Za-z0-9_-]/g, "_"), schema: role.jsonSchema } } : {}),
    signal: ctx.signal,
  };
  const fallback = "fallback" in req ? (req.fallback as T) : role.fallback;
  const answer = ctx.compat === "userrl-2025" ? await askOnce(model, role, messages, options, fallback) : await askWithRetry(model, role, messages, options, fallback);
  const last = answer.calls.at(-1);
  if (last) last.reply = toJson(answer.value);
  return answer;
}

/** Fixed mode: the role's own object, one corrective retry, then the fallback. */
async function askWithRetry<T>(model: ChatModel, role: RoleSpec<T>, messages: ChatMessage[], options: ChatOptions, fallback: T): Promise<RoleAnswer<T>> {
  const calls: RoleCall[] = [];
  const convo = [...messages];
  let raw = "";
  let problem = "";
  let error: unknown;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const r = await model.chat(convo, options);
      raw = r.text;
      const call: RoleCall = { role: role.name, model: model.spec, usage: r.usage, latencyMs: r.latencyMs, cached: r.cached };
      calls.push(call);
      const obj = role.reply === "text" ? r.text : ownObject(r.text);
      const parsed = obj !== undefined ? role.schema.safeParse(obj) : undefined;
      if (parsed?.success) return { value: parsed.data, calls, raw };
      problem = obj !== undefined ? `reply did not fit the expected shape (${parsed?.error.issues[0]?.message ?? "invalid"})` : "reply held no JSON object";
      call.fallback = problem;
      convo.push(
        { role: "assistant", content: r.text },
        { role: "user", content: `Your last reply could not be used: ${problem}. Answer again with only the JSON object in the required format, and nothing else.` },
      );
    } catch (err) {
      problem = failedCall(err, role, model, calls);
      error = err;
      break;
    }
  }
  return { value: fallback, fallback: `${role.name}: ${problem}; used the fallback`, problem, error, calls, raw };
}

/** Reference mode: one call, the reference's parse, no retry. */
async function askOnce<T>(model: ChatModel, role: RoleSpec<T>, messages: ChatMessage[], options: ChatOptions, fallback: T): Promise<RoleAnswer<T>> {
  const calls: RoleCall[] = [];
  try {
    const r = await model.chat(messages, options);
    const call: RoleCall = { role: role.name, model: model.spec, usage: r.usage, latencyMs: r.latencyMs, cached: r.cached };
    calls.push(call);
    const parsed = role.reference ? role.reference(r.text) : literalParse(r.text, role.referenceSchema ?? role.schema, role.reply);
    if ("value" in parsed) return { value: parsed.value, calls, raw: r.text };
    call.fallback = parsed.problem;
    return { value: fallback, fallback: `${role.name}: ${parsed.problem}; used the fallback`, problem: parsed.problem, calls, raw: r.text };
  } catch (err) {
    const problem = failedCall(err, role, model, calls);
    return { value: fallback, fallback: `${role.name}: ${problem}; used the fallback`, problem, error: err, calls, raw: "" };
  }
}

/** Re-grading: the reply a stored episode used, as it was used (a fallback stays one). */
function storedAnswer<T>(role: RoleSpec<T>, stored: Pick<RoleCall, "reply" | "fallback">): RoleAnswer<T> {
  const call: RoleCall = { role: role.name, model: "stored", usage: { promptTokens: 0, completionTokens: 0 }, latencyMs: 0, reply: stored.reply, ...(stored.fallback ? { fallback: stored.fallback } : {}) };
  const fell = stored.fallback ? { fallback: `${role.name}: ${stored.fallback}; used the fallback`, problem: stored.fallback } : {};
  return { value: stored.reply as T, ...fell, calls: [call], raw: "" };
}

/** A person answers a user-seat role; their reply is read by the role's `fromHuman`. */
async function askPerson<T>(ctx: GymContext, role: RoleSpec<T>, req: RoleRequest<T>): Promise<RoleAnswer<T>> {
  const person = role.person!;
  const h = req.human!;
  const request: HumanRequest = {
    gym: h.task.gym,
    taskId: h.task.id,
    role: role.name,
    turn: h.turn,
    brief: person.brief(h.task),
    prompt: h.prompt,
    ...(person.choices ? { choices: [...person.choices] } : {}),
  };
  const started = performance.now();
  const text = (await ctx.humanSeat!.ask(request, ctx.signal)).trim();
  const value = person.fromHuman(text, "fallback" in req ? (req.fallback as T) : role.fallback);
  const call: RoleCall = { role: role.name, model: "human", usage: { promptTokens: 0, completionTokens: 0 }, latencyMs: performance.now() - started, reply: toJson(value) };
  return { value, calls: [call], raw: text };
}

/** Record a failed model call; cancellations and unloadable models propagate instead. */
function failedCall(err: unknown, role: RoleSpec<unknown>, model: ChatModel, calls: RoleCall[]): string {
  if (mustPropagate(err)) throw err;
  const e = err instanceof ModelError ? err : new ModelError(String(err), "other");
  const problem = `model call failed: ${e.message}`;
  calls.push({ role: role.name, model: model.spec, usage: { promptTokens: 0, completionTokens: 0 }, latencyMs: 0, fallback: problem });
  return problem;
}

function literalParse<T>(text: string, schema: z.ZodType<T>, reply: RoleSpec<T>["reply"]): RoleParse<T> {
  const value = reply === "text" ? text : referenceLiteral(text);
  if (value === undefined) return { problem: "reply is not a bare (optionally ```json-fenced) literal" };
  const parsed = schema.safeParse(value);
  return parsed.success ? { value: parsed.data } : { problem: `reply did not fit the expected shape (${parsed.error.issues[0]?.message ?? "invalid"})` };
}

/** The persona's instructions appended to the system message (one is added when the prompt has none). */
function withPersona(messages: readonly ChatMessage[], instructions: string): ChatMessage[] {
  const i = messages.findIndex((m) => m.role === "system");
  if (i < 0) return [{ role: "system", content: instructions }, ...messages];
  return messages.map((m, j) => (j === i ? { ...m, content: `${m.content}\n\n${instructions}` } : m));
}

/** Quoted agent text inside a role's reply, which never counts as the role's own words. */
const QUOTED = /<\s*agent_text\s*>[\s\S]*?(?:<\s*\/\s*agent_text\s*>|$)/gi;

/**
 * The object a role wrote itself: quoted agent text removed, then the last well-formed object (a role that
 * echoes the agent's text puts its own verdict after it).
 */
export function ownObject(text: string): Record<string, unknown> | undefined {
  return extractLastObject(text.replace(QUOTED, " "));
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

/** What a step result records of the role asks it made: their calls, and the fallbacks they took. */
export function roleTrace(...answers: (RoleAnswer<unknown> | undefined)[]): Pick<StepResult, "roleCalls" | "fallbacks"> {
  const calls = answers.flatMap((a) => a?.calls ?? []);
  const fallbacks = answers.flatMap((a) => (a?.fallback ? [a.fallback] : []));
  return { ...(calls.length ? { roleCalls: calls } : {}), ...(fallbacks.length ? { fallbacks } : {}) };
}

/** A reply as stored on the trajectory: JSON-serialisable (undefined becomes null). */
function toJson(value: unknown): unknown {
  try {
    return value === undefined ? null : JSON.parse(JSON.stringify(value));
  } catch {
    return String(value);
  }
}
