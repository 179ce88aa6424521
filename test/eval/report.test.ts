import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, test } from "vitest";
import { cli } from "../cli-runner.js";

test("eval --json reports Function's score and the micro-average; report.html is self-contained with charts", async () => {
  const out = mkdtempSync(join(tmpdir(), "eval-"));
  const r = await cli("eval", "function", "--agent", "baseline", "--split", "test", "--limit", "4", "--out", out, "--json");
  const j = JSON.parse(r.out);
  expect(j.gyms.function).toMatchObject({ n: 4, score: expect.any(Number), stderr: expect.any(Number) });
  expect(j.microAverage).toBe(j.gyms.function.score);
  expect(j.meanOverGyms).toBe(j.gyms.function.score);
  expect(j.user).toBe("offline");
  // The scripted baseline calls no model: the cost is counted, and it is zero.
  expect(j.gyms.function.usage).toMatchObject({ agentCalls: 0, agentPromptTokens: 0, userCalls: 0 });
  expect(j.usage).toEqual({ agentPromptTokens: 0, agentCompletionTokens: 0, userPromptTokens: 0, userCompletionTokens: 0 });
  const html = readFileSync(join(out, "report.html"), "utf8");
  expect(html).toMatch(/^<!doctype html>/);
  expect(html).not.toMatch(/(src|href)="https?:/);
  expect(html).not.toMatch(/<script/);
  expect((html.match(/<svg/g) ?? []).length).toBeGreaterThanOrEqual(3);
  expect(html).toContain("func-");
  expect(html).toContain("Qwen3-8B (Equalized/R2G)");
  expect(html).toContain("<h2>Cost per episode</h2>");
  expect(JSON.parse(readFileSync(join(out, "summary.json"), "utf8")).gyms.function.n).toBe(4);
  const rep = await cli("report", out);
  expect(rep.out).toMatch(/micro-average/);
  expect(rep.out).toMatch(/cost per episode \(mean\):[\s\S]*function\s+0\.0\s+0 \/ 0\s+0\.0\s+0 \/ 0/);
  const cmp = await cli("compare", out, out, "--json");
  expect(JSON.parse(cmp.out).gyms[0]).toMatchObject({ gym: "function", delta: 0, paired: true });
});
