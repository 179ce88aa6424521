/**
 * Core contracts (see DESIGN.md): Task, Gym, StepResult, Trajectory.
 * Data flows one way: task → episode → trajectory → (credit | metrics | exports).
 */
import type { Action, Choice } from "./action.js";
import type { GymDataCommand } from "./data-command.js";
import type { z } from "zod";
import type { ChatMessage, ChatModel, TokenLogprob, Usage } from "./chat.js";

export type Split = "train" | "test";

/**
 * What a gym reads its data files from, by manifest key. The dataset manager (`data/DataStore`) implements it;
 * `core/` names only this shape so that it imports nothing else of the project.
 */
export interface DataSource {
  text(key: string): Promise<string>;
  /** Parsed JSON, shared by every caller: read-only. */
  json<T = unknown>(key: string): Promise<T>;
  /** Parsed JSON checked against `schema`. */
  jsonOf<T>(key: string, schema: z.ZodType<T>): Promise<T>;
  /** Rows of a parquet file as plain objects. */
  parquet(key: string): Promise<Record<string, unknown>[]>;
}

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
  /** What the offline user's reading of this step settled (see `TurnRecord.userReading`); never shown to the agent. */
  userReading?: UserReading;
}

/**
 * What a gym's offline user settled while answering a turn (Intention: the details the question asks; Telepathy:
 * what the entity data says to it), kept on the turn so the simulator audit reuses it instead of reading the
 * question again. Gym-specific and JSON; each gym's `audit.ts` validates what it reads.
 */
export type UserReading = Readonly<Record<string, unknown>>;

export interface RoleCall {
  role: string;
  model: string;
  usage: Usage;
  latencyMs: number;
  cached?: boolean;
  /** Present when the reply could not be used as is. */
  fallback?: string;
  /** The parsed reply the gym actually used (after any fallback), JSON-serialisable, so a stored run can be re-graded. */
  reply?: unknown;
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
  | { kind: "offline"; spec: string }
  | { kind: "llm"; spec: string; user: ChatModel; judge: ChatModel };

/** Who may take a role: the simulated user's seat (a persona or a person can sit there) or a judge's (never). */
export type Seat = "user" | "judge";

/** What a gym declares of each of its LLM roles (the full contract lives in `gyms/kit/roles.ts`). */
export interface RoleInfo {
  /** `<gym>.<role>`, e.g. `intention.user`; recorded on every call. */
  name: string;
  seat: Seat;
  /** One line on what the role does and what it is shown. */
  describe: string;
  /** What the gym does when the role's reply cannot be used (the documented fallback). */
  onFallback: string;
  /** A person can play this role (it writes a brief for them and reads their plain-text answer). */
  human: boolean;
  /** Where a person can play the role: the hidden task written for them (what they know and how to answer). */
  brief?(task: Task<any>): string;
}

/**
 * A persona the simulated user plays: `instructions` are appended to the prompt of every `seat: "user"` LLM
 * role (judges never see them); `traits` (active persona name → parameters) are read by offline users.
 */
export interface PersonaView {
  /** e.g. `terse+impatient`. */
  id: string;
  instructions: string;
  traits: Record<string, Record<string, unknown>>;
}

/** What a person in the user's seat is asked on one turn. */
export interface HumanRequest {
  gym: string;
  taskId: string;
  /** The role being played, e.g. `telepathy.host`. */
  role: string;
  /** 1-based step of the episode. */
  turn: number;
  /** The hidden task, written for a person. */
  brief: string;
  /** What to answer now (e.g. the agent's question), in plain words. */
  prompt: string;
  /** The allowed answers, when the reply is categorical (e.g. Yes/No/Maybe). */
  choices?: string[];
}

/** A person taking the simulated user's seat (terminal, web UI). */
export interface HumanSeat {
  ask(req: HumanRequest, signal?: AbortSignal): Promise<string>;
}

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
  /** The persona the simulated user plays; absent = the gym's plain user. */
  persona?: PersonaView;
  /** A person in the user's seat: user-seat roles ask them; judges keep `user`'s judge (or the offline one). */
  humanSeat?: HumanSeat;
  /** Re-grading: the role replies a stored episode used, handed back in order instead of asking a model. */
  storedReplies?: StoredReplies;
}

