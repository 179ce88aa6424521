/**
 * One client session of the environment server: a sequence of episodes played by a remote agent, one
 * message at a time. It runs the same code paths as `runEpisode` — the gym's reset and step, the one
 * tool-call parser, the observation text, the trajectory record — and stores each episode when it ends.
 */
import { createEpisode } from "../personas/episode.js";
import { randomBytes, randomInt, randomUUID } from "node:crypto";
import { ACTION_CUT, actionFromToolArgs, capText, cutAction, INTERACT_TOOL, INTERACT_TOOL_NAME, type Action } from "../core/action.js";
import type { EndReason, GymContext, GymDefinition, GymEpisode, Task, TurnRecord } from "../core/types.js";
import { addUsage, ZERO_USAGE, type ChatMessage, type ToolCall, type Usage } from "../models/types.js";
import { openingMessages } from "../rollout/episode.js";
import { episodeSeed } from "../rollout/runner.js";
import { episodeKey } from "../rollout/store.js";
import { assembleTrajectory, errorText, playAction, playToolCall, resetWithTimeout, roleUsage, type TrajectoryIdentity } from "../rollout/turn.js";
import type { GymCatalog } from "./catalog.js";
import type { ServerOptions } from "./options.js";
import { ProtocolError, resetDataSchema, validate, type StepData } from "./protocol.js";
import type { EpisodeRecorder, LedgerEntry } from "./recorder.js";

/** `{"observation": …, "reward": …, "done": …}`: the data of an OpenEnv observation frame. */
export interface ObservationReply {
  observation: Record<string, unknown>;
  reward: number | null;
  done: boolean;
}

export interface SessionDeps {
  catalog: GymCatalog;
  recorder: EpisodeRecorder;
  options: ServerOptions;
}

export type SessionKind = "ws" | "mcp" | "rpc" | "http";

/** Who a session belongs to. */
export interface SessionOwner {
  /** The creating client's key (address and credential, see `clientKey`). */
  key: string;
  /**
   * True for sessions that outlive their request (JSON-RPC `openenv/session/create` over HTTP, MCP streamable
   * HTTP): they are reached by id, only by their owner, and count against the per-client limit.
   */
  connectionless: boolean;
}

interface LiveEpisode {
  gym: GymDefinition<unknown>;
  task: Task<unknown>;
  ctx: GymContext;
  env: GymEpisode;
  ident: TrajectoryIdentity;
  messages: ChatMessage[];
  turns: TurnRecord[];
  started: number;
  agentUsage: Usage;
  userUsage: Usage;
  meta: Record<string, unknown>;
  ledger: LedgerEntry;
  endReason: EndReason | null;
  /** The id the client sees: its own `episode_id` when it gave one (as OpenEnv), else the server's. */
  publicId: string;
  /** Whether the ended episode reached the run store (undefined while live or without `--out`), and why not. */
  stored?: boolean;
  storeError?: string;
}

export class GymSession {
  readonly id = randomUUID();
  readonly createdAt = Date.now();
  lastActive = Date.now();
  /** Episodes started in this session. */
  episodeCount = 0;
  closed = false;
  /** Set by the transport: how to drop the client's connection when the server ends the session. */
  onServerClose?: (code: number, reason: string) => void;
  private pending = 0;
  private chain: Promise<unknown> = Promise.resolve();
  private episode?: LiveEpisode;

  constructor(
    readonly kind: SessionKind,
    private readonly deps: SessionDeps,
    readonly owner: SessionOwner = { key: "", connectionless: false },
  ) {}

  /** True while a message is being handled or waits its turn. */
  get busy(): boolean {
    return this.pending > 0;
  }

  /** True while an episode is running (started and not ended). */
  get live(): boolean {
    return this.episode !== undefined && this.episode.endReason === null;
  }

