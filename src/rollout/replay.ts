/**
 * Agents that replay a stored episode: its assistant messages fed back turn by turn with their recorded usage,
 * then (optionally) another agent taking over. Re-grading replays whole episodes; look-ahead credit replays the
 * first turns and lets a policy play on.
 */
import { resolveUser, type UserFactory } from "../agents/resolve.js";
import type { ChatModel } from "../core/chat.js";
import type { AgentSession, Compat, GymDefinition, PersonaView, RoleCall, StoredReplies, Task, Trajectory, UserRoles } from "../core/types.js";
import { DataStore } from "../data/store.js";
import { getGym } from "../gyms/index.js";
import { runEpisode } from "./episode.js";

/** What a replay answers once the stored turns are used up and nobody takes over. */
export const REPLAY_EXHAUSTED = "the stored episode has no more agent turns";
/** What a replay answers when the gym asks a role the stored episode did not ask at that point. */
export const REPLIES_DIVERGED = "the episode went another way than it was stored";

/** Replays the first `turns` stored replies (all by default), then hands the episode to `then`, if given. */
export function replayAgent(t: Trajectory, opts: { turns?: number; then?: AgentSession } = {}): AgentSession {
  const replies = t.messages.filter((m) => m.role === "assistant").slice(0, opts.turns);
  return {
    async act(view) {
      const i = view.turn - 1;
      if (i < replies.length) {
        const stored = t.turns[i];
        return { message: replies[i], usage: stored?.usage, latencyMs: stored?.agentLatencyMs, tokenIds: stored?.tokenIds, logprobs: stored?.logprobs };
      }
      if (opts.then) return opts.then.act(view);
      throw new Error(`${REPLAY_EXHAUSTED} (turn ${view.turn} of ${replies.length})`);
    },
    close: async () => opts.then?.close?.(),
  };
}

/** How the stored episodes of one run are played again: their gyms, tasks, simulated users and settings. */
export interface ReplaySource {
  /** Play `t` again from its start with `agent` (e.g. a `replayAgent`), up to `maxTurns` agent turns. */
  play(t: Trajectory, agent: AgentSession, opts: { runId: string; id: string; maxTurns?: number; signal?: AbortSignal }): Promise<Trajectory>;
  /** The source run's turn limit. */
  maxTurns: number;
  /** The task a stored trajectory played. */
  task(t: Trajectory): Task<unknown>;
  close(): Promise<void>;
}

/**
 * Replays of a run's trajectories under its own settings (`config`: the run's stored config), with `compat`
 * overridden if given. Episodes played with an offline user replay with it. Those played with an LLM simulated
 * user, with `stored`, get their stored role replies back (`RoleCall.reply`), and a `userSpec` model re-asks only
 * their judges; without `stored` (or for episodes stored without replies) the `userSpec` model, or the caller's
 * `users`, takes every role.
 */
