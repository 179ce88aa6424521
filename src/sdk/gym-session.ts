/**
 * One gym episode driven from outside, step by step: the app's own agent loop calls `step()` (as a tool) and
 * reads the observation. Underneath it is `runEpisode` — the same rules, limits, parser and trajectory as every
 * other agent — with the agent's seat handed to the caller: each `step()` is the agent's next move.
 */
import { z } from "zod";
import { resolveUser } from "../agents/resolve.js";
import { COMPAT_VALUES, type AgentReply, type Compat, type EndReason, type Split, type Trajectory } from "../core/types.js";
import { issuesText } from "../core/validate.js";
import { DataStore } from "../data/store.js";
import { getGym } from "../gyms/index.js";
import { newToolCallId } from "../models/reply-text.js";
import { INTERACT_TOOL_NAME } from "../core/action.js";
import type { ChatMessage } from "../models/types.js";
import { openingMessages, runEpisode } from "../rollout/episode.js";
import { defaultUserSpec } from "../rollout/run.js";
import { checkGymOptions, DEFAULT_RUN, episodeSeed } from "../rollout/runner.js";

export interface GymSessionOptions {
  gym: string;
  /** The task id (default: the split's first task). */
  task?: string;
  split?: Split;
  /** `offline`, `local` or a model spec (default: offline where the gym has an offline user, else local). */
  user?: string;
  judge?: string;
  /** `eval` (default: bare feedback) or `train` (feedback plus a `Reward:` line). */
  mode?: "eval" | "train";
  compat?: Compat;
  maxTurns?: number;
  seed?: number;
  /** The gym's own options, e.g. `{ showPolicy: true }` for tau. */
  gymOptions?: Record<string, unknown>;
  /** Time limit of one gym step, its simulated users included (default 300 s). */
  stepTimeoutMs?: number;
  /** The name recorded as the trajectory's agent (default `app`). */
  agentName?: string;
}

export interface EpisodeResult {
  /** The episode under the gym's metric (what `userrl eval` averages). */
  score: number;
  totalReward: number;
  endReason: EndReason;
  trajectory: Trajectory;
}

export interface GymSession {
  readonly gym: string;
  readonly taskId: string;
  /** The gym's system prompt for the agent. */
  readonly system: string;
  /** The first user message. */
  readonly prompt: string;
  /** True once the episode has ended (success, the step limit, an unusable move). */
  readonly done: boolean;
  /** Play one `interact_with_env` move (its arguments as the model gave them); resolves to what the agent sees. */
  step(input: unknown): Promise<string>;
  /** End the episode (if still going: as an agent that stops calling the tool) and score it. */
  finish(): Promise<EpisodeResult>;
}

const ENDED = "The episode has ended; no more steps are played.";

const optionsSchema = z.object({
  gym: z.string().min(1),
  task: z.string().min(1).optional(),
  split: z.enum(["train", "test"]).optional(),
  user: z.string().min(1).optional(),
  judge: z.string().min(1).optional(),
  mode: z.enum(["eval", "train"]).optional(),
  compat: z.enum(COMPAT_VALUES as [Compat, ...Compat[]]).optional(),
  maxTurns: z.number().int().min(1).optional(),
  seed: z.number().int().min(0).optional(),
  gymOptions: z.record(z.string(), z.unknown()).optional(),
  stepTimeoutMs: z.number().positive().finite().optional(),
  agentName: z.string().min(1).optional(),
});

function deferred<T>(): { promise: Promise<T>; resolve(v: T): void; reject(err: unknown): void } {
  let resolve!: (v: T) => void;
  let reject!: (err: unknown) => void;
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
  promise.catch(() => {});
  return { promise, resolve, reject };
}

/** The latest tool message: the observation of the move just played. */
function lastObservation(messages: readonly ChatMessage[]): string | undefined {
  const m = messages.at(-1);
  return m?.role === "tool" ? m.content : undefined;
}

