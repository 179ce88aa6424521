/**
 * Re-grading: score a stored run again without calling its agent. Every finished episode is played once more
 * in a fresh gym episode, with the agent's stored replies fed back turn by turn (the tool calls, so the gym's
 * own parser, rules and rewards run as they did), under the chosen compatibility switch. With an offline user
 * the replies and rewards are recomputed exactly. A gym played by an LLM user gets its stored role replies back
 * (`RoleCall.reply`, in the order the gym asked), so its rule-settled rewards are recomputed from the stored
 * actions and replies; with `judge` (a model spec, served through the model layer's response cache) its judge-seat
 * roles are asked again, and episodes stored without replies have every role re-asked. The result is a new run directory, linked to its source in its settings, that report, compare
 * and every export read like any run; `changed` lists the episodes whose reward moved.
 */
import { randomUUID } from "node:crypto";
import type { Compat, Trajectory } from "../core/types.js";
import type { DataStore } from "../data/store.js";
import { REPLAY_EXHAUSTED, REPLIES_DIVERGED, replayAgent, replaySource } from "../rollout/replay.js";
import { episodeKey, RunStore } from "../rollout/store.js";

export interface RegradeOptions {
  source: string;
  out: string;
  /** Default: the source run's. */
  compat?: Compat;
  /** A model spec that re-asks every role of gyms the source run played with an LLM user. */
  judge?: string;
  concurrency?: number;
  data?: DataStore;
  signal?: AbortSignal;
}

export interface RegradeChange {
  key: string;
  gym: string;
  taskId: string;
  sample: number;
  before: number;
  after: number;
}

export interface RegradeSummary {
  source: string;
  out: string;
  runId: string;
  episodes: number;
  /** Episodes already re-graded by an earlier, interrupted call. */
  skipped: number;
  changed: RegradeChange[];
  /** Episodes whose replay needed more agent turns than were stored (the gym went another way). */
  diverged: { key: string; error: string }[];
}

/** What a regrade records in its run's settings (and requires when resumed). */
interface RegradeLink {
  source: string;
  sourceRunId: string;
  compat: Compat;
  judge: string | null;
}

export async function regradeRun(o: RegradeOptions): Promise<RegradeSummary> {
  const src = RunStore.open(o.source);
  let sourceRun;
  let trajectories: Trajectory[];
  try {
    sourceRun = src.run();
    if (!sourceRun) throw new Error(`${src.dir} holds no run`);
    trajectories = [...src.trajectories()];
  } finally {
    src.close();
  }
  if (trajectories.length === 0) throw new Error(`${o.source} has no finished episodes to re-grade`);
  const config = sourceRun.config as Record<string, unknown>;
  const compat = o.compat ?? (String(config.compat ?? trajectories[0].compat) as Compat);
  const link: RegradeLink = { source: src.dir, sourceRunId: sourceRun.id, compat, judge: o.judge ?? null };
  const replay = await replaySource(config, trajectories, { compat, userSpec: o.judge, data: o.data, stored: true });
  const store = RunStore.forWriting(o.out);
  try {
    const run = openRegradeRun(store, link, config);
    const done = store.doneKeys();
    const todo = trajectories.filter((t) => !done.has(episodeKey(t.gym, t.taskId, t.sample)));
    const summary: RegradeSummary = { source: src.dir, out: store.dir, runId: run.id, episodes: trajectories.length, skipped: trajectories.length - todo.length, changed: [], diverged: [] };
    const regradeOne = async (t: Trajectory) => {
      const key = episodeKey(t.gym, t.taskId, t.sample);
      const fresh = await replay.play(t, replayAgent(t), { runId: run.id, id: `${run.id}/${key}`, signal: o.signal });
      if (fresh.endReason === "aborted") return;
      const lastError = fresh.turns.at(-1)?.error ?? "";
      const exhausted = lastError.includes(REPLAY_EXHAUSTED) || lastError.includes(REPLIES_DIVERGED);
      if (exhausted) summary.diverged.push({ key, error: fresh.turns.at(-1)!.error! });
      const failed = exhausted || fresh.endReason === "agent_error" || (fresh.endReason === "env_error" && fresh.turns.length === 0);
      store.saveEpisode(fresh, failed ? "error" : "done", failed ? (fresh.turns.at(-1)?.error ?? fresh.endReason) : undefined);
      if (!failed && fresh.totalReward !== t.totalReward) {
        summary.changed.push({ key, gym: t.gym, taskId: t.taskId, sample: t.sample, before: t.totalReward, after: fresh.totalReward });
      }
    };
    let next = 0;
    const worker = async () => {
      while (next < todo.length && !o.signal?.aborted) await regradeOne(todo[next++]);
    };
    await Promise.all(Array.from({ length: Math.max(1, Math.min(o.concurrency ?? 8, todo.length)) }, worker));
    summary.changed.sort((a, b) => (a.key < b.key ? -1 : 1));
    if (summary.changed.length || summary.diverged.length) store.logEvent("regrade", { changed: summary.changed, diverged: summary.diverged });
    return summary;
  } finally {
    store.close();
    await replay.close();
  }
}

/** A new run, or the same regrade resumed; any other run in the directory is refused. */
function openRegradeRun(store: RunStore, link: RegradeLink, sourceConfig: Record<string, unknown>) {
  const existing = store.run();
  if (existing) {
    const before = existing.config.regrade as RegradeLink | undefined;
    if (!before || JSON.stringify(before) !== JSON.stringify(link)) {
      throw new Error(`${store.dir} already holds ${before ? "a different re-grading" : "a run"}; choose another --out directory`);
    }
    return existing;
  }
  return store.ensureRun(`regrade-${randomUUID()}`, { ...sourceConfig, compat: link.compat, ...(link.judge ? { judge: link.judge } : {}), regrade: link });
}
