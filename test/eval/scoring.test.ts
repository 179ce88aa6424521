/** Reports read each gym's metric, sub-score groups and note from its definition (`GymDefinition.scoring`). */
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, test } from "vitest";
import type { GymScoring } from "../../src/core/types.js";
import { summarize } from "../../src/eval/aggregate.js";
import { evaluateRun, scoringOf } from "../../src/eval/load.js";
import { writeReports } from "../../src/eval/reports.js";
import { textReport } from "../../src/eval/report-text.js";
import { getGym } from "../../src/gyms/index.js";
import { DEFAULT_RUN } from "../../src/rollout/runner.js";
import { runRollouts } from "../../src/rollout/run.js";

test("a run's report scores, groups and explains each gym by the gym's own scoring", async () => {
  const out = mkdtempSync(join(tmpdir(), "scoring-"));
  await runRollouts({ ...DEFAULT_RUN, gyms: ["function", "travel"], agent: "baseline", user: "offline", out, limit: 3 });
  const r = evaluateRun(out);
  for (const name of ["function", "travel"]) {
    const scoring = getGym(name).scoring;
    const g = r.summary.gyms[name];
    expect(g).toMatchObject({ binary: scoring.binary, note: scoring.note });
    const byTask = new Map(g.tasks.map((t) => [t.taskId, t.mean]));
    for (const t of r.trajectories.get(name)!) expect(byTask.get(t.taskId)).toBe(scoring.score(t));
  }
  const travelGroups = Object.keys(r.summary.gyms.travel.groups ?? {});
  expect(travelGroups.length).toBeGreaterThan(0);
  expect(r.summary.gyms.function.groups).toBeUndefined();
  expect(textReport(r)).toContain(`travel by group: ${travelGroups[0]}`);
  const html = readFileSync(writeReports(r), "utf8");
  expect(html).toContain(`<li><b>travel</b>: ${getGym("travel").scoring.note}</li>`);
  expect(html).toContain(`<li><b>function</b>: ${getGym("function").scoring.note}</li>`);
});

test("a scoring's own score, success and groups drive the aggregate; an unregistered gym sums its rewards", () => {
  const turn = (reward: number) => ({ turn: 1, action: null, feedback: "", reward, done: false, truncated: false, info: {} });
  const traj = (taskId: string, rewards: number[]) =>
    ({ id: taskId, gym: "mine", taskId, sample: 0, compat: "fixed", turns: rewards.map(turn), durationMs: 0 }) as never;
  // A gym whose score is its best single turn, grouped by the task id's prefix.
  const best: GymScoring = { score: (t) => Math.max(0, ...t.turns.map((x) => x.reward)), binary: false, group: (id) => id.split("-")[0], note: "best turn" };
  const s = summarize(new Map([["mine", { scoring: best, trajectories: [traj("a-1", [0.2, 0.7]), traj("b-1", [0.5, 0.5]), traj("a-2", [0, 0])] }]]));
  expect(s.gyms.mine.score).toBeCloseTo((0.7 + 0.5 + 0) / 3, 12);
  expect(s.gyms.mine.successRate).toBeCloseTo(2 / 3, 12);
  expect(s.gyms.mine.groups).toEqual({ a: { n: 2, score: 0.35, stderr: 0.35 }, b: { n: 1, score: 0.5, stderr: 0 } });
  expect(scoringOf("no-such-gym").score(traj("x", [0.25, 0.5]))).toBe(0.75);
});
