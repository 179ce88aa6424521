/**
 * One episode: agent ⇄ gym through `interact_with_env`, until the gym ends it, the agent stops calling
 * the tool (or calls it unusably), or the turn limit is reached (spec/pipeline.md §2, §5).
 * Nothing here throws on bad agent or model output: every failure ends up on the trajectory.
 */
import { MAX_ACTION_CHARS, parseToolCall } from "../core/action.js";
import { observationText } from "../core/observation.js";
import type {
  AgentSession,
  EndReason,
  GymContext,
  GymDefinition,
  RoleCall,
  Task,
  Trajectory,
  TurnRecord,
} from "../core/types.js";
import { addUsage, ZERO_USAGE, type ChatMessage, type Usage } from "../models/types.js";

export interface EpisodeSpec {
  gym: GymDefinition<unknown>;
  task: Task<unknown>;
  agent: AgentSession;
  ctx: GymContext;
  /** Assistant generations allowed (16 in the paper). */
  maxTurns: number;
  /** `own` prompts (default) or the reference's prompts stored in the dataset rows. */
  prompts?: "own" | "dataset";
  /** Identity fields recorded on the trajectory. */
  id: string;
  runId: string;
  groupId: string;
  sample: number;
  agentSpec: string;
  /** Per-step timeout for the gym (its simulated users included); default 300 s. */
  stepTimeoutMs?: number;
}

/** The first two messages the agent sees. */
export function openingMessages(gym: GymDefinition<unknown>, task: Task<unknown>, prompts: "own" | "dataset" = "own"): ChatMessage[] {
  if (prompts === "dataset") {
    if (!task.datasetPrompt) throw new Error(`task ${gym.name}/${task.id} has no dataset prompt; use the project's own prompts`);
    return [
      { role: "system", content: task.datasetPrompt.system },
      { role: "user", content: task.datasetPrompt.user },
    ];
  }
  return [
    { role: "system", content: gym.systemPrompt(task) },
    { role: "user", content: gym.firstMessage(task) },
  ];
}

