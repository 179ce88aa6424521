/**
 * One agent turn against a live gym, and the trajectory record around it. Shared by `runEpisode` (the
 * in-process loop) and the environment server (a remote agent), so both apply the same rules: the one
 * tool-call parser, the action size cap, the reference's last-turn quirk, the step timeout, and the
 * observation text (spec/pipeline.md §2.2–2.4).
 */
import { capText, cutAction, cutNote, parseToolCall, type Action } from "../core/action.js";
import { observationText } from "../core/observation.js";
import type {
  EndReason,
  GymContext,
  GymDefinition,
  GymEpisode,
  ResetResult,
  RoleCall,
  StepResult,
  Task,
  Trajectory,
  TurnRecord,
} from "../core/types.js";
import { addUsage, ModelError, ZERO_USAGE, type ChatMessage, type ToolCall, type Usage } from "../models/types.js";

/** Default per-step (and reset) timeout of a gym, its simulated users included. */
export const DEFAULT_STEP_TIMEOUT_MS = 300_000;

export interface TurnLimits {
  /** Assistant generations allowed in the episode. */
  maxTurns: number;
  stepTimeoutMs: number;
  /** Called when a step times out, to cancel what it still runs (its simulated-user calls). */
  onTimeout?: (err: StepTimeoutError) => void;
}

export interface TurnOutcome {
  /** Set when the episode ended on this turn. */
  end?: EndReason;
  /** The tool message the agent sees (feedback, plus the reward line in train mode), when a step ran. */
  observation?: string;
  /** Usage of the simulated-user/judge calls of this step. */
  userUsage: Usage;
}

export function roleUsage(calls: RoleCall[] | undefined): Usage {
  return (calls ?? []).reduce((u, c) => addUsage(u, c.usage), ZERO_USAGE);
}

export function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** A reset or step that ran past its time limit (its simulated users included). */
export class StepTimeoutError extends Error {
  constructor(what: string, ms: number) {
    super(`${what} took longer than ${ms} ms`);
    this.name = "StepTimeoutError";
  }
}

/** `p` under a time limit; `onTimeout` hears of the timeout, to cancel the work still running behind `p`. */
export async function withTimeout<T>(p: Promise<T>, ms: number, what: string, onTimeout?: (err: StepTimeoutError) => void): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      p,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          const err = new StepTimeoutError(what, ms);
          onTimeout?.(err);
          reject(err);
        }, ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** Reset a fresh gym episode under the step timeout. */
export function resetWithTimeout(env: GymEpisode, timeoutMs: number, onTimeout?: (err: StepTimeoutError) => void): Promise<ResetResult> {
  return withTimeout(env.reset(), timeoutMs, "gym reset", onTimeout);
}

/**
 * Play the agent's first tool call of turn `record.turn` (undefined: the agent replied without one).
 * Fills `record` in place. The reference ends the episode on a missing or unusable call.
 */
export async function playToolCall(
  env: GymEpisode,
  ctx: GymContext,
  record: TurnRecord,
  call: ToolCall | undefined,
  limits: TurnLimits,
): Promise<TurnOutcome> {
  if (!call) {
    record.error = "no tool call";
    return { end: "no_tool_call", userUsage: ZERO_USAGE };
  }
  const parsed = parseToolCall(call.name, call.arguments);
  if (!parsed.ok) {
    record.error = parsed.error;
    return { end: "invalid_tool_call", userUsage: ZERO_USAGE };
  }
  return playAction(env, ctx, record, parsed.action, parsed.args, limits);
}

/** Execute one parsed action on the gym and fill `record` with the step's result. */
export async function playAction(
  env: GymEpisode,
  ctx: GymContext,
  record: TurnRecord,
  parsedAction: Action,
  args: { choice: string; content: string },
  limits: TurnLimits,
): Promise<TurnOutcome> {
  const action = cutAction(parsedAction);
  const cut = action !== parsedAction;
  if (cut) record.fallbacks = [...(record.fallbacks ?? []), cutNote(parsedAction)];
  record.action = action;
  // The arguments of a cut action are kept cut too (their first characters are what scoring reads).
  record.toolArgs = cut ? { choice: capText(args.choice), content: capText(args.content) } : args;
  if (ctx.mode === "train" && ctx.compat === "userrl-2025" && record.turn === limits.maxTurns) {
    // The reference's training loop exits before executing the last generation's call.
    record.error = "turn limit reached before the call was executed (reference training semantics)";
    return { end: "max_turns", userUsage: ZERO_USAGE };
  }
  const t0 = performance.now();
  let step: StepResult;
  let failed = false;
  try {
    step = await withTimeout(env.step(action), limits.stepTimeoutMs, "gym step", limits.onTimeout);
  } catch (err) {
    // A user model that cannot be had fails every episode alike: the episode (and a run) stops with the reason.
    if (err instanceof ModelError && err.kind === "unavailable") throw err;
    // Interrupted (Ctrl-C) while the gym or its simulated user worked: no result to record, the episode is dropped.
    if (ctx.signal?.aborted && !(err instanceof StepTimeoutError)) {
      record.error = "interrupted";
      return { end: "aborted", userUsage: ZERO_USAGE };
    }
    step = { feedback: `Error: ${errorText(err)}`, reward: 0, done: true, truncated: false, info: { error: errorText(err) } };
    record.error = `gym step failed: ${errorText(err)}`;
    failed = true;
  }
  record.envLatencyMs = performance.now() - t0;
  record.feedback = step.feedback;
  record.reward = Number.isFinite(step.reward) ? step.reward : 0;
  record.done = step.done;
  record.truncated = step.truncated;
  record.info = { ...record.info, ...step.info };
  let userUsage = ZERO_USAGE;
  if (step.roleCalls?.length) {
    record.roleCalls = step.roleCalls;
    userUsage = roleUsage(step.roleCalls);
  }
  if (step.fallbacks?.length) record.fallbacks = [...(record.fallbacks ?? []), ...step.fallbacks];
  const observation = observationText(step.feedback, record.reward, ctx.mode);
  const end: EndReason | undefined = failed ? "env_error" : step.done ? "done" : step.truncated ? "truncated" : undefined;
  return { end, observation, userUsage };
}

export interface TrajectoryIdentity {
  id: string;
  runId: string;
  groupId: string;
  sample: number;
  agentSpec: string;
}

export interface TrajectoryBody {
  messages: ChatMessage[];
  turns: TurnRecord[];
  endReason: EndReason;
  /** Epoch milliseconds when the episode started. */
  started: number;
  agentUsage: Usage;
  userUsage: Usage;
  meta: Record<string, unknown>;
}

/** The stored form of an episode. */
export function assembleTrajectory(
  gym: GymDefinition<unknown>,
  task: Task<unknown>,
  ctx: GymContext,
  ident: TrajectoryIdentity,
  body: TrajectoryBody,
): Trajectory {
  return {
    id: ident.id,
    runId: ident.runId,
    gym: gym.name,
    taskId: task.id,
    split: task.split,
    groupId: ident.groupId,
    sample: ident.sample,
    seed: ctx.seed,
    agentSpec: ident.agentSpec,
    userSpec: ctx.user.spec,
    mode: ctx.mode,
    compat: ctx.compat,
    messages: body.messages,
    turns: body.turns,
    endReason: body.endReason,
    totalReward: body.turns.reduce((s, t) => s + t.reward, 0),
    startedAt: new Date(body.started).toISOString(),
    durationMs: Date.now() - body.started,
    agentUsage: body.agentUsage,
    userUsage: body.userUsage,
    meta: body.meta,
    ...(ctx.persona ? { persona: ctx.persona.id } : {}),
  };
}
