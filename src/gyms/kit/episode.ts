/**
 * The episode kit: {@link KitEpisode} owns what every episode shares — the step count, the step limit and the
 * gym's declared truncation policy, the answer to a step after the end, the running reward total, the role
 * traces and the action cut to the length the rollout delivers (a megabyte sent straight to `step` is read as
 * 20,000 characters) — so a gym writes only its opening observation and how it plays one action. Small
 * helpers the episodes share (options, stored texts, info histories) live here too.
 */
import type { z } from "zod";
import { cutAction, type Action } from "../../core/action.js";
import type { Compat, GymContext, GymEpisode, ResetResult, RoleCall, StepResult, Task } from "../../core/types.js";

/**
 * When hitting the step limit marks a step truncated:
 * - `at-limit`: the step that reaches the limit is truncated, even when it also ended the episode;
 * - `unless-done`: it is truncated only when it did not end the episode on its own terms;
 * - `done-at-limit`: as `unless-done`, and the step that reaches the limit is also marked done (the reference's
 *   IntentionGym ends its episode at the limit);
 * - `at-limit-but-finish`: as `at-limit`, except the agent's own finish ({@link Played.finish}), which is never
 *   truncated (the reference's TravelGym).
 */
export type TruncationPolicy = "at-limit" | "unless-done" | "done-at-limit" | "at-limit-but-finish";

/** What playing one action gives; the kit adds `truncated` and the reward total. */
export interface Played {
  feedback: string;
  reward: number;
  /** The episode ended on its own terms. */
  done: boolean;
  /** The step was the agent's own finish (read by the `at-limit-but-finish` policy). */
  finish?: boolean;
  /** Step info; a function when it reports the reward total or the truncation (which the kit settles). */
  info: Record<string, unknown> | ((end: { totalReward: number; truncated: boolean }) => Record<string, unknown>);
  roleCalls?: RoleCall[];
  fallbacks?: string[];
}

/** An episode on the kit; `T` is what it plays: the task, or what a gym builds from it (Travel's scenario). */
export abstract class KitEpisode<P, T = Task<P>> implements GymEpisode {
  /** Steps played so far (1-based inside `play`). */
  protected steps = 0;
  protected finished = false;
  protected totalReward = 0;
  /** Steps run one at a time even when a caller overlaps them (the reference's parallel calls). */
  private queue: Promise<unknown> = Promise.resolve();
  /** How hitting the step limit marks the step. */
  protected abstract readonly truncation: TruncationPolicy;
  /**
   * Whether `play` reads an action whole instead of cut to the length the rollout delivers: for a gym that
   * answers input of any length as its reference does, in time linear in it (Tau's tau-bench port).
   */
  protected readonly wholeActions: boolean = false;

  constructor(
    protected readonly task: T,
    protected readonly ctx: GymContext,
  ) {}

  /** The opening observation, after the kit has reset its counters. */
  protected abstract opening(): Promise<ResetResult>;
  /** Play one action: the gym's rules and reward. */
  protected abstract play(action: Action): Promise<Played>;

  async reset(): Promise<ResetResult> {
    this.steps = 0;
    this.finished = false;
    this.totalReward = 0;
    return this.opening();
  }

  step(action: Action): Promise<StepResult> {
    const run = this.queue.then(() => this.stepNow(action));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async stepNow(action: Action): Promise<StepResult> {
    if (this.finished) return afterEndResult();
    this.steps++;
    const r = await this.play(this.wholeActions ? action : cutAction(action));
    const atLimit = this.steps >= this.ctx.maxSteps;
    const truncated = atLimit && (this.truncation === "at-limit" || (this.truncation === "at-limit-but-finish" ? !r.finish : !r.done));
    const done = r.done || (this.truncation === "done-at-limit" && atLimit);
    this.totalReward += r.reward;
    this.finished = done || truncated;
    const info = typeof r.info === "function" ? r.info({ totalReward: this.totalReward, truncated }) : r.info;
    return {
      feedback: r.feedback,
      reward: r.reward,
      done,
      truncated,
      info,
      ...(r.roleCalls?.length ? { roleCalls: r.roleCalls } : {}),
      ...(r.fallbacks?.length ? { fallbacks: r.fallbacks } : {}),
    };
  }
}

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

/**
 * The `checkOptions` of a gym: its options schema applied strictly (unknown keys rejected, so a typo is not
 * ignored), plus the gym's own `extra` check (e.g. a data file that must exist) once the schema passes.
 */
export function optionsCheck<S extends z.ZodObject>(
  gym: string,
  schema: S,
  extra?: (options: z.output<S>) => string | undefined,
): (options: Readonly<Record<string, unknown>>) => string | undefined {
  const strict = schema.strict();
  return (options) => {
    const r = strict.safeParse(options);
    if (!r.success) {
      const unknown = r.error.issues.find((i) => i.code === "unrecognized_keys");
      if (!unknown) return optionsError(gym, r.error);
      const known = Object.keys(schema.shape);
      return `unknown ${gym} option${unknown.keys.length > 1 ? "s" : ""} ${unknown.keys.map((k) => `"${k}"`).join(", ")} (${
        known.length ? `${gym} takes ${known.join(", ")}` : `${gym} takes no options`
      })`;
    }
    return extra?.(r.data as z.output<S>);
  };
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
