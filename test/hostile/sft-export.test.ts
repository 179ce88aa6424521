/**
 * Item 13 of issue 15: `sft export --format sharegpt` overwrote an existing `dataset_info.json` (into
 * LLaMA-Factory's data folder it removed 104 entries), the entry was always `userrl_sft`, and `-o` into a
 * missing folder failed.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, expect, test } from "vitest";
import { cli } from "../cli-runner.js";

let run: string;

beforeAll(async () => {
  run = mkdtempSync(join(tmpdir(), "userrl-sft-run-"));
  const c = await cli("sft", "collect", "function", "--agent", "baseline", "--limit", "2", "--out", run, "--json");
  expect(c.code, c.err).toBe(0);
});

test("item 13: export merges into an existing dataset_info.json, under the --name given", async () => {
  const data = mkdtempSync(join(tmpdir(), "llamafactory-data-"));
  const existing: Record<string, Record<string, string>> = Object.fromEntries(Array.from({ length: 104 }, (_, i) => [`dataset_${i}`, { file_name: `d${i}.json` }]));
  existing.userrl_sft = { file_name: "old.jsonl", formatting: "sharegpt" };
  writeFileSync(join(data, "dataset_info.json"), JSON.stringify(existing));
  const r = await cli("sft", "export", run, "-o", join(data, "userrl_function.jsonl"), "--name", "userrl_function", "--json");
  expect(r.code, r.err).toBe(0);
  const info = JSON.parse(readFileSync(join(data, "dataset_info.json"), "utf8"));
  expect(Object.keys(info)).toHaveLength(106);
  expect(info.dataset_7).toEqual({ file_name: "d7.json" });
  expect(info.userrl_sft).toEqual(existing.userrl_sft);
  expect(info.userrl_function).toMatchObject({ file_name: "userrl_function.jsonl", formatting: "sharegpt" });
  // Exporting again under the default name replaces only that entry.
  await cli("sft", "export", run, "-o", join(data, "again.jsonl"));
  const again = JSON.parse(readFileSync(join(data, "dataset_info.json"), "utf8"));
  expect(Object.keys(again)).toHaveLength(106);
  expect(again.userrl_sft.file_name).toBe("again.jsonl");
});

test("item 13: -o into a missing folder creates it", async () => {
  const file = join(mkdtempSync(join(tmpdir(), "userrl-sft-")), "new", "deeper", "sft.jsonl");
  const r = await cli("sft", "export", run, "-o", file, "--json");
  expect(r.code, r.err).toBe(0);
  expect(readFileSync(file, "utf8").trim().split("\n")).toHaveLength(JSON.parse(r.out).records);
  for (const format of ["openai", "trl"]) {
    const other = join(mkdtempSync(join(tmpdir(), "userrl-sft-")), "missing", `${format}.jsonl`);
    expect((await cli("sft", "export", run, "-o", other, "--format", format)).code).toBe(0);
  }
});

test("item 13: a dataset_info.json that is not a JSON object is left alone, with a clear message; bad names are refused", async () => {
  const data = mkdtempSync(join(tmpdir(), "llamafactory-data-"));
  writeFileSync(join(data, "dataset_info.json"), "{ not json");
  const r = await cli("sft", "export", run, "-o", join(data, "sft.jsonl"));
  expect(r.code).toBe(1);
  expect(r.err).toMatch(/dataset_info\.json is not valid JSON.*left unchanged/);
  expect(readFileSync(join(data, "dataset_info.json"), "utf8")).toBe("{ not json");
  const bad = await cli("sft", "export", run, "-o", join(data, "x.jsonl"), "--name", "../evil");
  expect(bad.code).toBe(1);
  expect(bad.err).toMatch(/--name: dataset name "\.\.\/evil"/);
});
