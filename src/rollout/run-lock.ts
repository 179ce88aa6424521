/**
 * One writing process per run directory. Two `userrl run`s (or a run and a server) into the same `--out` would
 * play the same episodes twice and overwrite each other's results, so the writer holds `run.lock`, a file with
 * its pid. A lock whose process no longer exists (a killed run) is taken over; claims within one process
 * (a training run and the server it starts) share the lock.
 */
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export const RUN_LOCK = "run.lock";

/** Directories this process holds, with how many claims each. */
const held = new Map<string, number>();
let cleanupInstalled = false;

/** Claim `dir` for writing; the returned function gives the claim back (idempotent). */
export function claimRunDir(dir: string): () => void {
  const count = held.get(dir) ?? 0;
  if (count === 0) take(dir);
  held.set(dir, count + 1);
  let released = false;
  return () => {
    if (released) return;
    released = true;
    const left = (held.get(dir) ?? 1) - 1;
    if (left > 0) return void held.set(dir, left);
    held.delete(dir);
    rmSync(join(dir, RUN_LOCK), { force: true });
  };
}

function take(dir: string): void {
  const file = join(dir, RUN_LOCK);
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      writeFileSync(file, `${process.pid}\n`, { flag: "wx" });
      installCleanup();
      return;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
    }
    const holder = lockHolder(dir);
    if (holder !== undefined && holder !== process.pid) {
      throw new Error(`another userrl process (pid ${holder}) is writing to ${dir}; wait for it to finish, or choose another --out`);
    }
    rmSync(file, { force: true }); // left by a process that is gone
  }
  throw new Error(`cannot take the lock ${file}`);
}

/** The pid of the live process that holds `dir`'s lock (this process included), if any: who is writing the run. */
export function lockHolder(dir: string): number | undefined {
  const pid = Number.parseInt(readQuietly(join(dir, RUN_LOCK)), 10);
  return Number.isInteger(pid) && pid > 0 && (pid === process.pid || alive(pid)) ? pid : undefined;
}

function readQuietly(file: string): string {
  try {
    return readFileSync(file, "utf8").trim();
  } catch {
    return "";
  }
}

/** Whether a process exists (one of another user's, which may not be signalled, exists too). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Locks are removed on a normal exit too (Ctrl-C included); a killed process leaves one that is taken over. */
function installCleanup(): void {
  if (cleanupInstalled) return;
  cleanupInstalled = true;
  process.on("exit", () => {
    for (const dir of held.keys()) rmSync(join(dir, RUN_LOCK), { force: true });
  });
}
