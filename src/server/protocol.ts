/**
 * The wire protocol of the environment server (spec/ecosystem.md §1): the OpenEnv `/ws` frames, the data
 * of `reset` and `step`, the coded errors, and the JSON shapes of observations and state. Every message
 * from outside is validated here with zod; nothing past this module sees unchecked input.
 */
import { z } from "zod";
import { MAX_ARGUMENT_DEPTH, nestedDeeperThan } from "../core/action.js";
import { issuesText } from "../core/validate.js";

/**
 * Deepest nesting of a message from a client: a step frame's own levels above tool-call arguments of the
 * deepest accepted nesting. Deeper objects would overflow the stack wherever they are written out again.
 */
export const MAX_MESSAGE_DEPTH = MAX_ARGUMENT_DEPTH + 8;

/** Parse a client's JSON message; throws a SyntaxError for invalid JSON or nesting deeper than MAX_MESSAGE_DEPTH. */
export function parseJsonMessage(text: string): unknown {
  if (nestedDeeperThan(text, MAX_MESSAGE_DEPTH)) throw new SyntaxError(`nested deeper than ${MAX_MESSAGE_DEPTH} levels`);
  return JSON.parse(text);
}

/** Error codes of `{"type":"error","data":{"code":…}}` frames: OpenEnv's own, then userrl's. */
export const ERROR_CODES = [
  "INVALID_JSON",
  "UNKNOWN_TYPE",
  "VALIDATION_ERROR",
  "EXECUTION_ERROR",
  "CAPACITY_REACHED",
  "FACTORY_ERROR",
  "SESSION_ERROR",
  // userrl additions (the OpenEnv client raises any code as `RuntimeError(... (code: X))`).
  "NO_EPISODE",
  "EPISODE_ENDED",
  "TOO_MANY_PENDING",
  "SHUTTING_DOWN",
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

/** An error answered to the client with a code; never a crash. */
export class ProtocolError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = "ProtocolError";
  }
}

/** The payload of an error frame / HTTP error body. */
export function errorData(err: unknown): { message: string; code: ErrorCode } & Record<string, unknown> {
  if (err instanceof ProtocolError) return { message: err.message, code: err.code, ...err.extra };
  return { message: err instanceof Error ? err.message : String(err), code: "EXECUTION_ERROR" };
}

/** Parse with a schema, or throw a VALIDATION_ERROR naming the offending fields. */
export function validate<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const r = schema.safeParse(value);
  if (!r.success) throw new ProtocolError("VALIDATION_ERROR", `invalid ${what}: ${issuesText(r.error)}`, { errors: r.error.issues.slice(0, 5) });
  return r.data;
}

const shortText = (max: number) => z.string().max(max);

/** One `/ws` frame: `{"type": …, "data": …}`. */
export const frameSchema = z.object({ type: shortText(64), data: z.unknown().optional() });

/**
 * `reset` data: a task by id, or a sample from a split by seed. Unknown keys are dropped, as OpenEnv drops
 * keyword arguments an environment's `reset()` does not take (trainers often pass dataset columns).
 */
export const resetDataSchema = z.object({
  gym: shortText(64).optional(),
  task_id: shortText(512).optional(),
  split: z.enum(["train", "test"]).optional(),
  seed: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional(),
  /** OpenEnv's own field; kept on the trajectory as the client's id. */
  episode_id: shortText(512).optional(),
  /** The GRPO group the episode belongs to (default `<gym>/<task_id>`). */
  group_id: shortText(512).optional(),
  /** A label for the agent (recorded as the trajectory's agent spec; default `remote`). */
  agent: shortText(512).optional(),
});
export type ResetData = z.infer<typeof resetDataSchema>;

const jsonish = z.union([z.string(), z.number(), z.boolean(), z.null(), z.array(z.unknown()), z.record(z.string(), z.unknown())]);
const metadata = z.record(z.string(), z.unknown()).optional();

/** `step` data, the tool arguments of `interact_with_env` (OpenEnv sends the action object itself). */
export const toolArgsStepSchema = z.strictObject({
  choice: shortText(64),
  // Non-string content is tolerated and rendered with Python `str()`, as the reference's tool does.
  content: jsonish,
  metadata,
});

/**
 * `step` data carrying the model's raw tool call (or `null`: it replied without one). The server then
 * applies the reference's rules itself: an unusable call or no call ends the episode.
 */
export const rawCallStepSchema = z.strictObject({
  tool_call: z
    .strictObject({
      name: shortText(256),
      arguments: z.union([z.string(), z.record(z.string(), z.unknown())]),
      id: shortText(256).optional(),
    })
    .nullable(),
  /** The assistant's visible text of that turn, kept on the trajectory. */
  text: z.string().optional(),
  metadata,
});

/** OpenEnv's MCP-style actions inside `step` (`MCPToolClient` in simulation mode). */
export const listToolsStepSchema = z.strictObject({ type: z.literal("list_tools"), metadata });
export const callToolStepSchema = z.strictObject({
  type: z.literal("call_tool"),
  tool_name: shortText(256),
  arguments: z.record(z.string(), z.unknown()).default({}),
  metadata,
});

export type StepData =
  | { kind: "args"; args: z.infer<typeof toolArgsStepSchema> }
  | { kind: "raw"; call: z.infer<typeof rawCallStepSchema> }
  | { kind: "list_tools" }
  | { kind: "call_tool"; name: string; arguments: Record<string, unknown> };

/** Classify and validate `step` data. */
export function parseStepData(data: unknown): StepData {
  if (data === null || typeof data !== "object" || Array.isArray(data)) {
    throw new ProtocolError("VALIDATION_ERROR", 'invalid step data: expected an object such as {"choice": "action", "content": "…"}');
  }
  const rec = data as Record<string, unknown>;
  if (rec.type === "list_tools") {
    validate(listToolsStepSchema, data, "list_tools action");
    return { kind: "list_tools" };
  }
  if (rec.type === "call_tool") {
    const c = validate(callToolStepSchema, data, "call_tool action");
    return { kind: "call_tool", name: c.tool_name, arguments: c.arguments };
  }
  if ("tool_call" in rec) return { kind: "raw", call: validate(rawCallStepSchema, data, "step data") };
  return { kind: "args", args: validate(toolArgsStepSchema, data, 'step data (expected {"choice", "content"})') };
}

/** JSON-RPC 2.0 request, as OpenEnv's `/mcp` accepts it. */
export const jsonRpcRequestSchema = z.object({
  jsonrpc: z.literal("2.0"),
  method: shortText(128),
  params: z.unknown().optional(),
  id: z.union([z.string().max(256), z.number(), z.null()]).optional(),
});
export type JsonRpcRequest = z.infer<typeof jsonRpcRequestSchema>;

export const JSONRPC = {
  PARSE_ERROR: -32700,
  INVALID_REQUEST: -32600,
  METHOD_NOT_FOUND: -32601,
  INVALID_PARAMS: -32602,
  INTERNAL_ERROR: -32603,
  SERVER_ERROR: -32000,
} as const;

export function rpcError(id: unknown, code: number, message: string, data?: Record<string, unknown>): Record<string, unknown> {
  return { jsonrpc: "2.0", error: { code, message, ...(data ? { data } : {}) }, id: rpcId(id) };
}

export function rpcResult(id: unknown, result: unknown): Record<string, unknown> {
  return { jsonrpc: "2.0", result, id: rpcId(id) };
}

function rpcId(id: unknown): string | number | null {
  return typeof id === "string" || typeof id === "number" ? id : null;
}
