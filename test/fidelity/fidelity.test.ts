import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, test } from "vitest";
import { ksDistance, totalVariation, type FidelityComponent } from "../../src/fidelity/compare.js";
import { cli } from "../cli-runner.js";

const tmp = () => mkdtempSync(join(tmpdir(), "userrl-fidelity-"));
// JSON-parsed components, read loosely (a rate or mean is a number, the answer shares a record).
const byName = (cs: FidelityComponent[]): Record<string, { candidate: any; reference: any; similarity: number | null }> => Object.fromEntries(cs.map((c) => [c.name, c]));

describe("fidelity measures", () => {
  test("Kolmogorov–Smirnov distance and total variation", () => {
    expect(ksDistance([1, 2, 3], [1, 2, 3])).toBe(0);
    expect(ksDistance([1, 1], [5, 6])).toBe(1);
    expect(ksDistance([1, 2, 3, 4], [3, 4, 5, 6])).toBeCloseTo(0.5);
    expect(totalVariation({ yes: 0.5, no: 0.5 }, { yes: 0.5, no: 0.5 })).toBe(0);
    expect(totalVariation({ yes: 1 }, { no: 1 })).toBe(1);
    expect(totalVariation({ yes: 0.75, no: 0.25 }, { yes: 0.25, no: 0.75 })).toBeCloseTo(0.5);
    expect(totalVariation({ yes: 1 }, {})).toBe(1);
  });
});

describe("userrl fidelity", () => {
  const root = tmp();
  const run = (name: string, ...args: string[]) =>
    cli("run", "intention", "telepathy", "--agent", "baseline", "--limit", "3", "--out", join(root, name), "--json", ...args);
  beforeAll(async () => {
    for (const r of [
      await run("cooperative", "--user", "offline"),
      await run("again", "--user", "offline"),
      await run("terse", "--user", "offline", "--persona", "terse"),
      await run("vague", "--user", "offline", "--persona", "vague:turns=3"),
    ])
      expect(r.code).toBe(0);
  }, 120_000);

  test("a run against a replay of itself is 100, every component identical", async () => {
    const r = await cli("fidelity", join(root, "again"), join(root, "cooperative"), "--json");
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.index).toBe(100);
    expect(j.tasks).toBe(6);
    expect(j.candidateOnly).toBe(0);
    const c = byName(j.components);
    expect(Object.keys(c)).toEqual(["replyLength", "information", "answers", "hintRate", "earlyEndRate", "faultRate", "agentScore"]);
    for (const x of j.components) expect(x.similarity).toBe(1);
    // Telepathy's host answers Yes/No/Maybe: the answer distribution is read from its replies.
    expect(Object.keys(c.answers.candidate).length).toBeGreaterThan(0);
    expect(j.gyms.telepathy.tasks).toBe(3);
    expect(j.gyms.intention.index).toBe(100);
    expect(existsSync(join(root, "again", "fidelity.html"))).toBe(true);
  });

  test("a terse or vague user is told apart from the cooperative reference in the documented components", async () => {
    const terse = JSON.parse((await cli("fidelity", join(root, "terse"), join(root, "cooperative"), "--json")).out);
    const t = byName(terse.components);
    expect(t.replyLength.candidate).toBeLessThan(t.replyLength.reference);
    expect(t.replyLength.similarity).toBeLessThan(1);
    expect(terse.index).toBeLessThan(100);
    expect(terse.candidate.persona).toBe("terse");
    const vague = JSON.parse((await cli("fidelity", join(root, "vague"), join(root, "cooperative"), "--json")).out);
    const v = byName(vague.components);
    // A vague user's first replies differ in what they add (Intention's name two options, Telepathy's hedge).
    expect(v.information.candidate).not.toBe(v.information.reference);
    expect(v.information.similarity).toBeLessThan(1);
    expect(vague.gyms.intention.index).toBeLessThan(100);
  });

  test("a host that always says No: answers, faults and the agent's score differ; terminal and HTML reports", async () => {
    const script = join(root, "host.json");
    writeFileSync(script, JSON.stringify({ replies: ['{"response": "No"}'], loop: true }));
    const host = await cli("run", "telepathy", "--agent", "baseline", "--user", `scripted:${script}`, "--limit", "3", "--out", join(root, "no-host"), "--json");
    expect(host.code).toBe(0);
    const html = join(root, "report.html");
    const r = await cli("fidelity", join(root, "no-host"), join(root, "cooperative"), "--html", html);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/fidelity index \d+\.\d \/ 100 over 3 shared tasks \(left out: 0 tasks only in the candidate, 3 only in the reference\)/);
    expect(r.out).toMatch(/^answer distribution\s+no 100%/m);
    expect(r.out).toMatch(/^telepathy\s+3\s+\d+\.\d$/m);
    const j = JSON.parse((await cli("fidelity", join(root, "no-host"), join(root, "cooperative"), "--json")).out);
    const c = byName(j.components);
    expect(c.answers.candidate).toEqual({ no: 1 });
    expect(c.answers.similarity).toBeLessThan(1);
    expect(c.faultRate.candidate).toBeGreaterThan(c.faultRate.reference);
    expect(j.index).toBeLessThan(100);
    const page = readFileSync(html, "utf8");
    expect(page).toContain("fidelity index");
    expect(page).toContain("answer distribution");
    expect(page).not.toMatch(/<script/);
  });

  test("runs without a task in common, and folders that are not runs, are one clear line", async () => {
    const none = await cli("fidelity", join(root, "no-host-missing"), join(root, "cooperative"));
    expect(none.code).not.toBe(0);
    expect(none.err.trim().split("\n")).toHaveLength(1);
    const travel = await cli("run", "travel", "--agent", "baseline", "--user", "offline", "--limit", "1", "--out", join(root, "travel"), "--json");
    expect(travel.code).toBe(0);
    const disjoint = await cli("fidelity", join(root, "travel"), join(root, "cooperative"));
    expect(disjoint.code).not.toBe(0);
    expect(disjoint.err).toMatch(/no finished episode of the same task/);
  });
});
