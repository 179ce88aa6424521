/**
 * Issue 15 item 8: damaged run stores. One bad trajectory row no longer fails `report`/`export` for the
 * whole run: it is named (episode key) and skipped, and the resume runs it again. Pages that fail SQLite's
 * check are found when a run resumes: the store is rebuilt from what reads whole and the damaged episodes
 * run again (the damaged file is kept aside). A 0-byte or non-SQLite file says what it is.
 */
import { existsSync, mkdtempSync, openSync, readdirSync, closeSync, writeFileSync, writeSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, describe, expect, test } from "vitest";
import { cli } from "../cli-runner.js";

afterEach(() => {
  process.exitCode = 0;
});

const tmp = () => mkdtempSync(join(tmpdir(), "damaged-"));
const run = (out: string, limit: number) => cli("run", "function", "--agent", "baseline", "--limit", String(limit), "--out", out, "--json");

function withDb<T>(dir: string, f: (db: Database.Database) => T): T {
  const db = new Database(join(dir, "run.sqlite"));
  try {
    return f(db);
  } finally {
    db.close();
  }
}

describe("item 8: damaged run stores", () => {
  test("one bad trajectory row is named and skipped by report and export, and runs again on resume", async () => {
    const out = tmp();
    expect((await run(out, 4)).code).toBe(0);
    const key = withDb(out, (db) => {
      const k = (db.prepare("SELECT key FROM episodes ORDER BY key LIMIT 1 OFFSET 1").get() as { key: string }).key;
      db.prepare("UPDATE episodes SET trajectory = '{\"gym\": \"function\", \"turns\": [' WHERE key = ?").run(k);
      return k;
    });
    const report = await cli("report", out, "--json");
    expect(report.code, report.err).toBe(0);
    expect(JSON.parse(report.out)).toMatchObject({ episodes: 3 });
    expect(report.err).toContain(`warning: episode ${key} in ${join(out, "run.sqlite")} is damaged: its trajectory is not valid JSON`);
    expect(report.err).toMatch(/; skipped\n$/);
    const exported = await cli("export", out);
    expect(exported.code).toBe(0);
    expect(exported.out.trim().split("\n")).toHaveLength(3);
    expect(exported.err).toContain(`episode ${key}`);
    // A row of valid JSON that is no trajectory is skipped the same way.
    withDb(out, (db) => db.prepare("UPDATE episodes SET trajectory = '{}' WHERE key = ?").run(key));
    expect((await cli("report", out, "--json")).err).toMatch(/is damaged: its trajectory lacks the fields of one/);
    withDb(out, (db) => db.prepare("UPDATE episodes SET trajectory = 'not json' WHERE key = ?").run(key));
    const resumed = await run(out, 4);
    expect(JSON.parse(resumed.out)).toMatchObject({ episodes: 4, newEpisodes: 1, skipped: 3, errors: 0 });
    const again = await cli("report", out, "--json");
    expect(again.err).toBe("");
    expect(JSON.parse(again.out)).toMatchObject({ episodes: 4 });
  });

  test("pages failing SQLite's check: the resume rebuilds the store and re-runs the damaged episodes, keeping the rest", async () => {
    const out = tmp();
    expect((await run(out, 12)).code).toBe(0);
    const file = join(out, "run.sqlite");
    // Damage one overflow page of the episodes table: its chain pointer and part of the trajectory text on it.
    const { page, size } = withDb(out, (db) => ({
      size: db.pragma("page_size", { simple: true }) as number,
      page: (db.prepare("SELECT pageno FROM dbstat WHERE name = 'episodes' AND pagetype = 'overflow' ORDER BY pageno LIMIT 1 OFFSET 3").get() as { pageno: number }).pageno,
    }));
    const fd = openSync(file, "r+");
    writeSync(fd, Buffer.concat([Buffer.from([0x00, 0x7f, 0xff, 0xff]), Buffer.alloc(200, 0xfe)]), 0, 204, (page - 1) * size);
    closeSync(fd);
    expect(withDb(out, (db) => db.pragma("quick_check", { simple: true }))).not.toBe("ok");

    const resumed = await run(out, 12);
    expect(resumed.code, resumed.err).toBe(0);
    expect(resumed.err).toMatch(/failed SQLite's integrity check \(.*invalid page number.*\); rebuilt it with the 11 episodes that read whole; 1 damaged \(function\/func-\d+\/0\) will run again; the damaged file is kept as .*run\.sqlite\.damaged-/);
    expect(JSON.parse(resumed.out)).toMatchObject({ episodes: 12, newEpisodes: 1, skipped: 11, errors: 0 });
    expect(withDb(out, (db) => db.pragma("quick_check", { simple: true }))).toBe("ok");
    expect(readdirSync(out).filter((f) => f.startsWith("run.sqlite.damaged-"))).toHaveLength(1);
    const report = await cli("report", out, "--json");
    expect(JSON.parse(report.out)).toMatchObject({ episodes: 12 });
    expect(report.err).toBe("");
  });

  test("a 0-byte file and a file that is not SQLite say what they are", async () => {
    const empty = tmp();
    writeFileSync(join(empty, "run.sqlite"), "");
    for (const cmd of [["report", empty], ["export", empty], ["compare", empty, empty]]) {
      const r = await cli(...cmd);
      expect(r.code).toBe(1);
      expect(r.err).toBe(`userrl: error: ${join(empty, "run.sqlite")} is empty (0 bytes), not a userrl run store\n`);
    }
    const text = tmp();
    writeFileSync(join(text, "run.sqlite"), "hello, I am a text file\n");
    const r = await cli("report", text);
    expect(r.err).toBe(`userrl: error: ${join(text, "run.sqlite")} is not a SQLite database (24 bytes, starting "hello, I am a te"), so not a userrl run store\n`);
    const write = await run(text, 1);
    expect(write.code).toBe(1);
    expect(write.err).toMatch(/is not a SQLite database .*; choose another --out directory\n$/);
    const other = tmp();
    withDb(other, (db) => db.exec("CREATE TABLE notes (x)"));
    expect((await cli("report", other)).err).toMatch(/is a SQLite database but not a userrl run store/);
    // A 0-byte file where a new run starts is simply a new store.
    const fresh = join(tmp(), "new");
    mkdirSync(fresh);
    writeFileSync(join(fresh, "run.sqlite"), "");
    expect(JSON.parse((await run(fresh, 1)).out)).toMatchObject({ episodes: 1 });
    expect(existsSync(join(fresh, "run.sqlite"))).toBe(true);
  });
});
