/**
 * Core contracts (see DESIGN.md): Task, Gym, StepResult, Trajectory.
 * Data flows one way: task → episode → trajectory → (credit | metrics | exports).
 */
import type { Action, Choice } from "./action.js";
import type { ChatMessage, ChatModel, TokenLogprob, Usage } from "../models/types.js";
import type { DataStore } from "../data/store.js";

export type Split = "train" | "test";

/** How the reference's known bugs are treated: fixed (default) or reproduced for parity. */
export type Compat = "fixed" | "userrl-2025";
export const COMPAT_VALUES: readonly Compat[] = ["fixed", "userrl-2025"];

/** Training and evaluation differ in reward presets, observation text and turn semantics. */
export type Mode = "train" | "eval";

export interface Task<P = unknown> {
  /** Unique within the gym, e.g. `func-1`, a Turtle title, `retail-000`. */
  id: string;
  gym: string;
  split: Split;
  payload: P;
  /** The reference's own prompt for this task (the parquet row), offered with `--prompts dataset`. */
  datasetPrompt?: { system: string; user: string };
}

/** What a gym step returns. Bad agent input is feedback, never an exception. */
export interface StepResult {
  feedback: string;
  reward: number;
  /** The episode ended on its own terms (success, finish, failure). */
  done: boolean;
  /** The episode hit its step limit. */
  truncated: boolean;
  info: Record<string, unknown>;
  /** LLM role calls this step made (simulated user, judge, classifier), for cost and audit. */
  roleCalls?: RoleCall[];
  /** Documented fallbacks taken this step (unparsable judge reply, timeout, …). */
  fallbacks?: string[];
}

export interface RoleCall {
  role: string;
  model: string;
  usage: Usage;
  latencyMs: number;
  cached?: boolean;
  /** Present when the reply could not be used as is. */
  fallback?: string;
}

export interface ResetResult {
  feedback: string;
  info: Record<string, unknown>;
  roleCalls?: RoleCall[];
}

/** One live episode of a gym. One instance per episode; async; never throws on bad agent input. */
export interface GymEpisode {
  reset(): Promise<ResetResult>;
  step(action: Action): Promise<StepResult>;
  close?(): Promise<void>;
}

/**
 * The simulated-user side of an episode: `offline` uses the gym's deterministic implementation;
 * `llm` routes every user/judge role through ChatModels.
 */
export type UserRoles =
  | { kind: "offline"; spec: "offline" }
  | { kind: "llm"; spec: string; user: ChatModel; judge: ChatModel };

export interface GymContext {
  mode: Mode;
  compat: Compat;
  /** Environment step limit (16 in the paper's training and evaluation). */
  maxSteps: number;
  seed: number;
  user: UserRoles;
  /** Gym-specific options (validated by the gym). */
  options: Record<string, unknown>;
  signal?: AbortSignal;
}

export type MetricKind = "binary" | "sum" | "travel";

/** The per-episode session of an agent (an LLM, a scripted baseline, a human). */
export interface AgentSession {
  act(view: AgentView): Promise<AgentReply>;
  close?(): Promise<void>;
}

export interface AgentView {
  /** Every message so far: system, first user message, then assistant/tool turns. */
  messages: readonly ChatMessage[];
  /** 1-based index of the turn about to be generated. */
  turn: number;
  maxTurns: number;
  signal?: AbortSignal;
}

export interface AgentReply {
  /** The assistant message; its first `interact_with_env` call is the action. */
  message: ChatMessage;
  usage?: Usage;
  latencyMs?: number;
  finishReason?: string;
  tokenIds?: number[];
  logprobs?: TokenLogprob[];
  /** Extras recorded on the turn's `info` (JSON), e.g. an in-process agent's own tool calls within the turn. */
  info?: Record<string, unknown>;
}

export interface GymDefinition<P = unknown> {
  /** Short lowercase name used on the command line: `function`, `turtle`, … */
  name: string;
  /** Display name: `FunctionGym`. */
  title: string;
  /** One line on what the agent must do. */
  summary: string;
  /** Choices the gym's prompt allows. */
  choices: readonly Choice[];
  /** How the paper scores an episode. */
  metric: MetricKind;
  /** Whether a deterministic offline user exists, and what it covers. */
  offlineUser: string | null;
  /** All tasks of both splits, in the dataset's order; loaded once per process. */
  tasks(data: DataStore): Promise<Task<P>[]>;
  /**
   * The system prompt (our own words) the agent sees. `options` are the run's gym options
   * (`ctx.options`), for gyms whose prompt has an option (e.g. Tau's `showPolicy`).
   */
  systemPrompt(task: Task<P>, options?: Readonly<Record<string, unknown>>): string;
  /** The first user message of the conversation. */
  firstMessage(task: Task<P>): string;
  /** A fresh episode for one task. */
  create(task: Task<P>, ctx: GymContext): GymEpisode;
  /**
   * What the gym still needs before any episode can run with these gym options (e.g. SearchGym's search
   * provider), or undefined when nothing is missing. Checked before a run starts.
   */
  missing?(options: Readonly<Record<string, unknown>>): string | undefined;
  /** A scripted agent that plays the gym sensibly without an LLM, using only what the agent may see. */
  baseline(task: Task<P>, seed: number): AgentSession;
  /** Further named scripted agents (e.g. Tau's `oracle`), selectable as `--agent <name>`. */
  agents?: Record<string, { describe: string; start(task: Task<P>, seed: number): AgentSession }>;
}

export type EndReason =
  | "done"
  | "truncated"
  | "max_turns"
  | "no_tool_call"
  | "invalid_tool_call"
  | "agent_error"
  | "env_error"
  | "aborted";

export interface TurnRecord {
  /** 1-based assistant generation index. */
  turn: number;
  /** The parsed action; null when the turn had no usable tool call. */
  action: Action | null;
  /** The tool arguments as given (after validation), for exports. */
  toolArgs?: { choice: string; content: string };
  feedback: string;
  reward: number;
  done: boolean;
  truncated: boolean;
  info: Record<string, unknown>;
  /** Agent usage for this generation. */
  usage?: Usage;
  agentLatencyMs?: number;
  envLatencyMs?: number;
  roleCalls?: RoleCall[];
  fallbacks?: string[];
  /** Why no action was executed on this turn, when none was. */
  error?: string;
  tokenIds?: number[];
  logprobs?: TokenLogprob[];
}

export interface Trajectory {
  id: string;
  runId: string;
  gym: string;
  taskId: string;
  split: Split;
  /** GRPO group: the samples of one task in one run share it. */
  groupId: string;
  sample: number;
  seed: number;
  agentSpec: string;
  userSpec: string;
  mode: Mode;
  compat: Compat;
  /** The full message list the agent saw (and produced). */
  messages: ChatMessage[];
  turns: TurnRecord[];
  endReason: EndReason;
  /** Sum of turn rewards. */
  totalReward: number;
  startedAt: string;
  durationMs: number;
  agentUsage: Usage;
  userUsage: Usage;
  /** Free-form extras a gym records at the end (e.g. Travel's chosen options). */
  meta?: Record<string, unknown>;
}