/** The role calls of a stored episode, in the order the gym made them (`RoleCall.reply`). */
export interface StoredReplies {
  /**
   * The stored call for this role call (the episode's next), or undefined when the role is to be asked again
   * (a judge re-asked by `regrade --judge`). Throws when the stored episode made no such call here.
   */
  take(role: { name: string; seat: "user" | "judge" }): Pick<RoleCall, "reply" | "fallback"> | undefined;
}

/** How a gym scores an episode for reports (the paper's metric for that gym). */
export interface GymScoring {
  score(t: Pick<Trajectory, "turns" | "taskId" | "compat">): number;
  /** Success is 0/1, so pass^k applies. */
  binary: boolean;
  /** Sub-score group of a task (e.g. Travel's variant), if the gym has them. */
  group?(taskId: string): string | undefined;
  /** One sentence for reports on how the score is computed. */
  note: string;
}

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
  /** The name of the paper's metric for the gym, as `userrl gyms` lists it (`binary`, `sum`, or the gym's own); `scoring` computes it. */
  metric: string;
  /** How reports score an episode. */
  scoring: GymScoring;
  /** Whether a deterministic offline implementation exists for every role, so `--user offline` can play. */
  offline: boolean;
  /** What the offline user covers (shown by `userrl gyms`); null when there is none. */
  offlineUser: string | null;
  /** The gym's LLM roles (simulated users, judges); empty for a gym without any. */
  roles: readonly RoleInfo[];
  /** All tasks of both splits, in the dataset's order; loaded once per process. */
  tasks(data: DataSource): Promise<Task<P>[]>;
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
  /**
   * What is wrong with these gym options — an unknown key, a value out of range, a data file that is not
   * there — in one line, or undefined when they are valid. Checked before a run's first episode.
   */
  checkOptions?(options: Readonly<Record<string, unknown>>): string | undefined;
  /** A scripted agent that plays the gym sensibly without an LLM, using only what the agent may see. */
  baseline(task: Task<P>, seed: number): AgentSession;
  /** Commands on the gym's data files, offered as `userrl data <name>` (e.g. generating scenario files). */
  dataCommands?: readonly GymDataCommand<Task<P>>[];
  /** Further named scripted agents (e.g. Tau's `oracle`), selectable as `--agent <name>`. */
  agents?: Record<string, { describe: string; start(task: Task<P>, seed: number): AgentSession }>;
  /** What the simulator audit (src/audit/) needs to know of this gym's hidden state; gyms without it get the generic checks. */
  audit?: GymAudit<P>;
}

/** Kinds of simulator fault the audit finds on a turn (README: "Simulator audit"). */
export type AuditKind = "leak" | "fallback" | "retry" | "contradiction" | "premature-end" | "empty-reply" | "looping-reply";

/** A gym's part of the simulator audit: each hook reads one stored turn against the task's hidden truth. */
export interface GymAudit<P = unknown> {
  /** The simulated user's reply on this turn, or undefined when the turn has none (a tool result, a search). */
  userReply?(turn: TurnRecord): string | undefined;
  /**
   * A reply the gym's contract expects to repeat (Yes/No/Maybe, "no preference on that", a redirect to the request):
   * saying it again is not a loop.
   */
  stockReply?(reply: string, task: Task<P>, turn: TurnRecord): boolean;
  /** Hidden information the reply gives away (verbatim or unasked), described in one line. */
  leak?(task: Task<P>, turn: TurnRecord, reply: string): string | undefined;
  /** What the reply says against the task's truth, where rules can tell. */
  contradiction?(task: Task<P>, turn: TurnRecord, reply: string): string | undefined;
  /** Whether the user ended the episode on this turn with the task unresolved (default: done on an unrewarded question). */
  userEnded?(task: Task<P>, turn: TurnRecord): boolean;
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
  /**
   * For the simulator audit only (never in the observation, the feedback or a server response): what the offline
   * user's reading of the turn settled. Absent for LLM and human users and in runs stored before it existed; the
   * audit then works it out itself, to the same findings.
   */
  userReading?: UserReading;
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
  /** The simulated user's persona id, when not the cooperative default. */
  persona?: string;
}
