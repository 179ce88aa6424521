/**
 * The one action parser of the project.
 *
 * An agent acts through the tool `interact_with_env({choice, content})` or, in the reference's text
 * form, `[choice] content`. Both become an {@link Action}. `raw` is the exact string the reference's
 * InteractTool would hand to `env.step`, so gyms can reproduce reference quirks under `compat`.
 */
import { pyStr } from "./pyformat.js";

export const CHOICES = ["action", "answer", "search", "finish"] as const;
export type Choice = (typeof CHOICES)[number];
/** The choices the tool schema enumerates (the reference tolerates `finish` without listing it). */
export const SCHEMA_CHOICES = ["action", "answer", "search"] as const;

export interface Action {
  /** The recognised choice, or null when the text carries no known tag. */
  choice: Choice | null;
  /** Text after the tag, trimmed (the whole stripped text when there is no tag). */
  content: string;
  /** The env string the reference builds: `"[choice] content"`, `"[finish]"` or the bare content. */
  raw: string;
  /** True when the tag was written in exact lowercase form (`[action]`, not `[Action]`). */
  exactTag: boolean;
}

/** Largest action text the project accepts; longer text is cut (and the cut recorded) at the edge. */
export const MAX_ACTION_CHARS = 20_000;

/** How the fallback note of a cut action begins. */
export const ACTION_CUT = "action cut from";

/** The action as a gym reads it: raw text and content cut to {@link MAX_ACTION_CHARS} (the same object when short). */
export function cutAction(action: Action): Action {
  if (action.raw.length <= MAX_ACTION_CHARS && action.content.length <= MAX_ACTION_CHARS) return action;
  return { ...action, raw: capText(action.raw), content: capText(action.content) };
}

/** The turn's fallback note for an action that {@link cutAction} cut. */
export function cutNote(action: Action): string {
  return `${ACTION_CUT} ${action.raw.length} to ${MAX_ACTION_CHARS} characters`;
}

/**
 * `s` cut to {@link MAX_ACTION_CHARS}, as a string of its own: a plain slice would keep the whole (perhaps
 * megabyte) original alive for as long as the turn is kept. The UTF-16 round trip copies every code unit as is.
 */
export function capText(s: string): string {
  return s.length <= MAX_ACTION_CHARS ? s : Buffer.from(s.slice(0, MAX_ACTION_CHARS), "utf16le").toString("utf16le");
}

const TAG = /^\[(action|answer|search|finish)\]/i;

/** Parse the bracket form `[action] …` (after Python-style `.strip()`). */
export function parseBracketAction(text: string): Action {
  const stripped = pyStrip(text);
  const m = TAG.exec(stripped);
  if (!m) return { choice: null, content: stripped, raw: text, exactTag: false };
  const tag = m[1];
  const choice = tag.toLowerCase() as Choice;
  return {
    choice,
    content: pyStrip(stripped.slice(m[0].length)),
    raw: text,
    exactTag: tag === choice,
  };
}

/**
 * Build the action for tool arguments `{choice, content}` exactly as the reference's InteractTool does,
 * then parse it. Non-string fields go through Python `str()` (an object `content` becomes a dict repr).
 */
export function actionFromToolArgs(args: { choice?: unknown; content?: unknown }): Action {
  const choice = args.choice === undefined || args.choice === null ? "" : pyStr(args.choice);
  const content = args.content === undefined || args.content === null ? "" : pyStr(args.content);
  let raw: string;
  if (choice === "finish") raw = "[finish]";
  else if (choice === "action" || choice === "answer" || choice === "search") {
    const prefix = `[${choice}]`;
    raw = content.startsWith(prefix) ? content : `${prefix} ${content}`;
  } else raw = content;
  return parseBracketAction(raw);
}

/** The characters `pyStrip` removes: JavaScript's `\s` plus Python's extra separators (U+001C–U+001F, U+0085). */
function isStripped(c: number): boolean {
  if (c <= 0x20) return c === 0x20 || (c >= 0x09 && c <= 0x0d) || (c >= 0x1c && c <= 0x1f);
  if (c < 0x85) return false;
  return (
    c === 0x85 || c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff
  );
}

/**
 * Python `str.strip()` with no argument: Unicode whitespace on both ends. Scans inward from each end, so it
 * is linear in the input (a `\s+$` regex backtracks quadratically over long inner runs of whitespace).
 */
