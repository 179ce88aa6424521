/**
 * Issue 15 item 7: runs on read-only media can be read. `report`, `export` and `compare` failed with
 * "unable to open database file" (SQLite cannot open a WAL store read-only without writing beside it); a
 * new `--out` there said "ENOENT … mkdir". The built CLI runs inside a private mount namespace where the
 * run folder is mounted read-only (`unshare -m`, root only; skipped elsewhere).
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterEach, beforeAll, expect, test } from "vitest";
import { cli } from "../cli-runner.js";

const root = resolve(import.meta.dirname, "..", "..");
const bin = join(root, "bin", "userrl.js");
const built = existsSync(join(root, "dist", "cli", "main.js"));
const canMount = spawnSync("unshare", ["-m", "sh", "-c", "mount --bind / /mnt 2>/dev/null || true; true"]).status === 0 && process.getuid?.() === 0;

afterEach(() => {
  process.exitCode = 0;
});

let media: string;
beforeAll(async () => {
  media = mkdtempSync(join(tmpdir(), "readonly-media-"));
  for (const name of ["a", "b"]) {
    const r = await cli("run", "function", "--agent", "baseline", "--limit", "3", "--out", join(media, name), "--json");
    expect(r.code).toBe(0);
  }
});

/** The built CLI with `media` mounted read-only. */
function onReadOnly(...args: string[]): { code: number | null; out: string; err: string } {
  const script = 'mount --bind "$0" "$0" && mount -o remount,bind,ro "$0" && exec "$@"';
  const r = spawnSync("unshare", ["-m", "sh", "-c", script, media, process.execPath, bin, ...args], { encoding: "utf8", env: process.env });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

test.skipIf(!built || !canMount)("item 7: report, export and compare read a run on a read-only file system (built CLI)", () => {
  const before = readdirSync(join(media, "a")).sort();
  const json = onReadOnly("report", join(media, "a"), "--json");
  expect(json.code, json.err).toBe(0);
  expect(JSON.parse(json.out)).toMatchObject({ episodes: 3, report: null });
  expect(json.err).toBe(`userrl: note: cannot write ${join(media, "a", "report.html")}: the file system is read-only; pass --html <file> to write the HTML report elsewhere\n`);
  const text = onReadOnly("report", join(media, "a"));
  expect(text.code).toBe(0);
  expect(text.out).toMatch(/function/);
  const elsewhere = join(mkdtempSync(join(tmpdir(), "html-")), "r.html");
  const html = onReadOnly("report", join(media, "a"), "--html", elsewhere);
  expect(html.code).toBe(0);
  expect(existsSync(elsewhere)).toBe(true);
  expect(html.err).toMatch(/note: cannot write .*summary\.json: the file system is read-only\n$/);
  const asked = onReadOnly("report", join(media, "a"), "--html", join(media, "a", "mine.html"));
  expect(asked.code).toBe(1);
  expect(asked.err).toMatch(/^userrl: error: cannot write .*mine\.html: the file system is read-only/);

  const exported = onReadOnly("export", join(media, "a"));
  expect(exported.code, exported.err).toBe(0);
  expect(exported.out.trim().split("\n")).toHaveLength(3);
  const exportFile = onReadOnly("export", join(media, "a"), "-o", join(media, "a", "out.jsonl"));
  expect(exportFile.code).toBe(1);
  expect(exportFile.err).toBe(`userrl: error: cannot write ${join(media, "a", "out.jsonl")}: the file system is read-only\n`);
  const compared = onReadOnly("compare", join(media, "a"), join(media, "b"), "--json");
  expect(compared.code, compared.err).toBe(0);
  expect(JSON.parse(compared.out)).toBeTruthy();
  expect(readdirSync(join(media, "a")).sort()).toEqual(before); // nothing written beside the store
});

test.skipIf(!built || !canMount)("item 7: a run into a read-only file system says so in one line (built CLI)", () => {
  const fresh = onReadOnly("run", "function", "--agent", "baseline", "--limit", "1", "--out", join(media, "new", "run"));
  expect(fresh.code).toBe(1);
  expect(fresh.err).toBe(`userrl: error: cannot create the run directory ${join(media, "new", "run")}: the file system is read-only\n`);
  const existing = onReadOnly("run", "function", "--agent", "baseline", "--limit", "4", "--out", join(media, "a"));
  expect(existing.code).toBe(1);
  expect(existing.err).toMatch(/^userrl: error: cannot write to .*: the file system is read-only \(report, export and compare can still read it\)\n$/);
});
