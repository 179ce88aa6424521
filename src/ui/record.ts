/**
 * Episodes played in the browser are stored in ordinary run directories, so report, compare, export, credit
 * and SFT read them unchanged: a person in the user's seat makes a run whose user is `human:<name>`, a person
 * in the agent's seat a run whose agent is `human:<name>`.
 */
import { randomUUID } from "node:crypto";
import { join } from "node:path";
import type { Trajectory } from "../core/types.js";
import { personaMismatch } from "../personas/run.js";
import { DEFAULT_RUN, type RunConfig } from "../rollout/runner.js";
import { episodeKey, RunStore } from "../rollout/store.js";
import { type Rating, ratingSchema, saveRating } from "./ratings.js";
import type { z } from "zod";

/** Names people type (participants, players) and that become folder names: short and plain. */
export const NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$/;

export function slug(text: string): string {
  return text.replace(/[^A-Za-z0-9_.-]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 60) || "x";
}

/** Where a person's episodes go: one run per seat, person, opponent and persona (the pinned settings of a run). */
export function playRunDir(root: string, seat: "agent" | "user", person: string, opponent: string, persona?: string): string {
  const name = seat === "user" ? `human-user-${slug(person)}-vs-${slug(opponent)}` : `human-agent-${slug(person)}-vs-${slug(opponent)}`;
  return join(root, persona ? `${name}-as-${slug(persona)}` : name);
}

export type PlayRunConfig = Pick<RunConfig, "agent" | "user" | "compat" | "maxTurns" | "split" | "persona"> & { humanSeat?: string };

/**
 * Store one finished episode. `sample` fixed (a study's task) overwrites; otherwise the next free sample of
 * the task, so playing a task again adds an episode rather than replacing one.
 */
export function recordEpisode(dir: string, config: PlayRunConfig, t: Trajectory, sample?: number): { runId: string; key: string } {
  const store = RunStore.forWriting(dir);
  try {
    const existing = store.run();
    const personaProblem = existing && personaMismatch(dir, existing.config.persona, config.persona);
    if (personaProblem) throw new Error(personaProblem);
    const base = { ...DEFAULT_RUN, gyms: [] as string[], samples: 1, concurrency: 1, ...config, mode: "eval" as const };
    const run = store.ensureRun(`run-${randomUUID()}`, base);
    const gyms = new Set([...(((existing?.config ?? base) as { gyms?: string[] }).gyms ?? []), t.gym]);
    store.updateConfig({ ...run.config, gyms: [...gyms] });
    const s =
      sample ??
      (store.db.prepare("SELECT COALESCE(MAX(sample) + 1, 0) AS s FROM episodes WHERE gym = ? AND task_id = ?").get(t.gym, t.taskId) as { s: number }).s;
    const key = episodeKey(t.gym, t.taskId, s);
    store.saveEpisode({ ...t, runId: run.id, id: `${run.id}/${key}`, sample: s }, "done");
    return { runId: run.id, key };
  } finally {
    store.close();
  }
}

export function recordRating(dir: string, key: string, rating: z.infer<typeof ratingSchema>): Rating {
  const store = RunStore.forWriting(dir);
  try {
    return saveRating(store.db, key, rating);
  } finally {
    store.close();
  }
}
