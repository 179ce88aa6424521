/**
 * Issue 15 items 2 and 3, with the built CLI as a child process (as test/cli/kill-resume.test.ts):
 * - item 2: Ctrl-C while simulated-user calls are in flight drops those episodes (they were stored as done
 *   with reward 0, `env_error`, and the resume skipped them); the resume plays them; the exit code is 130;
 * - item 3: a step that times out because the simulated user does not answer is a failure with its reason,
 *   run again on resume (it was stored as done with an empty error), and the process exits right after its
 *   summary (it lingered ~100 s while the abandoned user calls kept retrying).
 */
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import Database from "better-sqlite3";
import { afterEach, expect, test } from "vitest";
import { startFakeServer, type FakeReply, type FakeServer } from "../../src/models/fake-server.js";

const root = resolve(import.meta.dirname, "..", "..");
const bin = join(root, "bin", "userrl.js");
const built = existsSync(join(root, "dist", "cli", "main.js"));

let server: FakeServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** Serve `reply` to every simulated-user call, on `port` when given (a resume reuses the user spec). */
async function userServer(reply: FakeReply, port?: number): Promise<FakeServer> {
  await server?.close();
  server = await startFakeServer({ port, responder: () => reply });
  return server;
}

interface Finished {
  code: number | null;
  stdout: string;
  stderr: string;
  /** Milliseconds from the summary on stdout to the process's exit. */
  lingerMs: number;
}

function start(args: string[]): { child: ReturnType<typeof spawn>; done: Promise<Finished> } {
  const child = spawn(process.execPath, [bin, ...args], { stdio: ["ignore", "pipe", "pipe"], env: process.env });
  let stdout = "";
  let stderr = "";
  let summaryAt = 0;
  child.stdout!.on("data", (c) => {
    stdout += c;
    summaryAt ||= Date.now();
  });
  child.stderr!.on("data", (c) => (stderr += c));
  const done = new Promise<Finished>((resolve) =>
    child.once("exit", (code) => resolve({ code, stdout, stderr, lingerMs: summaryAt ? Date.now() - summaryAt : 0 })),
  );
  return { child, done };
}

function rows(dir: string): { key: string; status: string; end_reason: string; error: string | null }[] {
  const db = new Database(join(dir, "run.sqlite"), { readonly: true, fileMustExist: true });
  try {
    return db.prepare("SELECT key, status, end_reason, error FROM episodes ORDER BY key").all() as never;
  } finally {
    db.close();
  }
}

const runArgs = (url: string, out: string, extra: string[] = []) => [
  "run", "intention", "--agent", "baseline", "--user", `openai:fake@${url}?retries=0`, "--limit", "3", "--concurrency", "3", "--out", out, "--json", ...extra,
];

test.skipIf(!built)("item 2: Ctrl-C during simulated-user calls drops the episodes in flight; the resume plays them (built CLI)", async () => {
  const out = mkdtempSync(join(tmpdir(), "interrupt-"));
  const slow = await userServer({ text: '{"response": "Whatever you think."}', delayMs: 20_000 });
  const run = start(runArgs(slow.url, out));
  const t0 = Date.now();
  while (slow.stats.requests < 3 && Date.now() - t0 < 30_000) await new Promise((r) => setTimeout(r, 50));
  expect(slow.stats.requests).toBeGreaterThanOrEqual(3); // every episode waits on its simulated user
  run.child.kill("SIGINT");
  const first = await run.done;
  expect(first.code).toBe(130);
  expect(first.lingerMs).toBeLessThan(5_000);
  expect(JSON.parse(first.stdout)).toMatchObject({ aborted: true, episodes: 0, newEpisodes: 0, pending: 3 });
  expect(rows(out)).toEqual([]); // nothing stored as done (or at all) for the interrupted episodes

  const fast = await userServer({ text: '{"response": "Whatever you think."}' }, slow.port);
  const again = start(runArgs(fast.url, out));
  const second = await again.done;
  expect(second.code, second.stderr).toBe(0);
  expect(JSON.parse(second.stdout)).toMatchObject({ episodes: 3, newEpisodes: 3, skipped: 0, errors: 0, aborted: false });
  expect(rows(out).map((r) => r.status)).toEqual(["done", "done", "done"]);
}, 90_000);

test.skipIf(!built)("item 3: a step timed out by a silent simulated user is a recorded failure, re-run on resume, and the process exits at once (built CLI)", async () => {
  const out = mkdtempSync(join(tmpdir(), "step-timeout-"));
  const silent = await userServer({ hang: true });
  const first = await start(runArgs(silent.url, out, ["--step-timeout", "1"])).done;
  expect(first.code).toBe(1);
  expect(JSON.parse(first.stdout)).toMatchObject({ episodes: 0, errors: 3, pending: 3 });
  expect(first.lingerMs).toBeLessThan(5_000);
  const failed = rows(out);
  expect(failed).toHaveLength(3);
  for (const r of failed) {
    expect(r).toMatchObject({ status: "error", end_reason: "env_error" });
    expect(r.error).toMatch(/gym step failed: gym step took longer than 1000 ms/);
  }
  expect(JSON.parse(first.stdout).failures[0].error).toMatch(/took longer than 1000 ms/);

  const answering = await userServer({ text: '{"response": "Whatever you think."}' }, silent.port);
  const second = await start(runArgs(answering.url, out, ["--step-timeout", "30"])).done;
  expect(second.code, second.stderr).toBe(0);
  expect(JSON.parse(second.stdout)).toMatchObject({ episodes: 3, newEpisodes: 3, errors: 0 });
  expect(second.lingerMs).toBeLessThan(5_000); // no keep-alive socket or timer holds a finished run either
}, 90_000);
