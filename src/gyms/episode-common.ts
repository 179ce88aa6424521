/** Small pieces the episode classes of several gyms share. */
import type { z } from "zod";
import type { StepResult } from "../core/types.js";

/** What a step after the end of an episode answers (the reference raises instead). */
export const EPISODE_COMPLETE = "Episode is complete. Call reset() to start a new episode.";

export function afterEndResult(): StepResult {
  return { feedback: EPISODE_COMPLETE, reward: 0, done: true, truncated: false, info: { error: "episode_complete" } };
}

/** Parse a gym's `ctx.options` with its schema; bad options are a configuration error naming the gym. */
export function gymOptions<T>(gym: string, schema: z.ZodType<T>, options: Record<string, unknown>): T {
  const r = schema.safeParse(options);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  throw new Error(`invalid ${gym} option "${issue?.path.map(String).join(".") ?? ""}": ${issue?.message ?? "invalid"}`);
}