function roleUsage(calls: RoleCall[] | undefined): Usage {
  return (calls ?? []).reduce((u, c) => addUsage(u, c.usage), ZERO_USAGE);
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

async function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      p,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms} ms`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

export async function runEpisode(spec: EpisodeSpec): Promise<Trajectory> {
  const { gym, task, agent, ctx } = spec;
  const started = Date.now();
  const startedAt = new Date(started).toISOString();
  const messages = openingMessages(gym, task, spec.prompts);
  const turns: TurnRecord[] = [];
  let agentUsage: Usage = ZERO_USAGE;
  let userUsage: Usage = ZERO_USAGE;
  let endReason: EndReason = "max_turns";
  const stepTimeout = spec.stepTimeoutMs ?? 300_000;
  const env = gym.create(task, ctx);
  const meta: Record<string, unknown> = {};

  try {
    const reset = await withTimeout(env.reset(), stepTimeout, "gym reset");
    userUsage = addUsage(userUsage, roleUsage(reset.roleCalls));
    if (reset.roleCalls?.length) meta.resetRoleCalls = reset.roleCalls;
  } catch (err) {
    return finish("env_error", { error: `reset failed: ${errorText(err)}` });
  }

  for (let turn = 1; turn <= spec.maxTurns; turn++) {
    if (ctx.signal?.aborted) {
      endReason = "aborted";
      break;
    }
    const record: TurnRecord = { turn, action: null, feedback: "", reward: 0, done: false, truncated: false, info: {} };
    let reply;
    try {
      reply = await agent.act({ messages, turn, maxTurns: spec.maxTurns, signal: ctx.signal });
    } catch (err) {
      if (ctx.signal?.aborted) {
        endReason = "aborted";
        break;
      }
      record.error = `agent failed: ${errorText(err)}`;
      turns.push(record);
      endReason = "agent_error";
      break;
    }
    agentUsage = addUsage(agentUsage, reply.usage);
    record.usage = reply.usage;
    record.agentLatencyMs = reply.latencyMs;
    record.tokenIds = reply.tokenIds;
    record.logprobs = reply.logprobs;
    if (reply.finishReason) record.info.finishReason = reply.finishReason;
    const message: ChatMessage = { ...reply.message, role: "assistant", content: reply.message.content ?? "" };
    const calls = message.toolCalls ?? [];
    if (calls.length > 1) {
      // Like the reference's evaluation, only the first call is executed (and kept in the history).
      record.info.ignoredToolCalls = calls.length - 1;
      message.toolCalls = [calls[0]];
    }
    messages.push(message);
    turns.push(record);
    if (calls.length === 0) {
      record.error = "no tool call";
      endReason = "no_tool_call";
      break;
    }
    const call = calls[0];
    const parsed = parseToolCall(call.name, call.arguments);
    if (!parsed.ok) {
      record.error = parsed.error;
      endReason = "invalid_tool_call";
      break;
    }
    let action = parsed.action;
    if (action.raw.length > MAX_ACTION_CHARS) {
      record.fallbacks = [`action cut from ${action.raw.length} to ${MAX_ACTION_CHARS} characters`];
      action = { ...action, raw: action.raw.slice(0, MAX_ACTION_CHARS), content: action.content.slice(0, MAX_ACTION_CHARS) };
    }
    record.action = action;
    record.toolArgs = parsed.args;
    if (ctx.mode === "train" && ctx.compat === "userrl-2025" && turn === spec.maxTurns) {
      // The reference's training loop exits before executing the last generation's call.
      record.error = "turn limit reached before the call was executed (reference training semantics)";
      endReason = "max_turns";
      break;
    }
    const t0 = performance.now();
    let step;
    try {
      step = await withTimeout(env.step(action), stepTimeout, "gym step");
    } catch (err) {
      step = { feedback: `Error: ${errorText(err)}`, reward: 0, done: true, truncated: false, info: { error: errorText(err) } };
      record.error = `gym step failed: ${errorText(err)}`;
      endReason = "env_error";
    }
    record.envLatencyMs = performance.now() - t0;
    record.feedback = step.feedback;
    record.reward = Number.isFinite(step.reward) ? step.reward : 0;
    record.done = step.done;
    record.truncated = step.truncated;
    record.info = { ...record.info, ...step.info };
    if ("roleCalls" in step && step.roleCalls?.length) {
      record.roleCalls = step.roleCalls;
      userUsage = addUsage(userUsage, roleUsage(step.roleCalls));
    }
    if ("fallbacks" in step && step.fallbacks?.length) record.fallbacks = [...(record.fallbacks ?? []), ...step.fallbacks];
    messages.push({ role: "tool", content: observationText(step.feedback, record.reward, ctx.mode), toolCallId: call.id });
    if (endReason === "env_error") break;
    if (step.done || step.truncated) {
      endReason = step.done ? "done" : "truncated";
      break;
    }
  }
  return finish(endReason);

  async function finish(reason: EndReason, extra: Record<string, unknown> = {}): Promise<Trajectory> {
    try {
      await env.close?.();
    } catch {
      /* closing is best effort */
    }
    return {
      id: spec.id,
      runId: spec.runId,
      gym: gym.name,
      taskId: task.id,
      split: task.split,
      groupId: spec.groupId,
      sample: spec.sample,
      seed: ctx.seed,
      agentSpec: spec.agentSpec,
      userSpec: ctx.user.spec,
      mode: ctx.mode,
      compat: ctx.compat,
      messages,
      turns,
      endReason: reason,
      totalReward: turns.reduce((s, t) => s + t.reward, 0),
      startedAt,
      durationMs: Date.now() - started,
      agentUsage,
      userUsage,
      meta: { ...meta, ...extra },
    };
  }
}
