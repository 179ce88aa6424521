/** Shared test helpers. */
import { parseBracketAction } from "../src/core/action.js";
import type { Compat, GymContext, GymDefinition, Mode, StepResult, Task, UserRoles } from "../src/core/types.js";
import { DataStore } from "../src/data/store.js";

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