  /** Handle the session's messages one at a time, in arrival order (a client may pipeline a few). */
  run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.closed) return Promise.reject(new ProtocolError("SESSION_ERROR", "the session is closed"));
    if (this.pending >= this.deps.options.maxPendingPerSession) {
      return Promise.reject(
        new ProtocolError("TOO_MANY_PENDING", `more than ${this.deps.options.maxPendingPerSession} messages wait for an answer; wait for replies before sending more`),
      );
    }
    this.pending++;
    this.lastActive = Date.now();
    const p = this.chain.then(fn);
    this.chain = p
      .catch(() => undefined)
      .finally(() => {
        this.pending--;
        this.lastActive = Date.now();
      });
    return p;
  }

  /** Start an episode (an unfinished one is stored as aborted first). Call inside `run`. */
  async reset(raw: unknown): Promise<ObservationReply> {
    const data = validate(resetDataSchema, raw ?? {}, "reset data");
    await this.abandon("reset before the episode ended");
    const { catalog, recorder, options } = this.deps;
    const { gym, task } = await catalog.select(data);
    const ctx: GymContext = {
      mode: options.mode,
      compat: options.compat,
      maxSteps: options.maxTurns,
      seed: data.seed === undefined ? randomInt(2 ** 32) : episodeSeed(data.seed, gym.name, task.id, 0),
      user: catalog.roles(gym),
      options: options.gymOptions[gym.name] ?? {},
      ...(options.persona ? { persona: options.persona } : {}),
    };
    let messages: ChatMessage[];
    try {
      messages = openingMessages(gym, task, options.prompts, ctx.options);
    } catch (err) {
      throw new ProtocolError("VALIDATION_ERROR", errorText(err));
    }
    let env: GymEpisode;
    try {
      env = createEpisode(gym, task, ctx);
    } catch (err) {
      throw new ProtocolError("FACTORY_ERROR", `cannot create a ${gym.name} episode: ${errorText(err)}`, { factory_name: gym.name });
    }
    const started = Date.now();
    let reset;
    try {
      reset = await resetWithTimeout(env, options.stepTimeoutMs);
    } catch (err) {
      await closeQuietly(env);
      recorder.logEvent("reset_error", { gym: gym.name, task: task.id, error: errorText(err) });
      throw new ProtocolError("EXECUTION_ERROR", `reset failed: ${errorText(err)}`);
    }
    const sample = recorder.nextSample(gym.name, task.id);
    const ident: TrajectoryIdentity = {
      // Readable, but unguessable: the random part keeps other clients from naming this episode.
      id: `${recorder.runId}/${episodeKey(gym.name, task.id, sample)}/${randomBytes(12).toString("base64url")}`,
      runId: recorder.runId,
      groupId: data.group_id ?? `${gym.name}/${task.id}`,
      sample,
      agentSpec: data.agent ?? "remote",
    };
    const meta: Record<string, unknown> = { sessionId: this.id };
    if (data.episode_id !== undefined) meta.clientEpisodeId = data.episode_id;
    if (reset.roleCalls?.length) meta.resetRoleCalls = reset.roleCalls;
    this.episode = {
      gym,
      task,
      ctx,
      env,
      ident,
      messages,
      turns: [],
      started,
      agentUsage: ZERO_USAGE,
      userUsage: roleUsage(reset.roleCalls),
      meta,
      ledger: recorder.open({ episodeId: ident.id, sessionId: this.id, gym: gym.name, taskId: task.id, groupId: ident.groupId }),
      endReason: null,
      publicId: data.episode_id ?? ident.id,
    };
    this.episodeCount++;
    return {
      observation: {
        session_id: this.id,
        episode_id: this.episode.publicId,
        server_episode_id: ident.id,
        gym: gym.name,
        task_id: task.id,
        split: task.split,
        group_id: ident.groupId,
        sample,
        seed: ctx.seed,
        mode: ctx.mode,
        // What the agent is prompted with: the system prompt and the first user message, and its one tool.
        messages: messages.map((m) => ({ role: m.role, content: m.content })),
        tools: [INTERACT_TOOL],
        feedback: reset.feedback,
        info: reset.info,
        turn: 0,
        max_turns: options.maxTurns,
        truncated: false,
        end_reason: null,
      },
      reward: null,
      done: false,
    };
  }

  /** Play one agent turn: tool arguments or the model's raw tool call. Call inside `run`. */
  async play(step: Extract<StepData, { kind: "args" | "raw" }>): Promise<ObservationReply> {
    const ep = this.episode;
    if (!ep) throw new ProtocolError("NO_EPISODE", "no episode in this session: send reset first");
    if (ep.endReason !== null) throw new ProtocolError("EPISODE_ENDED", `the episode has ended (${ep.endReason}); send reset to start another`);
    const { options } = this.deps;
    const turn = ep.turns.length + 1;
    const record: TurnRecord = { turn, action: null, feedback: "", reward: 0, done: false, truncated: false, info: {} };
    let call: ToolCall | undefined;
    let text = "";
    // Text arguments are played as they are: their JSON would only parse back to the same two strings, and for a
    // megabyte action that round trip costs milliseconds of the one event loop. Their JSON is written once, cut.
    let direct: { action: Action; args: { choice: string; content: string } } | undefined;
    if (step.kind === "args") {
      const { choice, content } = step.args;
      if (typeof content === "string") direct = { action: actionFromToolArgs({ choice, content }), args: { choice, content } };
      const cut = direct && cutAction(direct.action) !== direct.action ? { choice: capText(choice), content: capText(direct.args.content) } : undefined;
      call = { id: `call_${turn}`, name: INTERACT_TOOL_NAME, arguments: JSON.stringify(cut ?? { choice, content }) };
    } else {
      const c = step.call.tool_call;
      text = step.call.text ?? "";
      if (c) call = { id: c.id ?? `call_${turn}`, name: c.name, arguments: typeof c.arguments === "string" ? c.arguments : JSON.stringify(c.arguments) };
    }
    ep.messages.push({ role: "assistant", content: text, ...(call ? { toolCalls: [call] } : {}) });
    ep.turns.push(record);
    let outcome;
    try {
      const limits = { maxTurns: options.maxTurns, stepTimeoutMs: options.stepTimeoutMs };
      outcome = direct ? await playAction(ep.env, ep.ctx, record, direct.action, direct.args, limits) : await playToolCall(ep.env, ep.ctx, record, call, limits);
    } catch (err) {
      // Only a user model that cannot be had gets here: the episode ends, and the client hears why.
      if (direct) call!.arguments = JSON.stringify(direct.args); // stored uncut, as the step never ran
      record.error = `gym step failed: ${errorText(err)}`;
      await this.finish(ep, "env_error");
      throw new ProtocolError("EXECUTION_ERROR", record.error);
    }
    // A cut action's call is kept as the gym saw it: a client's megabyte of arguments is not held for the episode.
    if (call && record.toolArgs && record.fallbacks?.some((f) => f.startsWith(ACTION_CUT))) call.arguments = JSON.stringify(record.toolArgs);
    ep.userUsage = addUsage(ep.userUsage, outcome.userUsage);
    ep.ledger.rewards.push(record.reward);
    if (outcome.observation !== undefined) ep.messages.push({ role: "tool", content: outcome.observation, toolCallId: call!.id });
    const end = outcome.end ?? (turn >= options.maxTurns ? "max_turns" : undefined);
    if (end) await this.finish(ep, end);
    return {
      observation: {
        episode_id: ep.publicId,
        server_episode_id: ep.ident.id,
        turn,
        max_turns: options.maxTurns,
        // The tool result the agent sees next (null when no step ran: no call, or an unusable one).
        text: outcome.observation ?? null,
        feedback: record.feedback,
        truncated: record.truncated,
        end_reason: ep.endReason,
        error: record.error ?? null,
        fallbacks: record.fallbacks ?? [],
        info: record.info,
        total_reward: ep.ledger.rewards.reduce((s, r) => s + r, 0),
        ...storedFields(ep),
        // Where the step's time went: the gym step, and within it the simulated user's model calls.
        timing: { env_ms: record.envLatencyMs ?? 0, user_ms: (record.roleCalls ?? []).reduce((s, c) => s + c.latencyMs, 0) },
      },
      reward: record.reward,
      done: ep.endReason !== null,
    };
  }

  /** The session's state (OpenEnv's `State`: `episode_id`, `step_count`, plus ours). */
  state(): Record<string, unknown> {
    const ep = this.episode;
    return {
      session_id: this.id,
      episode_id: ep?.publicId ?? null,
      server_episode_id: ep?.ident.id ?? null,
      step_count: ep?.turns.length ?? 0,
      episodes: this.episodeCount,
      gym: ep?.gym.name ?? null,
      task_id: ep?.task.id ?? null,
      split: ep?.task.split ?? null,
      group_id: ep?.ident.groupId ?? null,
      max_turns: this.deps.options.maxTurns,
      done: ep ? ep.endReason !== null : false,
      end_reason: ep?.endReason ?? null,
      rewards: ep ? [...ep.ledger.rewards] : [],
      total_reward: ep ? ep.ledger.rewards.reduce((s, r) => s + r, 0) : 0,
      ...(ep ? storedFields(ep) : { stored: null, store_error: null }),
    };
  }

  /** The opening messages and tool of the current episode (for MCP clients that start one). */
  openingText(): string {
    const ep = this.episode;
    if (!ep) return "";
    return ep.messages
      .slice(0, 2)
      .map((m) => m.content)
      .join("\n\n");
  }

  /**
   * End the session: wait for the message in hand, store an unfinished episode as aborted, free the gym.
   * With `notifyCode` the client's connection is dropped too, with that WebSocket close code
   * (idle reaping, shutdown).
   */
  async close(reason: string, notifyCode?: number): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.chain;
    await this.abandon(reason);
    if (notifyCode !== undefined) this.onServerClose?.(notifyCode, reason);
  }

  private async abandon(reason: string): Promise<void> {
    const ep = this.episode;
    if (ep && ep.endReason === null) {
      ep.meta.abortReason = reason;
      await this.finish(ep, "aborted");
    }
  }

  private async finish(ep: LiveEpisode, reason: EndReason): Promise<void> {
    ep.endReason = reason;
    ep.ledger.endReason = reason;
    await closeQuietly(ep.env);
    // An episode abandoned before its first turn holds nothing worth storing (e.g. a stateless /reset).
    if (reason === "aborted" && ep.turns.length === 0) return;
    const traj = assembleTrajectory(ep.gym, ep.task, ep.ctx, ep.ident, {
      messages: ep.messages,
      turns: ep.turns,
      endReason: reason,
      started: ep.started,
      agentUsage: ep.agentUsage,
      userUsage: ep.userUsage,
      meta: ep.meta,
    });
    if (!this.deps.recorder.storeDir) return;
    try {
      this.deps.recorder.save(traj);
      ep.stored = true;
    } catch (err) {
      // A full disk must not take the session down: the client hears it (`stored: false`), the ledger keeps the rewards.
      ep.stored = false;
      ep.storeError = `the episode was not stored: ${errorText(err)}`;
      process.stderr.write(`userrl serve: cannot store episode ${ep.ident.id}: ${errorText(err)}\n`);
    }
  }
}

/** `stored`: whether the ended episode reached the run store (null while live, or when the server keeps no run). */
function storedFields(ep: LiveEpisode): { stored: boolean | null; store_error: string | null } {
  return { stored: ep.stored ?? null, store_error: ep.storeError ?? null };
}

async function closeQuietly(env: GymEpisode): Promise<void> {
  try {
    await env.close?.();
  } catch {
    /* closing is best effort */
  }
}
