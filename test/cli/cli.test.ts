import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, expect, test } from "vitest";

// The in-process runner lives in test/cli-runner.ts (re-exported for older imports).
export { cli } from "../cli-runner.js";
import { cli } from "../cli-runner.js";
import { gymsToRun } from "../../src/cli/run-common.js";

afterEach(() => {
  process.exitCode = 0;
});

test("gyms --json lists function with its split counts", async () => {
  const r = await cli("gyms", "--json");
  const fn = JSON.parse(r.out).gyms.find((g: { name: string }) => g.name === "function");
  expect(fn.splits).toEqual({ train: 460, test: 78 });
});

test("replay --json runs bracket actions", async () => {
  const dir = mkdtempSync(join(tmpdir(), "cli-"));
  const file = join(dir, "a.json");
  writeFileSync(file, JSON.stringify(["[search] test", { choice: "answer", content: "225" }]));
  const r = await cli("replay", "function", "--task", "func-1", "--actions", file, "--json");
  const j = JSON.parse(r.out);
  expect(j.steps).toEqual([
    { step: 1, action: "[search] test", feedback: "Test case: [3, 5, 5, 3]", reward: 0, done: false, truncated: false },
    { step: 2, action: "[answer] 225", feedback: "Your answer is correct!", reward: 1, done: true, truncated: false },
  ]);
});

test("run --json reports episodes and meanReward", async () => {
  const out = mkdtempSync(join(tmpdir(), "cli-run-"));
  const r = await cli("run", "function", "--agent", "baseline", "--split", "test", "--limit", "3", "--out", out, "--json");
  expect(JSON.parse(r.out)).toMatchObject({ episodes: 3, meanReward: expect.any(Number) });
  const again = await cli("run", "function", "--agent", "baseline", "--split", "test", "--limit", "3", "--out", out, "--json");
  expect(JSON.parse(again.out)).toMatchObject({ episodes: 3, newEpisodes: 0, skipped: 3 });
  const exp = await cli("export", out);
  expect(exp.out.trim().split("\n")).toHaveLength(3);
});

test("errors are one clear line and a non-zero exit", async () => {
  const r = await cli("run", "nosuchgym", "--agent", "baseline", "--out", mkdtempSync(join(tmpdir(), "x-")));
  expect(r.code).toBe(1);
  expect(r.err).toMatch(/unknown gym "nosuchgym"/);
  const bad = await cli("replay", "function", "--task", "func-1", "--actions", "/nonexistent.json");
  expect(bad.err).toMatch(/cannot read --actions/);
  const shapeFile = join(mkdtempSync(join(tmpdir(), "x-")), "actions.json");
  writeFileSync(shapeFile, "[1, 2]");
  const shape = await cli("replay", "function", "--task", "func-1", "--actions", shapeFile);
  expect(shape.code).toBe(1);
  expect(shape.err.trim().split("\n")).toHaveLength(1);
  expect(shape.err).toMatch(/--actions .*actions\.json does not have the expected shape: 0: Invalid input; 1: Invalid input/);
  const option = await cli("run", "travel", "--agent", "baseline", "--limit", "1", "--gym-option", "travel.searchReward=abc", "--out", mkdtempSync(join(tmpdir(), "x-")));
  expect(option.code).toBe(1);
  expect(option.err.trim().split("\n")).toHaveLength(1);
  expect(option.err).toMatch(/invalid travel option "searchReward": .*expected number/);
  const usage = await cli("run", "function");
  expect(usage.code).not.toBe(0);
});

test("failed episodes are explained on the console, and gym options reach the gym", async () => {
  const out = mkdtempSync(join(tmpdir(), "cli-fail-"));
  // A model endpoint that refuses connections: every episode fails, and the console says why.
  const r = await cli("run", "function", "--agent", "openai:x@http://127.0.0.1:9/v1?retries=0", "--limit", "2", "--out", out);
  expect(r.err).toMatch(/2 episode\(s\) failed/);
  expect(r.err).toMatch(/function\/func-\d+\/0: agent failed: cannot reach the model server/);
  const bad = await cli("run", "function", "--agent", "baseline", "--limit", "1", "--out", out + "-g", "--gym-option", "nonsense");
  expect(bad.err).toMatch(/--gym-option must look like/);
});

test("`all` runs every gym that can run as configured and says which it skipped", async () => {
  const search = process.env.USERRL_SEARCH;
  delete process.env.USERRL_SEARCH;
  try {
    expect(gymsToRun(["function", "turtle", "search"], "offline")).toEqual(["function", "turtle", "search"]);
    const notes: string[] = [];
    expect(gymsToRun(["all"], "offline", {}, (l) => notes.push(l)).sort()).toEqual(["function", "guess", "intention", "tau", "telepathy", "travel"]);
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatch(/^all: skipped persuade \(no offline user; pass --user <model spec>\); search \(SearchGym needs a search provider: set USERRL_SEARCH .*\); turtle \(no offline user/);
    expect(gymsToRun(["all"], "openai:gpt-4o", { search: { search: "bm25:corpus.jsonl" } })).toHaveLength(9);
    const r = await cli("run", "all", "--agent", "baseline", "--user", "offline", "--limit", "1", "--out", mkdtempSync(join(tmpdir(), "x-")), "--json");
    expect(r.code, r.err).toBe(0);
    expect(r.err).toContain("all: skipped persuade");
    expect(JSON.parse(r.out)).toMatchObject({ episodes: 6, errors: 0 });
    // Named explicitly, a gym that cannot run stops the run before any episode, with what it needs.
    const named = await cli("run", "search", "--agent", "baseline", "--user", "offline", "--limit", "1", "--out", mkdtempSync(join(tmpdir(), "x-")));
    expect(named.code).toBe(1);
    expect(named.err).toMatch(/SearchGym needs a search provider/);
  } finally {
    if (search !== undefined) process.env.USERRL_SEARCH = search;
  }
});
