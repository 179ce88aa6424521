/** userrl regrade: stored actions replayed into fresh episodes; a new run linked to its source. */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, test } from "vitest";
import type { Trajectory } from "../../src/core/types.js";
import { RunStore } from "../../src/rollout/store.js";
import { cli } from "../cli-runner.js";

const tmp = () => mkdtempSync(join(tmpdir(), "stats-regrade-"));

/** Rewrite one stored episode's rewards, as an older, buggy grader might have left them. */
function tamper(dir: string, key: string, reward: number): void {
  const store = new RunStore(dir);
  try {
    const t = [...store.trajectories()].find((x) => `${x.gym}/${x.taskId}/${x.sample}` === key || x.id.endsWith(key))!;
    const turns = t.turns.map((r) => ({ ...r, reward: r.reward > 0 ? reward : r.reward }));
    store.saveEpisode({ ...t, turns, totalReward: turns.reduce((s, r) => s + r.reward, 0) }, "done");
  } finally {
    store.close();
  }
}

test("offline runs are recomputed exactly; changed rewards are listed; the new run is a run like any other", async () => {
  const root = tmp();
  const src = join(root, "src");
  const run = await cli("run", "function", "--agent", "baseline", "--split", "test", "--limit", "3", "--out", src, "--json");
  expect(run.code, run.err).toBe(0);
  const keys = (() => {
    const s = RunStore.open(src);
    try {
      return s.episodes({ status: "done" }).map((e) => e.key);
    } finally {
      s.close();
    }
  })();
  expect(keys).toHaveLength(3);
  // The same grader again: nothing changes.
  const same = JSON.parse((await cli("regrade", src, "--out", join(root, "same"), "--json")).out);
  expect(same).toMatchObject({ episodes: 3, skipped: 0, changed: [], diverged: [] });
  // A stored reward that the rules do not give is put right, and reported.
  tamper(src, keys[1], 0.25);
  const r = await cli("regrade", src, "--out", join(root, "fixed"), "--json");
  expect(r.code, r.err).toBe(0);
  const j = JSON.parse(r.out);
  expect(j.changed).toEqual([{ key: keys[1], gym: "function", taskId: expect.any(String), sample: 0, before: 0.25, after: 1 }]);
  const text = await cli("regrade", src, "--out", join(root, "text"));
  expect(text.out).toMatch(new RegExp(`1 episode\\(s\\) whose reward changed:\\n  ${keys[1].replace(/[/]/g, "\\/")}  0\\.25 → 1`));
  // Linked to its source in the settings; report, compare and export read it.
  const store = RunStore.open(join(root, "fixed"));
  try {
    expect(store.run()!.config).toMatchObject({ agent: "baseline", compat: "fixed", regrade: { source: expect.stringContaining("src"), compat: "fixed", judge: null } });
    expect([...store.trajectories()][0].agentSpec).toBe("baseline");
  } finally {
    store.close();
  }
  expect(JSON.parse((await cli("report", join(root, "fixed"), "--json")).out).gyms.function.score).toBe(1);
  const cmp = JSON.parse((await cli("compare", src, join(root, "fixed"), "--json")).out);
  expect(cmp.gyms[0].delta).toBeCloseTo(0.25, 12);
  const exported = await cli("export", join(root, "fixed"), "-o", join(root, "fixed.jsonl"));
  expect(exported.code, exported.err).toBe(0);
  // Resuming finds everything done; another compat into the same directory is refused.
  expect(JSON.parse((await cli("regrade", src, "--out", join(root, "fixed"), "--json")).out)).toMatchObject({ skipped: 3, changed: [] });
  const clash = await cli("regrade", src, "--out", join(root, "fixed"), "--compat", "userrl-2025");
  expect(clash.code).not.toBe(0);
  expect(clash.err).toMatch(/already holds a different re-grading; choose another --out directory/);
  const notARun = await cli("regrade", join(root, "nothing"), "--out", join(root, "x"));
  expect(notARun.code).not.toBe(0);
}, 180_000);

test("a run played by an LLM user is re-graded from its stored role replies; --judge re-asks only its judges", async () => {
  const root = tmp();
  const say = (answer: "Yes" | "No") => {
    const file = join(root, `${answer}.json`);
    // One script plays both roles: the host reads `response`, the judge `judgment`.
    writeFileSync(file, JSON.stringify({ replies: [{ text: JSON.stringify({ thought: "t", response: answer, judgment: answer, feedback: answer }) }], loop: true }));
    return `scripted:${file}`;
  };
  const src = join(root, "src");
  const run = await cli("run", "telepathy", "--agent", "baseline", "--user", say("No"), "--split", "test", "--limit", "1", "--max-turns", "4", "--out", src);
  expect(run.code, run.err).toBe(0);
  const [before] = readTrajectories(src);
  const calls = (t: Trajectory) => t.turns.flatMap((r) => r.roleCalls ?? []);
  expect(calls(before).some((c) => c.role === "telepathy.judge")).toBe(true);

  // No model at all: every role reply comes back from the store, so the rewards are recomputed as they were.
  const stored = await cli("regrade", src, "--out", join(root, "stored"), "--json");
  expect(stored.code, stored.err).toBe(0);
  expect(JSON.parse(stored.out)).toMatchObject({ episodes: 1, changed: [], diverged: [] });
  const [again] = readTrajectories(join(root, "stored"));
  expect(calls(again).map((c) => [c.role, c.model, c.reply])).toEqual(calls(before).map((c) => [c.role, "stored", c.reply]));
  expect(again.turns.map((r) => r.reward)).toEqual(before.turns.map((r) => r.reward));

  // --judge: the judge is asked again (now it says Yes), the host's stored answers stay.
  const judged = await cli("regrade", src, "--out", join(root, "judged"), "--judge", say("Yes"), "--json");
  expect(judged.code, judged.err).toBe(0);
  const [rejudged] = readTrajectories(join(root, "judged"));
  for (const c of calls(rejudged)) expect(c.model).toBe(c.role === "telepathy.judge" ? say("Yes") : "stored");
  expect(rejudged.totalReward).toBe(1);
  expect(JSON.parse(judged.out).changed).toMatchObject([{ gym: "telepathy", before: before.totalReward, after: 1 }]);
}, 120_000);

function readTrajectories(dir: string): Trajectory[] {
  const store = RunStore.open(dir);
  try {
    return [...store.trajectories()];
  } finally {
    store.close();
  }
}

test("a run played with a persona is replayed with it (impatient ends the episodes where the source's ended)", async () => {
  const root = tmp();
  const src = join(root, "src");
  const run = await cli("run", "function", "--agent", "baseline", "--persona", "impatient:turns=2", "--split", "test", "--limit", "2", "--out", src);
  expect(run.code, run.err).toBe(0);
  const before = readTrajectories(src);
  expect(before.some((t) => t.turns.length === 2 && t.totalReward === 0)).toBe(true);
  const regraded = await cli("regrade", src, "--out", join(root, "again"), "--json");
  expect(regraded.code, regraded.err).toBe(0);
  expect(JSON.parse(regraded.out)).toMatchObject({ episodes: 2, changed: [], diverged: [] });
  const after = readTrajectories(join(root, "again"));
  expect(after.map((t) => t.turns.length)).toEqual(before.map((t) => t.turns.length));
}, 120_000);
