import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, test } from "vitest";
import { loadChatTokenizer, readRlBatch, rlRows, type RlRow } from "../../src/credit/index.js";
import type { Trajectory } from "../../src/core/types.js";
import { RunStore } from "../../src/rollout/store.js";
import { cli } from "../cli-runner.js";
import { functionBaselineRun, TOKENIZER } from "./run-fixture.js";

const tok = loadChatTokenizer(TOKENIZER);
let runDir: string;
let trajectories: Trajectory[];
const tmp = () => mkdtempSync(join(tmpdir(), "userrl-credit-cli-"));

beforeAll(async () => {
  runDir = await functionBaselineRun();
  const store = RunStore.open(runDir);
  trajectories = [...store.trajectories()];
  store.close();
});

/** Spec vector V3 (R2G credits, the reference's "Sum" = Mean score). */
const V3 = {
  groups: [
    {
      id: "uid-1",
      trajectories: [
        { id: "A", rewards: [0, 0, 1], turnTokens: [40, 30, 20] },
        { id: "B", rewards: [0, 0, 0, 0, 0], turnTokens: [25, 25, 25, 25, 25] },
        { id: "C", rewards: [0.2, 0, 0.6], turnTokens: [30, 30, 30] },
        { id: "D", rewards: [0, 1], turnTokens: [50, 10] },
      ],
    },
  ],
};

function inputFile(value: unknown, raw?: string): string {
  const file = join(tmp(), "in.json");
  writeFileSync(file, raw ?? JSON.stringify(value));
  return file;
}

describe("userrl credit --input", () => {
  test("--json prints exactly the documented shape, with the spec's V3 numbers", async () => {
    const r = await cli("credit", "--input", inputFile(V3), "--turn-level", "R2G", "--trajectory", "Mean", "--json");
    expect(r.code).toBe(0);
    const out = JSON.parse(r.out);
    expect(Object.keys(out)).toEqual(["trajectories"]);
    expect(out.trajectories.map((t: object) => Object.keys(t))).toEqual(
      Array(4).fill(["id", "group", "score", "advantage", "credits", "tokenAdvantages"]),
    );
    const [a, b, c, d] = out.trajectories;
    expect(a).toMatchObject({ id: "A", group: "uid-1", score: 0.3333 });
    expect(a.advantage).toBeCloseTo(0.280367, 6);
    expect(a.tokenAdvantages[2]).toBeCloseTo(0.362544, 6);
    expect(b.tokenAdvantages).toEqual([0, 0, 0, 0, 0]);
    expect(c.credits[0]).toBeCloseTo(0.584, 12);
    expect(d.tokenAdvantages[1]).toBeCloseTo(1.298442, 6);
  });

  test("--no-std, --gamma and the plain Sum score; without turnTokens a turn counts as one token", async () => {
    const file = inputFile({ groups: [{ id: 1, trajectories: [{ id: 1, rewards: [0, 1] }, { id: 2, rewards: [1, 1] }] }] });
    const r = await cli("credit", "--input", file, "--turn-level", "R2G", "--trajectory", "Sum", "--gamma", "0.5", "--no-std", "--json");
    const [x, y] = JSON.parse(r.out).trajectories;
    expect([x.score, y.score]).toEqual([1, 2]);
    expect([x.advantage, y.advantage]).toEqual([-0.5, 0.5]);
    expect(x.credits).toEqual([0.5, 1]);
    expect(x.tokenAdvantages[0] + x.tokenAdvantages[1]).toBeCloseTo(2 * x.advantage, 12);
  });

  test("the table shows each group and one row per turn", async () => {
    const r = await cli("credit", "--input", inputFile(V3), "--turn-level", "EM", "--trajectory", "R2G");
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/turn level EM · trajectory score R2G · γ 0.8 · k 2 · divided by std/);
    expect(r.out).toMatch(/uid-1 {2}\(4 trajectories · mean score 0\.5060 · std 0\.3495\)/);
    expect(r.out).toMatch(/trajectory +score +advantage +turn +reward +credit +token adv/);
    expect(r.out).toMatch(/C +0\.5840 +0\.2232 +1 +0\.2000 +0\.6906 +0\.2207/);
    expect(r.out.trim().split("\n")).toHaveLength(3 + 2 + 3 + 5 + 3 + 2);
  });

  test("bad input is one clear error", async () => {
    const flags = ["--turn-level", "R2G", "--trajectory", "Mean"];
    const missing = await cli("credit", "--input", "/nonexistent/in.json", ...flags);
    expect([missing.code, missing.err.trim()]).toEqual([1, "userrl: error: cannot read --input /nonexistent/in.json: ENOENT"]);
    const notJson = await cli("credit", "--input", inputFile(null, "{oops"), ...flags);
    expect(notJson.err).toMatch(/cannot read --input .*in.json: .*JSON/);
    const shape = await cli("credit", "--input", inputFile({ groups: [{ id: "g", trajectories: [{ id: "a", rewards: [1, "x"] }] }] }), ...flags);
    expect(shape.err).toMatch(/invalid credit input: groups\.0\.trajectories\.0\.rewards\.1/);
    const tokens = await cli("credit", "--input", inputFile({ groups: [{ id: "g", trajectories: [{ id: "a", rewards: [1], turnTokens: [1, 2] }] }] }), ...flags);
    expect(tokens.err).toMatch(/turnTokens must have one entry per reward/);
    const neither = await cli("credit", ...flags);
    expect(neither.err).toMatch(/give either a run directory or --input/);
    const both = await cli("credit", runDir, "--input", inputFile(V3), ...flags);
    expect(both.err).toMatch(/give either a run directory or --input/);
    const method = await cli("credit", "--input", inputFile(V3), "--turn-level", "Sum", "--trajectory", "Mean");
    expect(method.code).not.toBe(0);
    expect(method.err).toMatch(/--turn-level must be one of Naive, Equalized, R2G, EM/);
    const noMethod = await cli("credit", "--input", inputFile(V3), "--turn-level", "R2G");
    expect(noMethod.err).toMatch(/required option '--trajectory <method>' not specified/);
    const gamma = await cli("credit", "--input", inputFile(V3), ...flags, "--gamma", "abc");
    expect(gamma.err).toMatch(/--gamma must be a number/);
    const k = await cli("credit", "--input", inputFile(V3), ...flags, "--em-k", "0");
    expect(k.err).toMatch(/--em-k must be a positive number/);
  });
});

