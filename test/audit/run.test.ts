import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { storedFindings } from "../../src/audit/run.js";
import { RunStore } from "../../src/rollout/store.js";
import { cli } from "../cli-runner.js";

const tmp = () => mkdtempSync(join(tmpdir(), "userrl-audit-"));

describe("userrl audit", () => {
  test("finds a host that always says No, stores the findings by turn, and scores without the faulty episodes", async () => {
    const dir = tmp();
    const script = join(dir, "host.json");
    writeFileSync(script, JSON.stringify({ replies: ['{"response": "No"}'], loop: true }));
    const run = await cli("run", "telepathy", "--agent", "baseline", "--user", `scripted:${script}`, "--limit", "3", "--out", join(dir, "run"), "--json");
    expect(run.code).toBe(0);
    const a = await cli("audit", join(dir, "run"), "--json");
    expect(a.code).toBe(0);
    const report = JSON.parse(a.out);
    const g = report.gyms.telepathy;
    expect(g.episodes).toBe(3);
    expect(g.kinds.contradiction).toBeGreaterThan(0);
    expect(g.faulty).toBeGreaterThan(0);
    expect(g.faultShare).toBeCloseTo(g.faulty / 3);
    expect(g.cleanEpisodes).toBe(3 - g.faulty);
    const store = RunStore.open(join(dir, "run"));
    const stored = storedFindings(store);
    store.close();
    const total = [...stored.values()].flat();
    expect(total.filter((f) => f.kind === "contradiction")).toHaveLength(g.kinds.contradiction);
    expect(total.every((f) => f.turn >= 1)).toBe(true);
    // Auditing again replaces the findings rather than adding to them.
    await cli("audit", join(dir, "run"), "--json");
    const again = RunStore.open(join(dir, "run"));
    expect([...storedFindings(again).values()].flat()).toHaveLength(total.length);
    again.close();
    const text = await cli("audit", join(dir, "run"));
    expect(text.out).toMatch(/telepathy\s+3\s+\d+ \(\d+\.\d%\)/);
    expect(text.out).toContain("have a simulator fault");
  });

  test("an offline run audits clean; a folder that is not a run is one clear line", async () => {
    const dir = tmp();
    await cli("run", "intention", "telepathy", "--agent", "baseline", "--user", "offline", "--limit", "3", "--out", dir, "--json");
    const report = JSON.parse((await cli("audit", dir, "--json")).out);
    expect(report.faulty).toBe(0);
    expect(report.episodes).toBe(6);
    const bad = await cli("audit", tmp());
    expect(bad.code).not.toBe(0);
    expect(bad.err).toMatch(/is not a userrl run directory/);
  });
});
