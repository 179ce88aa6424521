import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { TRAIT_NAMES } from "../../src/personas/traits.js";
import { cli } from "../cli-runner.js";

const tmp = () => mkdtempSync(join(tmpdir(), "userrl-robust-"));

describe("userrl eval --personas", () => {
  test("all personas on the four offline gyms: one run per persona and the gym × persona table", async () => {
    const out = tmp();
    const r = await cli("eval", "intention", "telepathy", "travel", "tau", "--agent", "baseline", "--user", "offline", "--personas", "all", "--limit", "2", "--out", out);
    expect(r.code).toBe(0);
    for (const p of TRAIT_NAMES) expect(existsSync(join(out, p, "report.html"))).toBe(true);
    expect(r.out).toMatch(/^gym\s+persona\s+tasks\s+score\s+95% CI\s+vs cooperative\s+95% CI$/m);
    expect(r.out).toMatch(/^intention\s+cooperative\s+2\s+\d\.\d{3}\s+\[/m);
    const table = JSON.parse(readFileSync(join(out, "robustness.json"), "utf8"));
    expect(table.personas).toEqual([...TRAIT_NAMES]);
    expect(table.gyms.sort()).toEqual(["intention", "tau", "telepathy", "travel"]);
    expect(table.cells.intention.cooperative.drop).toBeUndefined();
    // An impatient user leaves Tau's customer service before it is done: the drop shows.
    expect(table.cells.tau.impatient.drop).toBeLessThan(0);
    expect(table.cells.tau.impatient.dropCi95).toHaveLength(2);
    const html = readFileSync(join(out, "robustness.html"), "utf8");
    expect(html).toContain("Score by gym and persona");
    expect(html).toContain('href="impatient/report.html"');
  });

  test("a resumed robustness run skips finished slices; --json; --persona with --personas is refused", async () => {
    const out = tmp();
    const args = ["eval", "telepathy", "--agent", "baseline", "--user", "offline", "--personas", "terse,impatient:turns=2", "--limit", "1", "--out", out];
    await cli(...args);
    const again = await cli(...args, "--json");
    expect(again.code).toBe(0);
    const j = JSON.parse(again.out);
    expect(j.robustness.personas).toEqual(["cooperative", "terse", "impatient:turns=2"]);
    expect(Object.keys(j.slices)).toEqual(["cooperative", "terse", "impatient:turns=2"]);
    expect(existsSync(join(out, "impatient-turns=2", "run.sqlite"))).toBe(true);
    // Episodes that fail (an agent nobody serves) make the exit code 1, as a single evaluation's do.
    const failing = await cli("eval", "telepathy", "--agent", "openai:nobody@http://127.0.0.1:9/v1?retries=0", "--user", "offline", "--personas", "terse", "--limit", "1", "--out", tmp(), "--json");
    expect(failing.code).toBe(1);
    const bad = await cli("eval", "telepathy", "--agent", "baseline", "--personas", "all", "--persona", "terse", "--out", tmp());
    expect(bad.code).not.toBe(0);
    expect(bad.err).toMatch(/exclude each other/);
  });
});
