/**
 * The run store: one SQLite file (WAL) per run directory, `<dir>/run.sqlite`.
 * Tables: runs (config, seeds, code and data versions), episodes (one row per task × sample, with the
 * full trajectory), turns (one row per agent turn) and usage (per episode and role). Each finished
 * episode is written in one transaction, so a killed run keeps everything that finished.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import type { Trajectory } from "../core/types.js";
import { SOURCES } from "../data/manifest.js";
import { claimRunDir } from "./run-lock.js";
import { fileErrorText, notAStore, notWritable, pageProblems, parseTrajectory, privateCopy, rebuildStore } from "./store-file.js";

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

/** The columns an episode row is selected with, in the order `episodeRow` reads them. */
export const EPISODE_ROW_COLUMNS = "key, gym, task_id, split, sample, status, end_reason, total_reward, turns, duration_ms, error";

/** One `episodes` row (selected with {@link EPISODE_ROW_COLUMNS}) as an {@link EpisodeRow}. */
export function episodeRow(r: Record<string, unknown>): EpisodeRow {
  return {
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
  };
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

/** Create the store's tables (a no-op on an existing store). */
function migrate(db: Database.Database): void {
  db.exec(`
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

export interface RunStoreOptions {
  /** Open an existing store for reading only (`report`, `export`, `compare`). */
  readonly?: boolean;
  /** Where notes about damage go (a skipped episode, a rebuilt store); default: stderr. */
  warn?: (line: string) => void;
}

const warnOnStderr = (line: string) => void process.stderr.write(`userrl: warning: ${line}\n`);

export class RunStore {
  db: Database.Database;
  readonly dir: string;
  readonly file: string;
  private readonly warn: (line: string) => void;
  private release?: () => void;
  /** Removes the private copy a reader on read-only media works on. */
  private removeCopy?: () => void;

  constructor(dir: string, opts: RunStoreOptions = {}) {
    this.dir = resolve(dir);
    this.file = join(this.dir, RUN_DB);
    this.warn = opts.warn ?? warnOnStderr;
    this.db = opts.readonly ? this.openForReading() : this.openForWriting();
  }

  private openForReading(): Database.Database {
    if (!existsSync(this.file)) {
      throw new Error(`${this.dir} is not a userrl run directory (no ${RUN_DB}); create one with \`userrl run … --out ${this.dir}\``);
    }
    const what = notAStore(this.file);
    if (what) throw new Error(what);
    let path = this.file;
    if (notWritable(this.dir)) {
      const copy = privateCopy(this.file);
      path = copy.path;
      this.removeCopy = copy.remove;
    }
    try {
      const db = new Database(path, { readonly: true, fileMustExist: true });
      db.pragma("busy_timeout = 10000");
      const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name IN ('runs', 'episodes')").all();
      if (tables.length < 2) {
        db.close();
        throw new Error(`${this.file} is a SQLite database but not a userrl run store (no runs and episodes tables)`);
      }
      return db;
    } catch (err) {
      this.removeCopy?.();
      throw err;
    }
  }

  private openForWriting(): Database.Database {
    if (!existsSync(this.dir)) {
      try {
        mkdirSync(this.dir, { recursive: true });
      } catch (err) {
        // On read-only media a recursive mkdir says ENOENT; the parent's own check names the cause.
        throw new Error(`cannot create the run directory ${this.dir}: ${notWritable(this.dir) ?? fileErrorText(err)}`);
      }
    }
    if (existsSync(this.file) && statSync(this.file).size > 0) {
      const what = notAStore(this.file);
      if (what) throw new Error(`${what}; choose another --out directory`);
    }
    const why = notWritable(this.dir);
    if (why) throw new Error(`cannot write to ${this.dir}: ${why} (report, export and compare can still read it)`);
    return openWritable(this.file);
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
  static open(dir: string, opts: Omit<RunStoreOptions, "readonly"> = {}): RunStore {
    return new RunStore(dir, { ...opts, readonly: true });
  }

  /**
   * Before the first write of a resumed run: a store whose pages fail SQLite's check is rebuilt from what
   * still reads whole, so damaged episodes run again instead of being kept (the damaged file stays beside it).
   */
  private repairIfDamaged(): void {
    const problems = pageProblems(this.db);
    if (!problems) return;
    this.db.close();
    const r = rebuildStore(this.file, migrate);
    this.db = openWritable(this.file);
    const named = r.dropped.slice(0, 5).join(", ") + (r.dropped.length > 5 ? ", …" : "");
    this.warn(
      `${this.file} failed SQLite's integrity check (${problems}); rebuilt it with the ${r.kept} episodes that read whole` +
        `${r.dropped.length ? `; ${r.dropped.length} damaged (${named}) will run again` : ""}; the damaged file is kept as ${r.damagedCopy}`,
    );
    this.logEvent("store_rebuilt", { problems, kept: r.kept, dropped: r.dropped, damagedCopy: r.damagedCopy });
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
    // A done row whose trajectory is not valid JSON is damaged: it is not done, so it runs again.
    const rows = this.db.prepare("SELECT key FROM episodes WHERE status = 'done' AND json_valid(trajectory)").all() as { key: string }[];
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
    const sql = `SELECT ${EPISODE_ROW_COLUMNS} FROM episodes ${
      where.length ? `WHERE ${where.join(" AND ")}` : ""
    } ORDER BY gym, task_id, sample`;
    return (this.db.prepare(sql).all(...args) as Record<string, unknown>[]).map(episodeRow);
  }

  /** Stored trajectories, in (gym, task, sample) order; finished ones only unless asked. */
  *trajectories(filter: { gym?: string; includeErrors?: boolean } = {}): Generator<Trajectory> {
    const where = [filter.includeErrors ? "1=1" : "status = 'done'"];
    const args: unknown[] = [];
    if (filter.gym) {
      where.push("gym = ?");
      args.push(filter.gym);
    }
    // One row at a time by key, so one damaged row (bad JSON, an unreadable page) is named and skipped, and the rest still read.
    const keys = (this.db.prepare(`SELECT key FROM episodes WHERE ${where.join(" AND ")} ORDER BY gym, task_id, sample`).all(...args) as { key: string }[]).map((r) => r.key);
    const one = this.db.prepare("SELECT trajectory FROM episodes WHERE key = ?");
    for (const key of keys) {
      let parsed: ReturnType<typeof parseTrajectory<Trajectory>>;
      try {
        parsed = parseTrajectory<Trajectory>(String((one.get(key) as { trajectory: unknown }).trajectory));
      } catch (err) {
        parsed = { ok: false, error: `its row cannot be read (${(err as Error).message})` };
      }
      if (parsed.ok) yield parsed.value;
      else this.warn(`episode ${key} in ${this.file} is damaged: ${parsed.error}; skipped`);
    }
  }

  logEvent(kind: string, data: Record<string, unknown>): void {
    this.db.prepare("INSERT INTO events (at, kind, data) VALUES (?, ?, ?)").run(new Date().toISOString(), kind, JSON.stringify(data));
  }

  /** Become the directory's one writing process until `close()` (run-lock.ts); throws while another one is. */
  claimWriter(): void {
    if (this.release) return;
    this.release = claimRunDir(this.dir);
    this.repairIfDamaged();
  }

  close(): void {
    this.db.close();
    this.release?.();
    this.removeCopy?.();
  }
}

/** Open a store file for writing: WAL (readers never block the writer), the schema in place. */
function openWritable(file: string): Database.Database {
  const db = new Database(file);
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = NORMAL");
  db.pragma("busy_timeout = 10000");
  migrate(db);
  return db;
}
