/** The library does what the CLI does: run, report, export SFT data and assign credit — without the CLI. */
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, test } from "vitest";
import type { AgentFactory } from "../../src/agents/resolve.js";
import { creditOfRun, EmptyRunError } from "../../src/credit/index.js";
import { evaluateRun } from "../../src/eval/load.js";
import { writeReports } from "../../src/eval/reports.js";
import { DEFAULT_RUN } from "../../src/rollout/runner.js";
import { runRollouts } from "../../src/rollout/run.js";
import { exportRunSft } from "../../src/sft/export.js";
import { cli } from "../cli-runner.js";

const request = (out: string) => ({ ...DEFAULT_RUN, gyms: ["function"], agent: "baseline", user: "offline", out, limit: 2, samples: 2, mode: "train" as const });

test("runRollouts, writeReports, exportRunSft and creditOfRun give what run, report, sft export and credit give", async () => {
  const lib = mkdtempSync(join(tmpdir(), "lib-run-"));
  const viaCli = mkdtempSync(join(tmpdir(), "cli-run-"));
  const notes: string[] = [];
  const summary = await runRollouts(request(lib), { note: (l) => notes.push(l) });
  expect(summary).toMatchObject({ episodes: 4, newEpisodes: 4, errors: 0, aborted: false });
  const c = await cli("run", "function", "--agent", "baseline", "--user", "offline", "--out", viaCli, "--limit", "2", "--samples", "2", "--mode", "train", "--json");
  expect(c.code).toBe(0);
  expect(JSON.parse(c.out)).toMatchObject({ episodes: 4, meanReward: summary.meanReward, gyms: summary.gyms });

  // Resuming the same request runs nothing again.
  expect(await runRollouts(request(lib))).toMatchObject({ episodes: 4, newEpisodes: 0, skipped: 4 });

  const report = writeReports(evaluateRun(lib));
  expect(existsSync(report) && existsSync(join(lib, "summary.json"))).toBe(true);
  const cliReport = JSON.parse((await cli("report", viaCli, "--json")).out);
  const libSummary = JSON.parse(readFileSync(join(lib, "summary.json"), "utf8"));
  expect(libSummary.gyms.function.score).toBe(cliReport.gyms.function.score);

  const sft = await exportRunSft(lib, { format: "sharegpt", output: join(lib, "sft.jsonl") });
  expect(sft.records).toBeGreaterThan(0);
  expect(sft.datasetInfo).toBe(join(lib, "dataset_info.json"));
  expect(readFileSync(join(lib, "sft.jsonl"), "utf8").trim().split("\n")).toHaveLength(sft.records);

  const credit = creditOfRun(lib, { turnLevel: "R2G", trajectoryScore: "Mean" });
  expect(credit.result.groups).toHaveLength(2);
  expect(credit.trajectories.map((t) => t.id)).toEqual(credit.result.trajectories.map((t) => t.id));
  const cliCredit = JSON.parse((await cli("credit", viaCli, "--turn-level", "R2G", "--trajectory", "Mean", "--json")).out);
  expect(cliCredit.trajectories.map((t: { advantage: number }) => t.advantage)).toEqual(credit.result.trajectories.map((t) => t.advantage));
  expect(() => creditOfRun(lib, {}, { gym: "turtle" })).toThrow(EmptyRunError);
});

test("an agent resolved by the caller plays every episode and stays open for the caller", async () => {
  let started = 0;
  let closed = false;
  const agent: AgentFactory = {
    spec: "my-agent",
    start: (gym, task, seed) => (started++, gym.baseline(task, seed)),
    close: async () => void (closed = true),
  };
  const out = mkdtempSync(join(tmpdir(), "lib-agent-"));
  const summary = await runRollouts({ ...request(out), agent });
  expect(summary).toMatchObject({ episodes: 4, errors: 0 });
  expect(started).toBe(1 + 4); // the preflight starts (and closes) one session per gym
  expect(closed).toBe(false);
  expect(evaluateRun(out).agent).toBe("my-agent");
});

test("an aborted signal stops the run cleanly and a later call resumes it", async () => {
  const out = mkdtempSync(join(tmpdir(), "lib-abort-"));
  const stopped = await runRollouts(request(out), { signal: AbortSignal.abort(new Error("interrupted")) });
  expect(stopped).toMatchObject({ aborted: true, newEpisodes: 0 });
  expect(await runRollouts(request(out))).toMatchObject({ episodes: 4, newEpisodes: 4 });
});
