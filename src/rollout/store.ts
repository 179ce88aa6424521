/**
 * The run store: one SQLite file (WAL) per run directory, `<dir>/run.sqlite`.
 * Tables: runs (config, seeds, code and data versions), episodes (one row per task × sample, with the
 * full trajectory), turns (one row per agent turn) and usage (per episode and role). Each finished
 * episode is written in one transaction, so a killed run keeps everything that finished.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import type { Trajectory } from "../core/types.js";
import { SOURCES } from "../data/manifest.js";
import { claimRunDir } from "./run-lock.js";

export interface RunRecord {
  id: string;
  createdAt: string;
  config: Record<string, unknown>;
  codeVersion: string;
  dataVersions: Record<string, string>;
}

export type EpisodeStatus = "done" | "error";

export interface EpisodeRow {
  key: string;
  gym: string;
  taskId: string;
  split: string;
  sample: number;
  status: EpisodeStatus;
  endReason: string;
  totalReward: number;
  turns: number;
  durationMs: number;
  error: string | null;
}

export const RUN_DB = "run.sqlite";

/**
 * How an episode is stored: as an `error` to run again on resume, with its reason, when the agent or the gym
 * (a step that failed or timed out, its simulated user included) failed, or when it was cut off; else `done`.
 */
export function storedOutcome(t: Pick<Trajectory, "endReason" | "turns" | "meta">): { status: EpisodeStatus; error?: string } {
  if (t.endReason !== "agent_error" && t.endReason !== "env_error" && t.endReason !== "aborted") return { status: "done" };
  return { status: "error", error: t.turns.at(-1)?.error ?? String(t.meta?.error ?? t.endReason) };
}

export function episodeKey(gym: string, taskId: string, sample: number): string {
  return `${gym}/${taskId}/${sample}`;
}

let cachedVersion: string | undefined;
/** `userrl@<version>+<git sha>` when run from a checkout. */
export function codeVersion(): string {
  if (cachedVersion) return cachedVersion;
  const root = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
  let version = "0.0.0";
  try {
    version = (JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { version: string }).version;
  } catch {
    /* unknown */
  }
  let sha = "";
  try {
    sha = execFileSync("git", ["rev-parse", "--short=12", "HEAD"], { cwd: root, stdio: ["ignore", "pipe", "ignore"] })
      .toString()
      .trim();
    const dirty = execFileSync("git", ["status", "--porcelain", "--untracked-files=no"], { cwd: root, stdio: ["ignore", "pipe", "ignore"] })
      .toString()
      .trim();
    if (dirty) sha += "-dirty";
  } catch {
    /* not a checkout */
  }
  cachedVersion = `userrl@${version}${sha ? `+${sha}` : ""}`;
  return cachedVersion;
}

export class RunStore {
  readonly db: Database.Database;
  readonly dir: string;
  private release?: () => void;

  constructor(dir: string, opts: { readonly?: boolean } = {}) {
    this.dir = resolve(dir);
    if (!opts.readonly) mkdirSync(this.dir, { recursive: true });
    this.db = new Database(join(this.dir, RUN_DB), { readonly: opts.readonly === true, fileMustExist: opts.readonly === true });
    if (!opts.readonly) {
      this.db.pragma("journal_mode = WAL");
      this.db.pragma("synchronous = NORMAL");
    }
    this.db.pragma("busy_timeout = 10000");
    if (!opts.readonly) this.migrate();
  }

  /** Open (or create) a run directory as its one writing process; throws while another process writes to it. */
  static forWriting(dir: string): RunStore {
    const store = new RunStore(dir);
    try {
      store.claimWriter();
    } catch (err) {
      store.close();
      throw err;
    }
    return store;
  }

  /** Open an existing run directory for reading, with a clear error when it is not one. */
  static open(dir: string): RunStore {
    try {
      return new RunStore(dir, { readonly: true });
    } catch {
      throw new Error(`${resolve(dir)} is not a userrl run directory (no ${RUN_DB}); create one with \`userrl run … --out ${dir}\``);
    }
  }

