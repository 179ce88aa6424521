/**
 * The agent-facing tools of the server, defined once and offered three ways: the MCP SDK server
 * (streamable HTTP and stdio), OpenEnv's JSON-RPC `/mcp` methods, and `call_tool` actions inside `step`.
 * `interact_with_env` is the same tool the in-process agents see; the others pick and start a task.
 */
import { z } from "zod";
import { INTERACT_TOOL, INTERACT_TOOL_NAME } from "../core/action.js";
import type { GymCatalog } from "./catalog.js";
import { issuesText } from "../core/validate.js";
import { resetObservationSchema, stateSchema, stepObservationSchema } from "./describe.js";
import { ProtocolError, errorData } from "./protocol.js";
import type { GymSession, ObservationReply } from "./session.js";

export interface ToolResult {
  /** What an MCP client shows the model. */
  text: string;
  /** The same as structured data. */
  data: Record<string, unknown>;
  isError?: boolean;
  /** Set when the tool played (or started) an episode turn: the OpenEnv reward and done. */
  reward?: number | null;
  done?: boolean;
  /** The arguments did not fit the tool's schema (OpenEnv's `invalid_args`). */
  invalidArgs?: boolean;
}

export interface ServerTool {
  name: string;
  title: string;
  description: string;
  input: z.ZodObject;
  /** JSON Schema of the input, as `tools/list` shows it. */
  inputSchema: Record<string, unknown>;
  /** The shape of the structured result (`structuredContent`) of a call that succeeds. */
  output: z.ZodObject;
  /** Its JSON Schema, as `tools/list` shows it (MCP's `outputSchema`). */
  outputSchema: Record<string, unknown>;
  run(session: GymSession, args: Record<string, unknown>, catalog: GymCatalog): Promise<ToolResult>;
}

const interactInput = z.object({
  choice: z.string().max(64).describe("The kind of step: action, answer or search (or finish), as the system prompt allows."),
  content: z.string().describe("What to say or do in this step: the question, probe, answer or search query."),
});

const startInput = z.object({
  gym: z.string().max(64).optional().describe("The gym (see list_gyms); optional when the server offers one gym."),
  task_id: z.string().max(512).optional().describe("A task id (see list_tasks); without it a task of `split` is sampled."),
  split: z.enum(["train", "test"]).optional().describe("The split to sample from (default train)."),
  seed: z.number().int().min(0).optional().describe("Seed for a reproducible sample."),
});

const listTasksInput = z.object({
  gym: z.string().max(64).optional().describe("The gym; optional when the server offers one gym."),
  split: z.enum(["train", "test"]).optional().describe("Only this split."),
  offset: z.number().int().min(0).default(0).describe("Skip this many tasks."),
  limit: z.number().int().min(1).max(1000).default(100).describe("At most this many ids (≤ 1000)."),
});

const empty = z.object({});

// Structured results: each tool's `structuredContent` (extra fields allowed, so that results may grow).
const gymsOutput = z.looseObject({
  gyms: z.array(
    z.looseObject({ name: z.string(), title: z.string(), summary: z.string(), choices: z.array(z.string()), tasks: z.object({ train: z.number().int(), test: z.number().int() }) }),
  ),
});
const tasksOutput = z.looseObject({ gym: z.string(), total: z.number().int(), tasks: z.array(z.object({ id: z.string(), split: z.enum(["train", "test"]) })) });
const outcome = { reward: z.number().nullable(), done: z.boolean() };
const startOutput = resetObservationSchema.extend(outcome).loose();
const interactOutput = stepObservationSchema.extend(outcome).loose();
const stateOutput = stateSchema.loose();

function fromReply(reply: ObservationReply, text: string): ToolResult {
  return { text, data: { ...reply.observation, reward: reply.reward, done: reply.done }, reward: reply.reward, done: reply.done };
}

function define(t: Omit<ServerTool, "inputSchema" | "outputSchema"> & { inputSchema?: Record<string, unknown> }): ServerTool {
  return {
    ...t,
    inputSchema: t.inputSchema ?? (z.toJSONSchema(t.input, { io: "input" }) as Record<string, unknown>),
    outputSchema: z.toJSONSchema(t.output, { io: "output", unrepresentable: "any" }) as Record<string, unknown>,
  };
}

/** MCP clients start episodes with `start_episode`, not OpenEnv's `reset`: say so in refusals. */
function inMcpWords(err: unknown): never {
  if (err instanceof ProtocolError && err.code === "NO_EPISODE") throw new ProtocolError(err.code, "no episode yet: call start_episode first", err.extra);
  if (err instanceof ProtocolError && err.code === "EPISODE_ENDED") throw new ProtocolError(err.code, err.message.replace("send reset", "call start_episode"), err.extra);
  throw err;
}