export async function replaySource(
  config: Record<string, unknown>,
  trajectories: readonly Trajectory[],
  opts: { compat?: Compat; userSpec?: string; users?: UserFactory; data?: DataStore; flag?: string; stored?: boolean } = {},
): Promise<ReplaySource> {
  const gyms = new Map([...new Set(trajectories.map((t) => t.gym))].map((g) => [g, getGym(g)]));
  const fromStore = (t: Trajectory) => opts.stored === true && storedCalls(t).length > 0;
  const needsModel = [...gyms.values()].filter((g) => trajectories.some((t) => t.gym === g.name && !offlinePlayed(t, g) && !fromStore(t)));
  if (needsModel.length && !opts.userSpec && !opts.users) {
    const names = needsModel.map((g) => g.name).join(", ");
    const many = needsModel.length > 1;
    throw new Error(`${names} ${many ? "were" : "was"} played with an LLM simulated user; replaying ${many ? "them" : "it"} re-asks its roles: pass ${opts.flag ?? "--judge"} <model spec>`);
  }
  const data = opts.data ?? DataStore.default();
  const tasks = new Map<string, Task<unknown>>();
  for (const g of gyms.values()) for (const t of await g.tasks(data)) tasks.set(`${g.name}/${t.id}`, t);
  const offline = await resolveUser("offline");
  // A model user made here is closed here; one passed in (`users`) belongs to the caller.
  const owned = opts.userSpec ? await resolveUser(opts.userSpec) : undefined;
  const model = owned ?? opts.users;
  const maxTurns = Number(config.maxTurns ?? Math.max(1, ...trajectories.map((t) => t.turns.length)));
  const gymOptions = (config.gymOptions ?? {}) as Record<string, Record<string, unknown>>;
  // The source's persona (stored whole in its settings): offline users read its traits, so replays need it too.
  const persona = config.persona as PersonaView | undefined;
  const taskOf = (t: Trajectory): Task<unknown> => {
    const task = tasks.get(`${t.gym}/${t.taskId}`);
    if (!task) throw new Error(`${t.gym} has no task "${t.taskId}" in the data now (the dataset changed?)`);
    return task;
  };
  return {
    maxTurns,
    task: taskOf,
    async play(t, agent, o) {
      const gym = gyms.get(t.gym) ?? getGym(t.gym);
      const task = taskOf(t);
      const offlineUser = offlinePlayed(t, gym);
      const stored = !offlineUser && fromStore(t) ? storedReplies(t, model !== undefined) : undefined;
      const users = offlineUser ? offline.roles(gym) : (model?.roles(gym) ?? (stored ? STORED_ONLY : undefined));
      if (!users) throw new Error(`${t.gym} was played with an LLM simulated user; replaying it needs ${opts.flag ?? "--judge"} <model spec>`);
      const limit = o.maxTurns ?? maxTurns;
      return runEpisode({
        gym,
        task,
        agent,
        ctx: { mode: t.mode, compat: opts.compat ?? t.compat, maxSteps: maxTurns, seed: t.seed, user: users, options: gymOptions[t.gym] ?? {}, signal: o.signal, ...(persona ? { persona } : {}), ...(stored ? { storedReplies: stored } : {}) },
        maxTurns: limit,
        prompts: config.prompts === "dataset" ? "dataset" : "own",
        id: o.id,
        runId: o.runId,
        groupId: t.groupId,
        sample: t.sample,
        agentSpec: t.agentSpec,
      });
    },
    close: async () => {
      await owned?.close();
    },
  };
}

/** The source played this episode with the gym's deterministic offline user. */
function offlinePlayed(t: Trajectory, gym: GymDefinition<unknown>): boolean {
  return t.userSpec === "offline" && gym.offline;
}

/** The role calls of a stored episode that carry the reply the gym used, in the order it made them. */
function storedCalls(t: Trajectory): RoleCall[] {
  const reset = (t.meta?.resetRoleCalls ?? []) as RoleCall[];
  return [...reset, ...t.turns.flatMap((r) => r.roleCalls ?? [])].filter((c) => c.reply !== undefined);
}

/** Hands a stored episode's role replies back in order; with `rejudge`, judge-seat calls are asked again. */
function storedReplies(t: Trajectory, rejudge: boolean): StoredReplies {
  const calls = storedCalls(t);
  let next = 0;
  return {
    take(role) {
      const call = calls[next];
      if (call?.role !== role.name) {
        const instead = call ? `its next stored call is ${call.role}` : "its stored replies are used up";
        throw new Error(`${REPLIES_DIVERGED}: the replay asked ${role.name}, but ${instead}`);
      }
      next++;
      return rejudge && role.seat === "judge" ? undefined : { reply: call.reply, ...(call.fallback ? { fallback: call.fallback } : {}) };
    },
  };
}

/** Nothing to ask: every role's reply comes from the store, so these models are never called. */
const STORED: ChatModel = {
  spec: "stored",
  chat: () => Promise.reject(new Error("a stored episode's role replies are replayed; no model answers here")),
};
const STORED_ONLY: UserRoles = { kind: "llm", spec: "stored", user: STORED, judge: STORED };
