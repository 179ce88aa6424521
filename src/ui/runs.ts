/**
 * The run stores the web app shows: found under the folders it was given, read through `rollout/` (the
 * store) and `eval/` (scores, comparisons) — never a second copy of scoring. Listing and episode pages are
 * plain SQL on the episodes table, so a 10,000-episode run pages as fast as a small one; full evaluations
 * are cached per run until its database changes.
 */
import { createHash } from "node:crypto";
import { existsSync, readdirSync, statSync, type Dirent } from "node:fs";
import { basename, join, resolve } from "node:path";
import type { PersonaView, Trajectory } from "../core/types.js";
import { DataStore } from "../data/store.js";
import { GYMS } from "../gyms/index.js";
import { evaluateRun, scoringOf, type EvaluatedRun } from "../eval/load.js";
import { personaId } from "../personas/spec.js";
import { lockHolder } from "../rollout/run-lock.js";
import { EPISODE_ROW_COLUMNS, episodeRow, RUN_DB, RunStore, type EpisodeRow } from "../rollout/store.js";
import { ratingsOf, type Rating } from "./ratings.js";

export interface RunListing {
  id: string;
  dir: string;
  name: string;
  createdAt: string;
  agent: string;
  user: string;
  persona?: string;
  gyms: string[];
  episodes: number;
  errors: number;
  /** Mean total reward per gym (the page of a run has the paper's scores). */
  meanReward: Record<string, number>;
  tokens: { agent: number; user: number };
  /** Another process holds the run's writer lock: the run is being written now. */
  live: boolean;
  /** Episodes the run's config plans, when it says (gyms × limit × samples). */
  planned?: number;
}

export interface EpisodeQuery {
  gym?: string;
  task?: string;
  q?: string;
  endReason?: string;
  status?: "done" | "error";
  minReward?: number;
  maxReward?: number;
  offset: number;
  limit: number;
}

/** A run's page header: its listing, settings, and the values its episode filters offer. */
export type RunDetail = RunListing & { config: Record<string, unknown>; codeVersion: string; facets: { gyms: string[]; endReasons: string[] } };

export interface EpisodeDetail {
  trajectory: Trajectory;
  status: string;
  error: string | null;
  score: number;
  /** The task's payload: what the agent never sees. */
  hidden: unknown;
  rating?: Rating;
}

export interface EpisodePage {
  total: number;
  rows: EpisodeSummaryRow[];
}

export interface EpisodeSummaryRow extends EpisodeRow {
  /** The gym's score of the episode (eval/). */
  score: number;
}

/** How deep under a `--runs` folder run directories are looked for (study participants sit two levels down). */
const SCAN_DEPTH = 3;

export function runId(dir: string): string {
  return createHash("sha256").update(resolve(dir)).digest("base64url").slice(0, 12);
}

function findRunDirs(root: string, depth: number, out: Set<string>): void {
  if (!existsSync(root)) return;
  if (existsSync(join(root, RUN_DB))) out.add(resolve(root));
  if (depth === 0) return;
  let entries: Dirent[];
  try {
    entries = readdirSync(root, { withFileTypes: true });
  } catch {
    return;
  }
  for (const e of entries) if (e.isDirectory() && !e.name.startsWith(".") && e.name !== "node_modules") findRunDirs(join(root, e.name), depth - 1, out);
}

/** A change stamp of a run's database (main file and write-ahead log). */
function stamp(dir: string): string {
  const parts = [RUN_DB, `${RUN_DB}-wal`].map((f) => {
    try {
      const s = statSync(join(dir, f));
      return `${s.mtimeMs}:${s.size}`;
    } catch {
      return "-";
    }
  });
  return parts.join("|");
}

export class RunIndex {
  private readonly evaluated = new Map<string, { stamp: string; run: EvaluatedRun }>();
  private taskCache = new Map<string, Promise<Map<string, unknown>>>();

