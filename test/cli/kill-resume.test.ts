/**
 * The real thing: the built CLI is killed (SIGKILL) in the middle of a run, and running the same command
 * again completes the run without redoing any finished episode. Needs the build (`npm ci` makes it).
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import Database from "better-sqlite3";
import { expect, test } from "vitest";

const root = resolve(import.meta.dirname, "..", "..");
const bin = join(root, "bin", "userrl.js");
const built = existsSync(join(root, "dist", "cli", "main.js"));

function doneCount(dir: string): number {
  const file = join(dir, "run.sqlite");
  if (!existsSync(file)) return 0;
  try {
    const db = new Database(file, { readonly: true, fileMustExist: true });
    try {
      return (db.prepare("SELECT count(*) AS n FROM episodes WHERE status = 'done'").get() as { n: number }).n;
    } finally {
      db.close();
    }
  } catch {
    return 0;
  }
}

test.skipIf(!built)("a run killed mid-way resumes without redoing finished episodes (built CLI; run `npm run build` first)", async () => {
  const out = mkdtempSync(join(tmpdir(), "kill-"));
  const args = [bin, "run", "function", "--agent", "baseline", "--split", "test", "--concurrency", "1", "--out", out, "--json"];
  const child = spawn(process.execPath, args, { stdio: "ignore", env: process.env });
  const started = Date.now();
  while (doneCount(out) < 5 && Date.now() - started < 60_000) await new Promise((r) => setTimeout(r, 50));
  child.kill("SIGKILL");
  await new Promise((r) => child.once("exit", r));
  const kept = doneCount(out);
  expect(kept).toBeGreaterThanOrEqual(5);
  expect(kept).toBeLessThan(78);
  const again = spawnSync(process.execPath, args, { encoding: "utf8", env: process.env });
  expect(again.status).toBe(0);
  const summary = JSON.parse(again.stdout);
  expect(summary).toMatchObject({ episodes: 78, pending: 0, errors: 0 });
  expect(summary.skipped).toBeGreaterThanOrEqual(kept);
  expect(summary.newEpisodes).toBe(78 - summary.skipped);
  expect(doneCount(out)).toBe(78);
});