describe("userrl credit <runDir>", () => {
  test("groups by task and prints each turn's action, reward, credit and token advantage", async () => {
    const r = await cli("credit", runDir, "--turn-level", "R2G", "--trajectory", "Mean");
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/tokens per turn: 1 \(no --tokenizer\)/);
    for (const t of trajectories) expect(r.out).toContain(`${t.groupId}  (2 trajectories`);
    expect(r.out).toMatch(/sample 0 .* 1 +\[search\] test +0\.0000/);
    expect(r.out).toMatch(/\[answer\] \S+ +1\.0000 +1\.0000/);
  });

  test("--json matches the library, with token counts from --tokenizer", async () => {
    const r = await cli("credit", runDir, "--turn-level", "R2G", "--trajectory", "Mean", "--tokenizer", TOKENIZER, "--json");
    const out = JSON.parse(r.out).trajectories;
    const rows = [...rlRows(trajectories, tok, { turnLevel: "R2G", trajectoryScore: "Mean" })];
    expect(out.map((t: { id: string; group: string }) => [t.id, t.group])).toEqual(trajectories.map((t) => [t.id, t.groupId]));
    out.forEach((t: { score: number; credits: number[]; tokenAdvantages: number[] }, i: number) => {
      expect(t.score).toBe(rows[i].score);
      expect(t.credits).toEqual(rows[i].credits);
      rows[i].turn_starts.forEach((s, k) => expect(rows[i].advantages[s]).toBe(t.tokenAdvantages[k]));
    });
  });

  test("errors name the problem", async () => {
    const flags = ["--turn-level", "R2G", "--trajectory", "Mean"];
    expect((await cli("credit", join(tmp(), "none"), ...flags)).err).toMatch(/is not a userrl run directory/);
    expect((await cli("credit", runDir, ...flags, "--gym", "turtle")).err).toMatch(/no finished trajectories of gym "turtle"/);
    expect((await cli("credit", "--input", inputFile(V3), ...flags, "--tokenizer", TOKENIZER)).err).toMatch(/apply to a run directory/);
  });
});

describe("userrl export-rl", () => {
  const base = () => ["--tokenizer", TOKENIZER, "--turn-level", "R2G", "--trajectory", "Mean"];

  test("writes JSONL and Parquet (format from the extension) that read back to the library's rows", async () => {
    const dir = tmp();
    const expected: RlRow[] = [...rlRows(trajectories, tok, { turnLevel: "R2G", trajectoryScore: "Mean" })];
    const a = await cli("export-rl", runDir, ...base(), "-o", join(dir, "run.jsonl"));
    expect(a.code).toBe(0);
    expect(a.err).toMatch(/4 trajectories written to .*run.jsonl \(jsonl; turn level R2G · trajectory score Mean · γ 0.8 · divided by std\)/);
    const b = await cli("export-rl", runDir, ...base(), "-o", join(dir, "run.parquet"), "--gym", "function");
    expect(b.code).toBe(0);
    expect(await readRlBatch(join(dir, "run.jsonl"))).toEqual(expected);
    expect(await readRlBatch(join(dir, "run.parquet"))).toEqual(expected);
    const c = await cli("export-rl", runDir, ...base(), "-o", join(dir, "forced.out"), "--format", "parquet");
    expect(c.code).toBe(0);
    expect(await readRlBatch(join(dir, "forced.out"), "parquet")).toEqual(expected);
  });

  test("clear errors", async () => {
    const dir = tmp();
    const noRun = await cli("export-rl", join(dir, "nope"), ...base(), "-o", join(dir, "x.jsonl"));
    expect(noRun.err).toMatch(/is not a userrl run directory/);
    const noTok = await cli("export-rl", runDir, "--tokenizer", join(dir, "none"), "--turn-level", "R2G", "--trajectory", "Mean", "-o", join(dir, "x.jsonl"));
    expect(noTok.err).toMatch(/cannot read a Hugging Face tokenizer.json/);
    const badMethod = await cli("export-rl", runDir, "--tokenizer", TOKENIZER, "--turn-level", "Sum", "--trajectory", "Mean", "-o", join(dir, "x.jsonl"));
    expect(badMethod.code).not.toBe(0);
    expect(badMethod.err).toMatch(/--turn-level must be one of Naive, Equalized, R2G, EM/);
    const noGym = await cli("export-rl", runDir, ...base(), "-o", join(dir, "x.jsonl"), "--gym", "turtle");
    expect(noGym.err).toMatch(/no finished trajectories of gym "turtle"/);
    const badOut = await cli("export-rl", runDir, ...base(), "-o", join(dir, "missing", "x.jsonl"));
    expect(badOut.code).toBe(1);
    expect(badOut.err).toMatch(/cannot write .*x.jsonl: ENOENT/);
  });
});