  constructor(
    /** Run directories named on the command line. */
    private readonly dirs: readonly string[],
    /** Folders searched for run directories on every listing. */
    private readonly roots: readonly string[],
    private readonly data: DataStore = DataStore.default(),
  ) {}

  /** Every run directory known now, by id. */
  all(): Map<string, string> {
    const found = new Set<string>();
    for (const d of this.dirs) if (existsSync(join(d, RUN_DB))) found.add(resolve(d));
    for (const r of this.roots) findRunDirs(r, SCAN_DEPTH, found);
    return new Map([...found].sort().map((d) => [runId(d), d]));
  }

  dirOf(id: string): string {
    const dir = this.all().get(id);
    if (!dir) throw new NotFound(`no run ${id}`);
    return dir;
  }

  list(): RunListing[] {
    const out: RunListing[] = [];
    for (const [id, dir] of this.all()) {
      try {
        out.push(this.listing(id, dir));
      } catch {
        /* a store being created or a broken file: left out of the list */
      }
    }
    return out.sort((a, b) => (a.createdAt < b.createdAt ? 1 : -1));
  }

  listing(id: string, dir: string): RunListing {
    const store = RunStore.open(dir);
    try {
      const run = store.run();
      const cfg = (run?.config ?? {}) as Record<string, unknown>;
      const gymRows = store.db
        .prepare("SELECT gym, COUNT(*) AS n, AVG(total_reward) AS mean, SUM(status = 'error') AS errors FROM episodes GROUP BY gym ORDER BY gym")
        .all() as { gym: string; n: number; mean: number; errors: number }[];
      const tokens = store.db
        .prepare("SELECT SUM(CASE WHEN role = 'agent' THEN prompt_tokens + completion_tokens ELSE 0 END) AS agent, SUM(CASE WHEN role <> 'agent' THEN prompt_tokens + completion_tokens ELSE 0 END) AS user FROM usage")
        .get() as { agent: number | null; user: number | null };
      const gyms = Array.isArray(cfg.gyms) ? (cfg.gyms as unknown[]).map(String) : gymRows.map((g) => g.gym);
      const limit = typeof cfg.limit === "number" ? cfg.limit : undefined;
      const samples = typeof cfg.samples === "number" ? cfg.samples : 1;
      return {
        id,
        dir,
        name: basename(dir),
        createdAt: run?.createdAt ?? "",
        agent: String(cfg.agent ?? "?"),
        user: String(cfg.user ?? "?"),
        // The run records its persona as a PersonaView (src/personas/); the page shows its id.
        ...(cfg.persona !== undefined ? { persona: typeof cfg.persona === "string" ? cfg.persona : personaId(cfg.persona as PersonaView) } : {}),
        gyms,
        episodes: gymRows.reduce((s, g) => s + g.n - g.errors, 0),
        errors: gymRows.reduce((s, g) => s + g.errors, 0),
        meanReward: Object.fromEntries(gymRows.map((g) => [g.gym, g.mean])),
        tokens: { agent: tokens.agent ?? 0, user: tokens.user ?? 0 },
        live: lockHolder(dir) !== undefined,
        ...(limit !== undefined && !gyms.includes("all") ? { planned: gyms.length * limit * samples } : {}),
      };
    } finally {
      store.close();
    }
  }

  /** The run's evaluation (eval/), recomputed only when its database changed. */
  evaluate(id: string): EvaluatedRun {
    const dir = this.dirOf(id);
    const s = stamp(dir);
    const hit = this.evaluated.get(dir);
    if (hit && hit.stamp === s) return hit.run;
    const run = evaluateRun(dir);
    this.evaluated.set(dir, { stamp: s, run });
    return run;
  }

