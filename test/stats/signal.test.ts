/** Zero-variance groups where credit is computed: `credit`, `export-rl` and the server's credit service. */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, test } from "vitest";
import { asyncBufferFromFile, parquetMetadataAsync } from "hyparquet";
import { cli } from "../cli-runner.js";
import { functionBaselineRun, TOKENIZER } from "../credit/run-fixture.js";
import { http, serve } from "../server/helpers.js";

const groups = {
  groups: [
    { id: "same", trajectories: [{ id: "a", rewards: [0, 1], turnTokens: [10, 10] }, { id: "b", rewards: [1, 0], turnTokens: [20, 20] }] },
    { id: "mixed", trajectories: [{ id: "c", rewards: [0, 0], turnTokens: [10, 10] }, { id: "d", rewards: [0, 1], turnTokens: [10, 10] }] },
  ],
};

test("credit --input: Mean scores [0.5, 0.5] form a zero-variance group, under R2G they do not", async () => {
  const dir = mkdtempSync(join(tmpdir(), "stats-signal-"));
  const file = join(dir, "in.json");
  writeFileSync(file, JSON.stringify(groups));
  const mean = await cli("credit", "--input", file, "--turn-level", "Equalized", "--trajectory", "Mean", "--json");
  expect(mean.err).toMatch(/^1 of 2 groups/);
  const r2g = await cli("credit", "--input", file, "--turn-level", "Equalized", "--trajectory", "R2G");
  expect(r2g.err).toMatch(/^0 of 2 groups \(0\.0%\)/);
  const text = await cli("credit", "--input", file, "--turn-level", "Equalized", "--trajectory", "Mean");
  expect(text.err).toMatch(/1 of 2 groups \(50\.0%\) have zero variance \(no gradient\) · 10\.0 signal groups per 1,000 agent tokens/);
});

test("credit and export-rl on a run: the baseline's equal samples are all zero-variance groups", async () => {
  const runDir = await functionBaselineRun();
  const c = await cli("credit", runDir, "--turn-level", "Equalized", "--trajectory", "R2G", "--json");
  expect(c.err).toMatch(/^2 of 2 groups \(100\.0%\) have zero variance \(no gradient\) · agent tokens not counted/);
  const out = join(mkdtempSync(join(tmpdir(), "stats-signal-rl-")), "b.parquet");
  const r = await cli("export-rl", runDir, "--tokenizer", TOKENIZER, "--turn-level", "Equalized", "--trajectory", "R2G", "-o", out);
  expect(r.code, r.err).toBe(0);
  expect(r.err).toMatch(/2 of 2 groups \(100\.0%\) have zero variance/);
  const meta = await parquetMetadataAsync(await asyncBufferFromFile(out));
  const signal = meta.key_value_metadata?.find((m) => m.key === "userrl.signal")?.value;
  expect(JSON.parse(signal ?? "null")).toMatchObject({ groups: 2, zeroVariance: 2 });
}, 120_000);

test("the server's credit service reports the signal of the groups it scored", async () => {
  const s = await serve();
  {
    const res = await http(s.url, "/credit", { json: { ...groups, options: { turnLevel: "Equalized", trajectoryScore: "Mean" } } });
    expect(res.status).toBe(200);
    expect(res.body.signal).toMatchObject({ groups: 2, zeroVariance: 1, agentTokens: 100 });
  }
});
