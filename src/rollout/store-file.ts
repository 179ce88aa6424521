/**
 * The run store's file, before and beside SQLite: say what a file is when it is not a run store (empty, not
 * SQLite); read a store on read-only media (SQLite cannot open a WAL database there, as it must write the
 * shared-memory file beside it, so readers get a private copy); and rebuild a store whose pages fail
 * SQLite's check, keeping every episode that still reads whole — the damaged ones run again on resume.
 */
import { accessSync, closeSync, constants, copyFileSync, existsSync, mkdtempSync, openSync, readSync, renameSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join, resolve } from "node:path";
import Database from "better-sqlite3";

const SQLITE_HEADER = "SQLite format 3\0";

/** Why `file` cannot be a run store — empty, or not SQLite — or undefined. Reads its first 16 bytes only. */
export function notAStore(file: string): string | undefined {
  const size = statSync(file).size;
  if (size === 0) return `${file} is empty (0 bytes), not a userrl run store`;
  const head = Buffer.alloc(16);
  const fd = openSync(file, "r");
  try {
    readSync(fd, head, 0, 16, 0);
  } finally {
    closeSync(fd);
  }
  const text = head.toString("latin1");
  if (text === SQLITE_HEADER) return undefined;
  const shown = text.slice(0, Math.min(size, 16)).replace(/[^\x20-\x7e]/g, ".");
  return `${file} is not a SQLite database (${size} bytes, starting "${shown}"), so not a userrl run store`;
}

/** A file-system error in the user's terms. */
export function fileErrorText(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === "EROFS") return "the file system is read-only";
  if (code === "EACCES" || code === "EPERM") return "permission denied";
  if (code === "ENOSPC") return "no space left on the device";
  return (err as Error).message;
}

/**
 * Why this process may not create files in `dir` or, when it does not exist yet, in its nearest existing
 * parent (read-only media, no permission), or undefined when it may.
 */
export function notWritable(dir: string): string | undefined {
  let at = resolve(dir);
  while (!existsSync(at) && dirname(at) !== at) at = dirname(at);
  try {
    accessSync(at, constants.W_OK);
    return undefined;
  } catch (err) {
    return fileErrorText(err);
  }
}

/** A private copy of a store (with its write-ahead log, whose committed episodes count) and how to remove it. */
export function privateCopy(file: string): { path: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), "userrl-store-"));
  const path = join(dir, basename(file));
  try {
    copyFileSync(file, path);
    if (existsSync(`${file}-wal`)) copyFileSync(`${file}-wal`, `${path}-wal`);
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  return { path, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A stored trajectory, or a one-line reason why the text is not one (damaged JSON, a wrong shape). */
export function parseTrajectory<T>(json: string): { ok: true; value: T } | { ok: false; error: string } {
  let v: unknown;
  try {
    v = JSON.parse(json);
  } catch (err) {
    return { ok: false, error: `its trajectory is not valid JSON (${(err as Error).message})` };
  }
  const t = v as Record<string, unknown> | null;
  const shaped =
    typeof t === "object" && t !== null && typeof t.gym === "string" && typeof t.taskId === "string" &&
    Array.isArray(t.turns) && Array.isArray(t.messages) && typeof t.totalReward === "number";
  return shaped ? { ok: true, value: v as T } : { ok: false, error: "its trajectory lacks the fields of one (gym, taskId, turns, messages, totalReward)" };
}

/** SQLite's quick check of every page; the problems it names (at most three), or undefined when the file is sound. */
export function pageProblems(db: Database.Database): string | undefined {
  try {
    const rows = db.pragma("quick_check(3)") as { quick_check: string }[];
    const problems = rows.map((r) => r.quick_check.replace(/\s+/g, " ").trim()).filter((r) => r !== "ok");
    return problems.length ? problems.join("; ") : undefined;
  } catch (err) {
    return (err as Error).message;
  }
}

export interface Rebuilt {
  /** Episodes kept whole. */
  kept: number;
  /** Episode keys that could not be read whole: they run again. */
  dropped: string[];
  /** Where the damaged file was moved (kept, never deleted). */
  damagedCopy: string;
}

/**
 * Rebuild the store at `file` (closed by the caller) into a fresh file with `migrate`'s schema: the run record
 * and events as far as they read, and each episode whose row, trajectory, turns and usage all read whole.
 * The damaged file is moved aside to `<file>.damaged-<time>`.
 */
export function rebuildStore(file: string, migrate: (db: Database.Database) => void): Rebuilt {
  const fresh = join(dirname(file), `${basename(file)}.rebuilding`);
  rmSync(fresh, { force: true });
  const from = new Database(file, { fileMustExist: true });
  const to = new Database(fresh);
  const dropped: string[] = [];
  let kept = 0;
  try {
    migrate(to);
    const copyRows = (table: string, rows: Record<string, unknown>[]) => {
      for (const row of rows) {
        const cols = Object.keys(row);
        to.prepare(`INSERT OR REPLACE INTO ${table} (${cols.join(", ")}) VALUES (${cols.map(() => "?").join(", ")})`).run(...cols.map((c) => row[c]));
      }
    };
    const readAll = (sql: string, ...args: unknown[]): Record<string, unknown>[] => from.prepare(sql).all(...args) as Record<string, unknown>[];
    for (const table of ["runs", "events"]) {
      try {
        copyRows(table, readAll(`SELECT * FROM ${table}`));
      } catch {
        /* as much as reads; the run record is written again by the next run */
      }
    }
    let keys: string[] = [];
    try {
      keys = (readAll("SELECT key FROM episodes") as { key: string }[]).map((r) => r.key);
    } catch {
      /* the key list itself is damaged: every episode runs again */
    }
    for (const key of keys) {
      try {
        const episode = readAll("SELECT * FROM episodes WHERE key = ?", key);
        if (episode.length !== 1 || !parseTrajectory(String(episode[0].trajectory)).ok) throw new Error("damaged trajectory");
        const turns = readAll("SELECT * FROM turns WHERE episode_key = ?", key);
        const usage = readAll("SELECT * FROM usage WHERE episode_key = ?", key);
        to.transaction(() => {
          copyRows("episodes", episode);
          copyRows("turns", turns);
          copyRows("usage", usage);
        })();
        kept++;
      } catch {
        dropped.push(key);
      }
    }
  } finally {
    from.close();
    to.close();
  }
  const damagedCopy = `${file}.damaged-${new Date().toISOString().replace(/[:.]/g, "-")}`;
  renameSync(file, damagedCopy);
  if (existsSync(`${file}-wal`)) renameSync(`${file}-wal`, `${damagedCopy}-wal`);
  rmSync(`${file}-shm`, { force: true });
  renameSync(fresh, file);
  return { kept, dropped, damagedCopy };
}