  /** One page of a run's episodes, filtered in SQL. */
  episodes(id: string, q: EpisodeQuery): EpisodePage {
    const store = RunStore.open(this.dirOf(id));
    try {
      const where: string[] = [];
      const args: unknown[] = [];
      const add = (sql: string, ...v: unknown[]) => {
        where.push(sql);
        args.push(...v);
      };
      if (q.gym) add("gym = ?", q.gym);
      if (q.task) add("task_id = ?", q.task);
      if (q.endReason) add("end_reason = ?", q.endReason);
      if (q.status) add("status = ?", q.status);
      if (q.minReward !== undefined) add("total_reward >= ?", q.minReward);
      if (q.maxReward !== undefined) add("total_reward <= ?", q.maxReward);
      if (q.q) add("(instr(lower(task_id), ?) > 0 OR instr(lower(trajectory), ?) > 0)", q.q.toLowerCase(), q.q.toLowerCase());
      const w = where.length ? `WHERE ${where.join(" AND ")}` : "";
      const total = (store.db.prepare(`SELECT COUNT(*) AS n FROM episodes ${w}`).get(...args) as { n: number }).n;
      const rows = store.db
        .prepare(
          `SELECT ${EPISODE_ROW_COLUMNS}, trajectory FROM episodes ${w} ORDER BY gym, task_id, sample LIMIT ? OFFSET ?`,
        )
        .all(...args, q.limit, q.offset) as Record<string, unknown>[];
      return {
        total,
        rows: rows.map((r) => {
          const t = JSON.parse(r.trajectory as string) as Trajectory;
          return { ...episodeRow(r), score: scoringOf(t.gym).score(t) };
        }),
      };
    } finally {
      store.close();
    }
  }

  /** The run's recorded settings and code version. */
  details(id: string): { config: Record<string, unknown>; codeVersion: string } {
    const store = RunStore.open(this.dirOf(id));
    try {
      const run = store.run();
      return { config: run?.config ?? {}, codeVersion: run?.codeVersion ?? "" };
    } finally {
      store.close();
    }
  }

  /** Values the episode filters offer: gyms and end reasons present in the run. */
  facets(id: string): { gyms: string[]; endReasons: string[] } {
    const store = RunStore.open(this.dirOf(id));
    try {
      const col = (c: string) => (store.db.prepare(`SELECT DISTINCT ${c} AS v FROM episodes ORDER BY v`).all() as { v: string }[]).map((r) => r.v);
      return { gyms: col("gym"), endReasons: col("end_reason") };
    } finally {
      store.close();
    }
  }

  /** One stored episode, with what the agent never saw: the task's hidden payload, and the rating a person gave. */
  async episode(id: string, key: string): Promise<EpisodeDetail> {
    const dir = this.dirOf(id);
    const store = RunStore.open(dir);
    let row: { trajectory: string; status: string; error: string | null } | undefined;
    let rating: Rating | undefined;
    try {
      row = store.db.prepare("SELECT trajectory, status, error FROM episodes WHERE key = ?").get(key) as typeof row;
      rating = ratingsOf(store.db).get(key);
    } finally {
      store.close();
    }
    if (!row) throw new NotFound(`no episode ${key} in this run`);
    const trajectory = JSON.parse(row.trajectory) as Trajectory;
    return {
      trajectory,
      status: row.status,
      error: row.error,
      score: scoringOf(trajectory.gym).score(trajectory),
      hidden: await this.hiddenState(trajectory.gym, trajectory.taskId),
      ...(rating ? { rating } : {}),
    };
  }

  /** A task's payload from the gym registry: the hidden state (entity, story, preferences, goal…). */
  async hiddenState(gym: string, taskId: string): Promise<unknown> {
    const def = GYMS.get(gym);
    if (!def) return null;
    let tasks = this.taskCache.get(gym);
    if (!tasks) {
      tasks = def.tasks(this.data).then((ts) => new Map(ts.map((t) => [t.id, t.payload])));
      this.taskCache.set(gym, tasks);
      tasks.catch(() => this.taskCache.delete(gym));
    }
    try {
      return (await tasks).get(taskId) ?? null;
    } catch {
      return null;
    }
  }
}

export class NotFound extends Error {
  override name = "NotFound";
}
