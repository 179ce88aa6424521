/**
 * One episode: agent ⇄ gym through `interact_with_env`, until the gym ends it, the agent stops calling
 * the tool (or calls it unusably), or the turn limit is reached (spec/pipeline.md §2, §5).
 * Nothing here throws on bad agent or model output: every failure ends up on the trajectory.
 */
import type { AgentSession, EndReason, GymContext, GymDefinition, Task, Trajectory, TurnRecord } from "../core/types.js";
import { createEpisode } from "../personas/episode.js";
import { addUsage, ZERO_USAGE, type ChatMessage, type Usage } from "../models/types.js";
import { assembleTrajectory, DEFAULT_STEP_TIMEOUT_MS, errorText, playToolCall, resetWithTimeout, roleUsage } from "./turn.js";

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
  /** Called with each turn once it is played (e.g. to show it live); what it throws is ignored. */
  onTurn?(turn: Readonly<TurnRecord>): void;
}

/** The first two messages the agent sees. */
export function openingMessages(
  gym: GymDefinition<unknown>,
  task: Task<unknown>,
  prompts: "own" | "dataset" = "own",
  options: Readonly<Record<string, unknown>> = {},
): ChatMessage[] {
  if (prompts === "dataset") {
    if (!task.datasetPrompt) throw new Error(`task ${gym.name}/${task.id} has no dataset prompt; use the project's own prompts`);
    return [
      { role: "system", content: task.datasetPrompt.system },
      { role: "user", content: task.datasetPrompt.user },
    ];
  }
  return [
    { role: "system", content: gym.systemPrompt(task, options) },
    { role: "user", content: gym.firstMessage(task) },
  ];
}

export async function runEpisode(spec: EpisodeSpec): Promise<Trajectory> {
  const { gym, task, agent } = spec;
  // The episode's own signal: the caller's (Ctrl-C), or a timed-out step, which cancels the simulated-user
  // calls still running behind it (left running, they would keep the process alive long after the run).
  const cancel = new AbortController();
  const outer = spec.ctx.signal;
  const forward = () => cancel.abort(outer?.reason);
  if (outer?.aborted) forward();
  else outer?.addEventListener("abort", forward, { once: true });
  const ctx: GymContext = { ...spec.ctx, signal: cancel.signal };
  const onTimeout = (err: Error) => cancel.abort(err);
  const started = Date.now();
  const messages = openingMessages(gym, task, spec.prompts, ctx.options);
  const turns: TurnRecord[] = [];
  let agentUsage: Usage = ZERO_USAGE;
  let userUsage: Usage = ZERO_USAGE;
  let endReason: EndReason = "max_turns";
  const stepTimeout = spec.stepTimeoutMs ?? DEFAULT_STEP_TIMEOUT_MS;
  const env = createEpisode(gym, task, ctx);
  const meta: Record<string, unknown> = {};

  try {
    const reset = await resetWithTimeout(env, stepTimeout, onTimeout);
    userUsage = addUsage(userUsage, roleUsage(reset.roleCalls));
    if (reset.roleCalls?.length) meta.resetRoleCalls = reset.roleCalls;
  } catch (err) {
    if (outer?.aborted) return finish("aborted");
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
      played(record);
      endReason = "agent_error";
      break;
    }
    agentUsage = addUsage(agentUsage, reply.usage);
    record.usage = reply.usage;
    record.agentLatencyMs = reply.latencyMs;
    record.tokenIds = reply.tokenIds;
    record.logprobs = reply.logprobs;
    if (reply.info) record.info = { ...reply.info };
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
    const call = calls[0];
    const outcome = await playToolCall(env, ctx, record, call, { maxTurns: spec.maxTurns, stepTimeoutMs: stepTimeout, onTimeout });
    userUsage = addUsage(userUsage, outcome.userUsage);
    if (outcome.observation !== undefined) messages.push({ role: "tool", content: outcome.observation, toolCallId: call.id });
    played(record);
    if (outcome.end) {
      endReason = outcome.end;
      break;
    }
  }
  return finish(endReason);

  function played(record: TurnRecord): void {
    try {
      spec.onTurn?.(record);
    } catch {
      /* a watcher never changes the episode */
    }
  }

  async function finish(reason: EndReason, extra: Record<string, unknown> = {}): Promise<Trajectory> {
    outer?.removeEventListener("abort", forward);
    try {
      await env.close?.();
    } catch {
      /* closing is best effort */
    }
    return assembleTrajectory(gym, task, ctx, spec, {
      messages,
      turns,
      endReason: reason,
      started,
      agentUsage,
      userUsage,
      meta: { ...meta, ...extra },
    });
  }
}
