/** One writing process per run directory: a second writer is refused with the holder's pid; a dead holder's lock is taken over. */
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, expect, test } from "vitest";
import { claimRunDir, lockHolder, RUN_LOCK } from "../../src/rollout/run-lock.js";
import { RunStore } from "../../src/rollout/store.js";
import { cli } from "../cli-runner.js";

afterEach(() => {
  process.exitCode = 0;
});

test("a run into a directory another live process writes to is refused; once that process is gone, the run takes over", async () => {
  const out = mkdtempSync(join(tmpdir(), "userrl-lock-"));
  const other = spawn("sleep", ["60"], { stdio: "ignore" });
  writeFileSync(join(out, RUN_LOCK), `${other.pid}\n`);
  try {
    const refused = await cli("run", "function", "--agent", "baseline", "--limit", "1", "--out", out);
    expect(refused.code).toBe(1);
    expect(refused.err).toContain(`another userrl process (pid ${other.pid}) is writing to ${out}`);
  } finally {
    other.kill("SIGKILL");
    await new Promise((r) => other.once("exit", r));
  }
  const ran = await cli("run", "function", "--agent", "baseline", "--limit", "1", "--out", out, "--json");
  expect(ran.code, ran.err).toBe(0);
  expect(JSON.parse(ran.out)).toMatchObject({ episodes: 1, errors: 0 });
  expect(existsSync(join(out, RUN_LOCK))).toBe(false); // given back when the run closed its store
});

test("claims within one process share the lock; the last release removes it", () => {
  const dir = mkdtempSync(join(tmpdir(), "userrl-lock-"));
  const a = new RunStore(dir);
  const b = new RunStore(dir);
  a.claimWriter();
  b.claimWriter();
  const extra = claimRunDir(a.dir);
  a.close();
  extra();
  extra();
  expect(existsSync(join(dir, RUN_LOCK))).toBe(true);
  b.close();
  expect(existsSync(join(dir, RUN_LOCK))).toBe(false);
});

test("lockHolder names the live process writing a run (what the web app shows as live), and no one for a dead one's lock", async () => {
  const dir = mkdtempSync(join(tmpdir(), "userrl-lock-"));
  expect(lockHolder(dir)).toBeUndefined();
  const other = spawn("sleep", ["60"], { stdio: "ignore" });
  writeFileSync(join(dir, RUN_LOCK), `${other.pid}\n`);
  expect(lockHolder(dir)).toBe(other.pid);
  other.kill("SIGKILL");
  await new Promise((r) => other.once("exit", r));
  expect(lockHolder(dir)).toBeUndefined();
  writeFileSync(join(dir, RUN_LOCK), "not a pid\n");
  expect(lockHolder(dir)).toBeUndefined();
  const release = claimRunDir(dir);
  expect(lockHolder(dir)).toBe(process.pid);
  release();
  expect(lockHolder(dir)).toBeUndefined();
});
