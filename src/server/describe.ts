/**
 * The server's self-description: `/metadata`, `/schema` (JSON Schemas of action, observation and state,
 * built from zod schemas that the tests also check real replies against) and `/openapi.json` (version
 * 1.x, so OpenEnv's validator applies its `openenv-http/1.x` profile).
 */
import { z } from "zod";
import type { GymCatalog } from "./catalog.js";
import { toolArgsStepSchema } from "./protocol.js";

const message = z.object({ role: z.enum(["system", "user", "assistant", "tool"]), content: z.string() });

/** The observation of a `reset`. */
export const resetObservationSchema = z.object({
  session_id: z.string(),
  episode_id: z.string().describe("The client's own episode_id when its reset gave one (as OpenEnv), else the server's id."),
  server_episode_id: z.string().describe("The server's unguessable episode id: what the run store records and /credit takes."),
  gym: z.string(),
  task_id: z.string(),
  split: z.enum(["train", "test"]),
  group_id: z.string(),
  sample: z.number().int(),
  seed: z.number().int(),
  mode: z.enum(["train", "eval"]),
  messages: z.array(message).describe("The system prompt and the user's first message: the agent's prompt."),
  tools: z.array(z.record(z.string(), z.unknown())).describe("The one tool the agent sees, in OpenAI form."),
  feedback: z.string(),
  info: z.record(z.string(), z.unknown()),
  turn: z.literal(0),
  max_turns: z.number().int(),
  truncated: z.literal(false),
  end_reason: z.null(),
});

/** The observation of a `step` that played a turn. */
/** Whether an ended episode reached the run store (`--out`): null while it runs or when the server keeps no run. */
const storedShape = {
  stored: z.boolean().nullable().describe("True when the ended episode was stored in the run directory; false when storing failed (e.g. a full disk)."),
  store_error: z.string().nullable(),
};

export const stepObservationSchema = z.object({
  episode_id: z.string(),
  server_episode_id: z.string(),
  turn: z.number().int().min(1),
  max_turns: z.number().int(),
  text: z.string().nullable().describe("The tool result the agent sees: the feedback, plus `Reward: x` in train mode."),
  feedback: z.string(),
  truncated: z.boolean(),
  end_reason: z.enum(["done", "truncated", "max_turns", "no_tool_call", "invalid_tool_call", "env_error", "aborted"]).nullable(),
  error: z.string().nullable(),
  fallbacks: z.array(z.string()),
  info: z.record(z.string(), z.unknown()),
  total_reward: z.number(),
  ...storedShape,
  timing: z
    .object({ env_ms: z.number(), user_ms: z.number(), server_ms: z.number().optional() })
    .describe("Milliseconds: the gym step, the simulated user's model calls within it, and (over /ws) the whole message in the server."),
});

export const stateSchema = z.object({
  session_id: z.string(),
  episode_id: z.string().nullable(),
  server_episode_id: z.string().nullable(),
  step_count: z.number().int(),
  episodes: z.number().int(),
  gym: z.string().nullable(),
  task_id: z.string().nullable(),
  split: z.enum(["train", "test"]).nullable(),
  group_id: z.string().nullable(),
  max_turns: z.number().int(),
  done: z.boolean(),
  end_reason: z.string().nullable(),
  rewards: z.array(z.number()),
  total_reward: z.number(),
  ...storedShape,
});

const jsonSchema = (s: z.ZodType) => z.toJSONSchema(s, { io: "input", unrepresentable: "any" }) as Record<string, unknown>;

export function schemas(): { action: Record<string, unknown>; observation: Record<string, unknown>; state: Record<string, unknown> } {
  return {
    action: jsonSchema(toolArgsStepSchema),
    observation: jsonSchema(z.union([resetObservationSchema, stepObservationSchema])),
    state: jsonSchema(stateSchema),
  };
}

/**
 * OpenEnv's `EnvironmentMetadata` (name, description, version, readme_content, author, documentation_url, and no
 * other field): the gyms are described in the readme; `list_gyms` gives them as data.
 */
export function metadata(catalog: GymCatalog, version: string): Record<string, unknown> {
  const gyms = [...catalog.gyms.values()];
  return {
    name: "userrl",
    description: `Interactive gyms with simulated users (after UserRL): ${gyms.map((g) => g.name).join(", ")}.`,
    version,
    readme_content: [
      "# userrl environment server",
      "",
      'Connect to `/ws`; `reset` with `{"gym": …, "task_id": …}` (or `{"gym", "split", "seed"}`), then `step` with',
      '`{"choice": "action|answer|search|finish", "content": "…"}` until `done`. MCP tools are on `/mcp`.',
      `A reset without \`gym\` plays **${catalog.defaultGym.name}**.`,
      "",
      ...gyms.map((g) => `- **${g.name}** (${g.title}): ${g.summary} Choices: ${g.choices.join(", ")}.`),
    ].join("\n"),
    author: "userrl",
  };
}

const json = (description: string) => ({ description, content: { "application/json": { schema: { type: "object" } } } });

export function openapi(version: string, production: boolean): Record<string, unknown> {
  const paths: Record<string, unknown> = {
    "/health": { get: { summary: "Health check", responses: { 200: json('{"status": "healthy"}') } } },
    "/metadata": { get: { summary: "Server and gym metadata", responses: { 200: json("name, description, version, gyms") } } },
    "/schema": { get: { summary: "JSON Schemas of action, observation and state", responses: { 200: json("schemas") } } },
    "/mcp": {
      post: {
        summary: "MCP: streamable HTTP transport (with an MCP session) or OpenEnv JSON-RPC (tools/list, tools/call, openenv/session/*)",
        responses: { 200: json("JSON-RPC 2.0 response") },
      },
    },
    "/credit": { post: { summary: "Scores, GRPO advantages and per-turn credits for groups of episodes", responses: { 200: json("credit"), 422: json("invalid request") } } },
    "/ws": { get: { summary: "WebSocket session: reset / step / state / close / mcp frames (one connection = one session)", responses: { 101: { description: "upgrade" } } } },
  };
  if (!production) {
    paths["/reset"] = { post: { summary: "Stateless reset (a fresh episode per request)", responses: { 200: json("observation") } } };
    paths["/step"] = { post: { summary: "Stateless step (reset and one step on a fresh episode)", responses: { 200: json("observation"), 422: json("invalid action") } } };
    paths["/state"] = { get: { summary: "State of a fresh session", responses: { 200: json("state") } } };
  }
  return { openapi: "3.1.0", info: { title: "userrl environment server", version: "1.0.0", "x-userrl-version": version }, paths };
}
