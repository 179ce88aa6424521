/**
 * End to end through the CLI: the same agent under two seeds compares as within noise; a better agent on
 * the same tasks does not; pass^k, zero-variance groups and the noise floor reach JSON, terminal and HTML.
 */
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, test } from "vitest";
import { binaryScoring } from "../../src/gyms/kit/scoring.js";
import { compareRuns } from "../../src/eval/compare.js";
import type { EvaluatedRun } from "../../src/eval/load.js";
import { summarize } from "../../src/eval/aggregate.js";
import { cli } from "../cli-runner.js";
import { tasks } from "./helpers.js";

const evalArgs = ["travel", "--agent", "baseline", "--user", "offline", "--split", "test", "--limit", "8", "--samples", "2"];

test("two runs of the same agent with different seeds compare as within noise; the reports show the new rows", async () => {
  const root = mkdtempSync(join(tmpdir(), "stats-noise-"));
  const a = await cli("eval", ...evalArgs, "--seed", "1", "--out", join(root, "a"), "--json");
  const b = await cli("eval", ...evalArgs, "--seed", "2", "--out", join(root, "b"), "--json");
  expect(a.code, a.err).toBe(0);
  expect(b.code, b.err).toBe(0);
  const ja = JSON.parse(a.out);
  expect(ja.gyms.travel.noiseFloor).toBeGreaterThan(0);
  expect(ja.gyms.travel.signal).toMatchObject({ groups: 8, signalPer1kTokens: null });
  expect(ja.signal.groups).toBe(8);
  const cmp = await cli("compare", join(root, "a"), join(root, "b"), "--json");
  const c = JSON.parse(cmp.out);
  expect(c.gyms[0]).toMatchObject({ gym: "travel", paired: true, withinNoise: true });
  expect(c.microAverage.withinNoise).toBe(true);
  const text = await cli("compare", join(root, "a"), join(root, "b"));
  expect(text.out).toMatch(/travel .*within noise/);
  const report = await cli("report", join(root, "a"));
  expect(report.out).toMatch(/noise floor/);
  expect(report.out).toMatch(/travel: \d+ of 8 groups \([\d.]+%\) have zero variance/);
  const html = readFileSync(join(root, "a", "report.html"), "utf8");
  expect(html).toContain("<th>noise floor</th>");
  expect(html).toContain("GRPO signal: zero-variance groups");
}, 240_000);

test("a real difference over many tasks is beyond noise; the same difference over few tasks is not", () => {
  const run = (byTask: Record<string, number[]>): EvaluatedRun => ({
    dir: "x", run: {} as never, agent: "a", user: "u", mode: "eval", compat: "fixed", trajectories: new Map(),
    summary: summarize(new Map([["function", { scoring: binaryScoring(""), trajectories: tasks(byTask) }]])),
  });
  const many = (p: number) => Object.fromEntries(Array.from({ length: 60 }, (_, i) => [`t${i}`, [i % 10 < p * 10 ? 1 : 0]]));
  const big = compareRuns(run(many(0.2)), run(many(0.7))).gyms[0];
  expect(big.delta).toBeCloseTo(0.5, 12);
  expect(big.withinNoise).toBe(false);
  const few = compareRuns(run({ a: [0], b: [1], c: [0], d: [0] }), run({ a: [1], b: [0], c: [1], d: [0] })).gyms[0];
  expect(few.delta).toBeCloseTo(0.25, 12);
  expect(few.withinNoise).toBe(true);
  expect(few.noiseFloor).toBeGreaterThan(0.25);
});

test("pass^k and flip rate reach the JSON and the terminal report of a binary gym with samples", async () => {
  const out = mkdtempSync(join(tmpdir(), "stats-passk-"));
  const r = await cli("eval", "function", "--agent", "baseline", "--split", "test", "--limit", "3", "--samples", "2", "--out", out, "--json");
  expect(r.code, r.err).toBe(0);
  const j = JSON.parse(r.out);
  expect(j.gyms.function.reliability).toMatchObject({ k: 2, passHatK: [expect.any(Number), expect.any(Number)], flipRate: expect.any(Number) });
  const rep = await cli("report", out);
  expect(rep.out).toMatch(/reliability of the binary gyms[\s\S]*function\s+2\s/);
  expect(readFileSync(join(out, "report.html"), "utf8")).toContain("Reliability over samples");
}, 240_000);
