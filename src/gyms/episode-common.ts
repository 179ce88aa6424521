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
  throw new Error(optionsError(gym, r.error));
}

/** Bad gym options in one line: `invalid <gym> option "<key>": <what is wrong>` for each (up to three). */
export function optionsError(gym: string, error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((i) => `invalid ${gym} option "${i.path.map(String).join(".")}": ${i.message}`)
    .join("; ");
}

/** `text` cut to `max` characters, marked with an ellipsis when cut. */
export function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

/** Characters kept per entry of the history lists in step `info` under the fixed gym. */
const HISTORY_ENTRY_CHARS = 300;

/** Longest text a gym keeps per entry of its own histories, in every mode (the trajectory keeps the full messages). */
const STORED_ENTRY_CHARS = 2000;

/** A text as a gym stores it in a history it keeps (questions, clues, replies). */
export function storedEntry(text: string): string {
  return clip(text, STORED_ENTRY_CHARS);
}

/**
 * A copy of a history list for step `info`. The reference puts the whole history in every step's info,
 * which stores it quadratically (long answers × steps) in every trajectory; the fixed gyms keep the same
 * fields with each text entry capped (the full texts are in the trajectory's messages).
 */
export function infoHistory<T>(entries: readonly T[], compat: Compat): T[] {
  if (compat === "userrl-2025") return [...entries];
  const cap = (v: unknown): unknown =>
    typeof v === "string" ? clip(v, HISTORY_ENTRY_CHARS) : Array.isArray(v) ? v.map(cap) : v;
  return entries.map((e) => cap(e) as T);
}