export function pyStrip(s: string): string {
  let start = 0;
  let end = s.length;
  while (start < end && isStripped(s.charCodeAt(start))) start++;
  while (end > start && isStripped(s.charCodeAt(end - 1))) end--;
  return start === 0 && end === s.length ? s : s.slice(start, end);
}

export type ToolCallParse =
  | { ok: true; action: Action; args: { choice: string; content: string } }
  | { ok: false; error: string };

/**
 * Validate one tool call of the agent. The reference ends the episode when the call is unusable
 * (unknown tool, arguments that are not a JSON object, or missing `choice`/`content`).
 */
export function parseToolCall(name: string, argumentsJson: string): ToolCallParse {
  if (name !== INTERACT_TOOL_NAME) return { ok: false, error: `unknown tool "${truncate(name, 80)}"` };
  if (nestedDeeperThan(argumentsJson, MAX_ARGUMENT_DEPTH)) {
    return { ok: false, error: `tool arguments are nested deeper than ${MAX_ARGUMENT_DEPTH} levels` };
  }
  let args: unknown;
  try {
    args = JSON.parse(argumentsJson);
  } catch {
    return { ok: false, error: "tool arguments are not valid JSON" };
  }
  if (typeof args !== "object" || args === null || Array.isArray(args)) {
    return { ok: false, error: "tool arguments are not a JSON object" };
  }
  const rec = args as Record<string, unknown>;
  if (!("choice" in rec) || !("content" in rec)) {
    return { ok: false, error: "tool arguments need both `choice` and `content`" };
  }
  const action = actionFromToolArgs(rec);
  return { ok: true, action, args: { choice: pyStr(rec.choice ?? ""), content: pyStr(rec.content ?? "") } };
}

/**
 * Deepest nesting of objects and arrays tool arguments may have. Real calls have two levels; anything much
 * deeper is garbage, and formatting it (Python `str()` of the content) would recurse once per level.
 */
export const MAX_ARGUMENT_DEPTH = 64;

/**
 * Whether a JSON text nests objects and arrays deeper than `limit`. Text with at most `limit` opening brackets
 * cannot, and is answered by native searches alone (a megabyte of whitespace in a string costs microseconds).
 */
export function nestedDeeperThan(json: string, limit: number): boolean {
  let openers = 0;
  for (const bracket of ["{", "["]) {
    for (let i = json.indexOf(bracket); i >= 0 && openers <= limit; i = json.indexOf(bracket, i + 1)) openers++;
  }
  return openers > limit && jsonDepth(json) > limit;
}

/** The deepest bracket nesting of a JSON text, outside strings, in one pass (no recursion over untrusted depth). */
export function jsonDepth(json: string): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < json.length; i++) {
    const c = json.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) max = Math.max(max, ++depth);
    else if (c === 0x5d || c === 0x7d) depth--;
  }
  return max;
}

function truncate(s: string, n: number): string {
  return s.length > n ? `${s.slice(0, n)}…` : s;
}

export const INTERACT_TOOL_NAME = "interact_with_env";

const TOOL_DESCRIPTION =
  "Interact with the environment you are working in. The system prompt describes the environment and " +
  "which choices it accepts; every step returns the environment's feedback.";
const CHOICE_DESCRIPTION =
  "The kind of step: `action` (e.g. ask or probe), `answer` (commit to an answer or recommendation), " +
  "or `search` (look something up), as the system prompt allows.";
const CONTENT_DESCRIPTION = "What to say or do in this step: the question, probe, answer or search query.";

export interface ToolSpec {
  type: "function";
  function: { name: string; description: string; parameters: Record<string, unknown>; strict?: boolean };
}

/** The OpenAI-style schema of the one tool the agent sees. */
export const INTERACT_TOOL: ToolSpec = {
  type: "function",
  function: {
    name: INTERACT_TOOL_NAME,
    description: TOOL_DESCRIPTION,
    parameters: {
      type: "object",
      properties: {
        choice: { type: "string", description: CHOICE_DESCRIPTION, enum: [...SCHEMA_CHOICES] },
        content: { type: "string", description: CONTENT_DESCRIPTION },
      },
      required: ["choice", "content"],
    },
  },
};