export const SERVER_TOOLS: readonly ServerTool[] = [
  define({
    name: "list_gyms",
    title: "List gyms",
    description: "The gyms this server offers, with what the agent must do in each and their task counts.",
    input: empty,
    output: gymsOutput,
    async run(_s, _a, catalog) {
      const gyms = [];
      for (const g of catalog.gyms.values()) {
        const tasks = await catalog.tasks(g);
        gyms.push({
          name: g.name,
          title: g.title,
          summary: g.summary,
          choices: g.choices,
          metric: g.metric,
          tasks: { train: tasks.filter((t) => t.split === "train").length, test: tasks.filter((t) => t.split === "test").length },
        });
      }
      return { text: gyms.map((g) => `${g.name}: ${g.summary} (${g.tasks.train} train / ${g.tasks.test} test tasks)`).join("\n"), data: { gyms } };
    },
  }),
  define({
    name: "list_tasks",
    title: "List tasks",
    description: "Task ids of a gym, in dataset order.",
    input: listTasksInput,
    output: tasksOutput,
    async run(_s, a, catalog) {
      const args = a as z.infer<typeof listTasksInput>;
      const gym = catalog.gym(args.gym);
      const all = (await catalog.tasks(gym)).filter((t) => !args.split || t.split === args.split);
      const page = all.slice(args.offset, args.offset + args.limit).map((t) => ({ id: t.id, split: t.split }));
      return { text: page.map((t) => `${t.id} (${t.split})`).join("\n"), data: { gym: gym.name, total: all.length, tasks: page } };
    },
  }),
  define({
    name: "start_episode",
    title: "Start an episode",
    description:
      "Start an episode on a task (by id, or sampled from a split). Returns the instructions and the user's first " +
      "message; then play with interact_with_env. Starting again abandons an unfinished episode.",
    input: startInput,
    output: startOutput,
    async run(session, a) {
      const reply = await session.reset(a);
      return fromReply(reply, session.openingText());
    },
  }),
  define({
    name: INTERACT_TOOL_NAME,
    title: "Interact with the environment",
    description: INTERACT_TOOL.function.description,
    input: interactInput,
    inputSchema: INTERACT_TOOL.function.parameters,
    output: interactOutput,
    async run(session, a) {
      const args = a as z.infer<typeof interactInput>;
      const reply = await session.play({ kind: "args", args: { choice: args.choice, content: args.content } }).catch(inMcpWords);
      const o = reply.observation;
      const text = (o.text as string | null) ?? `No step was executed: ${String(o.error)}`;
      const notStored = o.stored === false ? `\n[${String(o.store_error)}]` : "";
      return fromReply(reply, reply.done ? `${text}\n\n[The episode has ended: ${String(o.end_reason)}.]${notStored}` : text);
    },
  }),
  define({
    name: "episode_state",
    title: "Episode state",
    description: "The current episode: gym, task, turns played, rewards, and whether it has ended.",
    input: empty,
    output: stateOutput,
    async run(session) {
      const state = session.state();
      return { text: JSON.stringify(state), data: state };
    },
  }),
];

const BY_NAME = new Map(SERVER_TOOLS.map((t) => [t.name, t]));

export function findTool(name: string): ServerTool | undefined {
  return BY_NAME.get(name);
}

/** A tool result in MCP's `CallToolResult` shape; `data` is what OpenEnv's `call_tool` returns to its caller. */
export function mcpResult(r: ToolResult): Record<string, unknown> {
  return { content: [{ type: "text", text: r.text }], structuredContent: r.data, isError: r.isError === true, data: r.data };
}

/** The `tools/list` entries (MCP shape). */
export function toolList(): { name: string; title: string; description: string; inputSchema: Record<string, unknown>; outputSchema: Record<string, unknown> }[] {
  return SERVER_TOOLS.map((t) => ({ name: t.name, title: t.title, description: t.description, inputSchema: t.inputSchema, outputSchema: t.outputSchema }));
}

/**
 * Call a tool by name with unchecked arguments, inside the session's message order. Bad arguments and
 * refused moves (no episode yet, episode over) come back as an error result, as MCP expects; an unknown
 * tool is a ProtocolError.
 */
export async function callTool(session: GymSession, catalog: GymCatalog, name: string, args: unknown): Promise<ToolResult> {
  const tool = findTool(name);
  if (!tool) throw new ProtocolError("VALIDATION_ERROR", `unknown tool "${name.slice(0, 80)}" (tools: ${SERVER_TOOLS.map((t) => t.name).join(", ")})`);
  const parsed = tool.input.safeParse(args ?? {});
  if (!parsed.success) return { ...toolError(`invalid arguments for ${tool.name}: ${issuesText(parsed.error)}`, "VALIDATION_ERROR"), invalidArgs: true };
  try {
    return await tool.run(session, parsed.data as Record<string, unknown>, catalog);
  } catch (err) {
    const d = errorData(err);
    return toolError(d.message, d.code);
  }
}

function toolError(message: string, code: string): ToolResult {
  return { text: message, data: { error: { code, message } }, isError: true };
}
