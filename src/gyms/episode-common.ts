/** Small pieces the episode classes of several gyms share. */
import type { z } from "zod";
import type { Compat, StepResult } from "../core/types.js";

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

/** Characters kept per entry of the history lists in step `info` under the fixed gym. */
const HISTORY_ENTRY_CHARS = 300;

/**
 * A copy of a history list for step `info`. The reference puts the whole history in every step's info,
 * which stores it quadratically (long answers × steps) in every trajectory; the fixed gyms keep the same
 * fields with each text entry capped (the full texts are in the trajectory's messages).
 */
export function infoHistory<T>(entries: readonly T[], compat: Compat): T[] {
  if (compat === "userrl-2025") return [...entries];
  const cap = (v: unknown): unknown =>
    typeof v === "string" ? (v.length > HISTORY_ENTRY_CHARS ? `${v.slice(0, HISTORY_ENTRY_CHARS)}…` : v) : Array.isArray(v) ? v.map(cap) : v;
  return entries.map((e) => cap(e) as T);
}