export async function startGymSession(options: GymSessionOptions): Promise<GymSession> {
  const parsed = optionsSchema.safeParse(options);
  if (!parsed.success) throw new Error(`gym session: ${issuesText(parsed.error)}`);
  const o = parsed.data;
  const gym = getGym(o.gym);
  const split = o.split ?? DEFAULT_RUN.split;
  const tasks = (await gym.tasks(DataStore.default())).filter((t) => t.split === split);
  const task = o.task === undefined ? tasks[0] : tasks.find((t) => t.id === o.task);
  if (!task) throw new Error(o.task === undefined ? `gym "${gym.name}" has no ${split} tasks` : `gym "${gym.name}" has no ${split} task "${o.task}"`);
  // The checks a run makes before its first episode: the gym's options, what it needs, a user that can play it.
  checkGymOptions({ [gym.name]: o.gymOptions ?? {} });
  const missing = gym.missing?.(o.gymOptions ?? {});
  if (missing) throw new Error(missing);
  const users = await resolveUser(o.user ?? defaultUserSpec([gym.name]), { judgeSpec: o.judge });
  let roles: ReturnType<typeof users.roles>;
  try {
    roles = users.roles(gym);
  } catch (err) {
    await users.close();
    throw err;
  }
  const seed = episodeSeed(o.seed ?? DEFAULT_RUN.seed, gym.name, task.id, 0);
  const ctx = {
    mode: o.mode ?? "eval",
    compat: o.compat ?? DEFAULT_RUN.compat,
    maxSteps: o.maxTurns ?? DEFAULT_RUN.maxTurns,
    seed,
    user: roles,
    options: o.gymOptions ?? {},
  };
  const opening = openingMessages(gym, task, "own", ctx.options);

  // The hand-over: runEpisode asks the agent for a move (turnOpen), step() answers it and waits for the observation.
  type Reply = (r: AgentReply) => void;
  let turnOpen = deferred<Reply | null>();
  let observation: ReturnType<typeof deferred<string>> | undefined;
  let ended: Trajectory | undefined;
  const episode = runEpisode({
    gym,
    task,
    ctx,
    maxTurns: ctx.maxSteps,
    id: `${gym.name}/${task.id}`,
    runId: "session",
    groupId: `${gym.name}/${task.id}`,
    sample: 0,
    agentSpec: o.agentName ?? "app",
    stepTimeoutMs: o.stepTimeoutMs,
    agent: {
      act: (view) => {
        observation?.resolve(lastObservation(view.messages) ?? ENDED);
        return new Promise<AgentReply>((resolve) => turnOpen.resolve(resolve));
      },
    },
  }).then(
    (t) => {
      ended = t;
      observation?.resolve(lastObservation(t.messages) ?? ENDED);
      turnOpen.resolve(null);
      return t;
    },
    (err: unknown) => {
      // Only what stops every episode alike gets here (e.g. a user model that cannot be loaded).
      observation?.reject(err);
      turnOpen.reject(err);
      throw err;
    },
  );
  episode.finally(() => users.close()).catch(() => {});

  let chain: Promise<unknown> = Promise.resolve();
  const move = (message: ChatMessage): Promise<string> => {
    const next = chain.then(async () => {
      const reply = await turnOpen.promise;
      if (!reply) return ENDED;
      turnOpen = deferred();
      observation = deferred();
      reply({ message });
      return observation.promise;
    });
    chain = next.catch(() => {});
    return next;
  };

  return {
    gym: gym.name,
    taskId: task.id,
    system: opening[0].content,
    prompt: opening[1].content,
    get done() {
      return ended !== undefined;
    },
    step: (input) =>
      move({ role: "assistant", content: "", toolCalls: [{ id: newToolCallId(), name: INTERACT_TOOL_NAME, arguments: JSON.stringify(input ?? {}) }] }),
    async finish() {
      if (!ended) await move({ role: "assistant", content: "" });
      const trajectory = await episode;
      return { score: gym.scoring.score(trajectory), totalReward: trajectory.totalReward, endReason: trajectory.endReason, trajectory };
    },
  };
}
