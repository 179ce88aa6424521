/** Shared test helpers. */
import { parseBracketAction } from "../src/core/action.js";
import type { AgentSession, Compat, GymContext, GymDefinition, Mode, StepResult, Task, Trajectory, UserRoles } from "../src/core/types.js";
import { DataStore } from "../src/data/store.js";
import { runEpisode } from "../src/rollout/episode.js";

export const data = DataStore.default();

export function ctx(over: Partial<GymContext> = {}): GymContext {
  return {
    mode: "train" as Mode,
    compat: "fixed" as Compat,
    maxSteps: 16,
    seed: 42,
    user: { kind: "offline", spec: "offline" } as UserRoles,
    options: {},
    ...over,
  };
}

export async function task<P>(gym: GymDefinition<P>, id: string): Promise<Task<P>> {
  const t = (await gym.tasks(data)).find((x) => x.id === id);
  if (!t) throw new Error(`no task ${id} in ${gym.name}`);
  return t;
}

/** Run bracket-form actions on a fresh episode and return every step result. */
export async function play<P>(gym: GymDefinition<P>, t: Task<P>, actions: string[], c: Partial<GymContext> = {}): Promise<StepResult[]> {
  const env = gym.create(t, ctx(c));
  await env.reset();
  const out: StepResult[] = [];
  for (const a of actions) out.push(await env.step(parseBracketAction(a)));
  return out;
}

/**
 * One episode through the rollout, as `userrl run` plays it: the gym's baseline (seed 0) unless another
 * agent is given, 16 turns unless told, identity fields named after the task.
 */
export function runTestEpisode<P>(
  gym: GymDefinition<P>,
  t: Task<P>,
  c: GymContext,
  opts: { agent?: AgentSession; agentSpec?: string; maxTurns?: number } = {},
): Promise<Trajectory> {
  return runEpisode({
    gym: gym as never,
    task: t as never,
    agent: opts.agent ?? gym.baseline(t, 0),
    ctx: c,
    maxTurns: opts.maxTurns ?? 16,
    id: t.id,
    runId: "test",
    groupId: t.id,
    sample: 0,
    agentSpec: opts.agentSpec ?? (opts.agent ? "scripted" : "baseline"),
  });
}
