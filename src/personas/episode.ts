/**
 * What a persona does to every gym alike: the `impatient` user leaves after N turns in a row that earned no
 * reward, whatever the gym and whoever plays the user (offline or an LLM). Gym-specific behaviour (terse,
 * vague, …) lives in each gym's offline user, which reads `ctx.persona.traits`.
 */
import type { GymContext, GymDefinition, GymEpisode, StepResult, Task } from "../core/types.js";

/** The line an impatient user leaves with (after its last reply). */
export const IMPATIENT_EXIT = "Sorry, I don't have time for this anymore. I'm leaving.";

/** The gym's episode for `task`, with the persona's gym-independent behaviour around it. */
export function createEpisode<P>(gym: GymDefinition<P>, task: Task<P>, ctx: GymContext): GymEpisode {
  const env = gym.create(task, ctx);
  const limit = ctx.persona?.traits.impatient?.turns;
  return typeof limit === "number" ? impatient(env, limit) : env;
}

function impatient(env: GymEpisode, limit: number): GymEpisode {
  let idle = 0;
  let left = false;
  return {
    reset: async () => {
      idle = 0;
      left = false;
      return env.reset();
    },
    step: async (action): Promise<StepResult> => {
      if (left) return { feedback: "The user has left the conversation.", reward: 0, done: true, truncated: false, info: { personaEnd: "impatient" } };
      const r = await env.step(action);
      if (r.done || r.truncated) return r;
      idle = r.reward > 0 ? 0 : idle + 1;
      if (idle < limit) return r;
      left = true;
      return { ...r, feedback: `${r.feedback}\n\n${IMPATIENT_EXIT}`, done: true, info: { ...r.info, personaEnd: "impatient" } };
    },
    ...(env.close ? { close: () => env.close!() } : {}),
  };
}