  private migrate(): void {
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS runs (
        id TEXT PRIMARY KEY, created_at TEXT NOT NULL, config TEXT NOT NULL,
        code_version TEXT NOT NULL, data_versions TEXT NOT NULL
      );
      CREATE TABLE IF NOT EXISTS episodes (
        key TEXT PRIMARY KEY, run_id TEXT NOT NULL, gym TEXT NOT NULL, task_id TEXT NOT NULL,
        split TEXT NOT NULL, sample INTEGER NOT NULL, seed INTEGER NOT NULL, status TEXT NOT NULL,
        end_reason TEXT NOT NULL, total_reward REAL NOT NULL, turns INTEGER NOT NULL,
        started_at TEXT NOT NULL, duration_ms INTEGER NOT NULL, error TEXT, trajectory TEXT NOT NULL
      );
      CREATE INDEX IF NOT EXISTS episodes_gym ON episodes (gym, task_id);
      CREATE TABLE IF NOT EXISTS turns (
        episode_key TEXT NOT NULL, turn INTEGER NOT NULL, choice TEXT, content TEXT, feedback TEXT NOT NULL,
        reward REAL NOT NULL, done INTEGER NOT NULL, truncated INTEGER NOT NULL, error TEXT,
        PRIMARY KEY (episode_key, turn)
      );
      CREATE TABLE IF NOT EXISTS usage (
        episode_key TEXT NOT NULL, role TEXT NOT NULL, model TEXT NOT NULL, calls INTEGER NOT NULL,
        prompt_tokens INTEGER NOT NULL, completion_tokens INTEGER NOT NULL, cached_prompt_tokens INTEGER NOT NULL,
        latency_ms REAL NOT NULL, PRIMARY KEY (episode_key, role, model)
      );
      CREATE TABLE IF NOT EXISTS events (
        id INTEGER PRIMARY KEY AUTOINCREMENT, at TEXT NOT NULL, kind TEXT NOT NULL, data TEXT NOT NULL
      );
    `);
  }

  /** The run this directory holds, if any. */
  run(): RunRecord | undefined {
    const row = this.db.prepare("SELECT * FROM runs ORDER BY created_at LIMIT 1").get() as
      | { id: string; created_at: string; config: string; code_version: string; data_versions: string }
      | undefined;
    if (!row) return undefined;
    return {
      id: row.id,
      createdAt: row.created_at,
      config: JSON.parse(row.config),
      codeVersion: row.code_version,
      dataVersions: JSON.parse(row.data_versions),
    };
  }

  /** Create the run record, or return the existing one (a resumed run keeps its id). */
  ensureRun(id: string, config: Record<string, unknown>): RunRecord {
    const existing = this.run();
    if (existing) return existing;
    const rec: RunRecord = {
      id,
      createdAt: new Date().toISOString(),
      config,
      codeVersion: codeVersion(),
      dataVersions: { ...SOURCES },
    };
    this.db
      .prepare("INSERT INTO runs (id, created_at, config, code_version, data_versions) VALUES (?, ?, ?, ?, ?)")
      .run(rec.id, rec.createdAt, JSON.stringify(config), rec.codeVersion, JSON.stringify(rec.dataVersions));
    return rec;
  }

  /** Update the stored config (e.g. more gyms or samples added on a resume). */
  updateConfig(config: Record<string, unknown>): void {
    this.db.prepare("UPDATE runs SET config = ?").run(JSON.stringify(config));
  }

  /** Keys of the episodes that finished (status done). */
  doneKeys(): Set<string> {
    const rows = this.db.prepare("SELECT key FROM episodes WHERE status = 'done'").all() as { key: string }[];
    return new Set(rows.map((r) => r.key));
  }

  saveEpisode(t: Trajectory, status: EpisodeStatus, error?: string): void {
    const key = episodeKey(t.gym, t.taskId, t.sample);
    const tx = this.db.transaction(() => {
      this.db.prepare("DELETE FROM turns WHERE episode_key = ?").run(key);
      this.db.prepare("DELETE FROM usage WHERE episode_key = ?").run(key);
      this.db
        .prepare(
          `INSERT OR REPLACE INTO episodes (key, run_id, gym, task_id, split, sample, seed, status, end_reason,
           total_reward, turns, started_at, duration_ms, error, trajectory) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`,
        )
        .run(
          key,
          t.runId,
          t.gym,
          t.taskId,
          t.split,
          t.sample,
          t.seed,
          status,
          t.endReason,
          t.totalReward,
          t.turns.length,
          t.startedAt,
          t.durationMs,
          error ?? null,
          JSON.stringify(t),
        );
      const turnStmt = this.db.prepare(
        "INSERT INTO turns (episode_key, turn, choice, content, feedback, reward, done, truncated, error) VALUES (?,?,?,?,?,?,?,?,?)",
      );
      for (const r of t.turns) {
        turnStmt.run(key, r.turn, r.action?.choice ?? null, r.action?.content ?? null, r.feedback, r.reward, r.done ? 1 : 0, r.truncated ? 1 : 0, r.error ?? null);
      }
      const usage = new Map<string, { role: string; model: string; calls: number; p: number; c: number; cached: number; ms: number }>();
      const bump = (role: string, model: string, p: number, c: number, cached: number, ms: number) => {
        const k = `${role}\u0000${model}`;
        const u = usage.get(k) ?? { role, model, calls: 0, p: 0, c: 0, cached: 0, ms: 0 };
        u.calls++;
        u.p += p;
        u.c += c;
        u.cached += cached;
        u.ms += ms;
        usage.set(k, u);
      };
      for (const r of t.turns) {
        if (r.usage) bump("agent", t.agentSpec, r.usage.promptTokens, r.usage.completionTokens, r.usage.cachedPromptTokens ?? 0, r.agentLatencyMs ?? 0);
        for (const rc of r.roleCalls ?? []) bump(rc.role, rc.model, rc.usage.promptTokens, rc.usage.completionTokens, rc.usage.cachedPromptTokens ?? 0, rc.latencyMs);
      }
      const usageStmt = this.db.prepare(
        "INSERT INTO usage (episode_key, role, model, calls, prompt_tokens, completion_tokens, cached_prompt_tokens, latency_ms) VALUES (?,?,?,?,?,?,?,?)",
      );
      for (const u of usage.values()) usageStmt.run(key, u.role, u.model, u.calls, u.p, u.c, u.cached, u.ms);
    });
    tx();
  }

  episodes(filter: { gym?: string; status?: EpisodeStatus } = {}): EpisodeRow[] {
    const where: string[] = [];
    const args: unknown[] = [];
    if (filter.gym) {
      where.push("gym = ?");
      args.push(filter.gym);
    }
    if (filter.status) {
      where.push("status = ?");
      args.push(filter.status);
    }
    const sql = `SELECT key, gym, task_id, split, sample, status, end_reason, total_reward, turns, duration_ms, error FROM episodes ${
      where.length ? `WHERE ${where.join(" AND ")}` : ""
    } ORDER BY gym, task_id, sample`;
    return (this.db.prepare(sql).all(...args) as Record<string, unknown>[]).map((r) => ({
      key: r.key as string,
      gym: r.gym as string,
      taskId: r.task_id as string,
      split: r.split as string,
      sample: r.sample as number,
      status: r.status as EpisodeStatus,
      endReason: r.end_reason as string,
      totalReward: r.total_reward as number,
      turns: r.turns as number,
      durationMs: r.duration_ms as number,
      error: (r.error as string | null) ?? null,
    }));
  }

  /** Stored trajectories, in (gym, task, sample) order; finished ones only unless asked. */
  *trajectories(filter: { gym?: string; includeErrors?: boolean } = {}): Generator<Trajectory> {
    const where = [filter.includeErrors ? "1=1" : "status = 'done'"];
    const args: unknown[] = [];
    if (filter.gym) {
      where.push("gym = ?");
      args.push(filter.gym);
    }
    const stmt = this.db.prepare(`SELECT trajectory FROM episodes WHERE ${where.join(" AND ")} ORDER BY gym, task_id, sample`);
    for (const row of stmt.iterate(...args) as Iterable<{ trajectory: string }>) yield JSON.parse(row.trajectory) as Trajectory;
  }

  logEvent(kind: string, data: Record<string, unknown>): void {
    this.db.prepare("INSERT INTO events (at, kind, data) VALUES (?, ?, ?)").run(new Date().toISOString(), kind, JSON.stringify(data));
  }

  /** Become the directory's one writing process until `close()` (run-lock.ts); throws while another one is. */
  claimWriter(): void {
    this.release ??= claimRunDir(this.dir);
  }

  close(): void {
    this.db.close();
    this.release?.();
  }
}
