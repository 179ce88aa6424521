import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, expect, test } from "vitest";
import { travelGym } from "../../src/gyms/travel/index.js";
import { generatedScenario, resolveScenario } from "../../src/gyms/travel/tasks.js";
import { scenarioToFile } from "../../src/gyms/travel/scenario.js";
import { cli } from "../cli-runner.js";
import { data } from "../helpers.js";

afterEach(() => {
  delete process.env.USERRL_TRAVEL_SCENARIOS;
});

test("gyms --json lists travel with 471 test and 2,651 train tasks", async () => {
  const r = await cli("gyms", "--json");
  const travel = JSON.parse(r.out).gyms.find((g: { name: string }) => g.name === "travel");
  expect(travel).toMatchObject({ splits: { train: 2651, test: 471 }, metric: "travel", choices: ["search", "action", "answer"] });
  expect(travel.offlineUser).toBeTruthy();
});

test("data travel-generate writes the eight files; travel-check accepts them and rejects a tampered one", async () => {
  const dir = mkdtempSync(join(tmpdir(), "travel-gen-"));
  const r = await cli("data", "travel-generate", "--out", dir, "--split", "test", "--seed", "9", "--json");
  expect(r.code).toBe(0);
  const files = JSON.parse(r.out).files as { variant: string; scenarios: number }[];
  expect(Object.fromEntries(files.map((f) => [f.variant, f.scenarios]))).toEqual({ "22": 101, "33": 87, "44": 67, "233": 61, "333": 53, "334": 47, "444": 38, "2222": 17 });
  const ok = await cli("data", "travel-check", dir, "--json");
  expect(ok.code).toBe(0);
  expect(JSON.parse(ok.out)).toMatchObject({ scenarios: 471, inconsistent: [] });

  // The folder replaces the default (seed 2025) scenarios when USERRL_TRAVEL_SCENARIOS points at it.
  const task = (await travelGym.tasks(data)).find((t) => t.split === "test")!;
  process.env.USERRL_TRAVEL_SCENARIOS = dir;
  const played = resolveScenario(task, {}).scenario;
  expect(scenarioToFile(played)).toEqual(scenarioToFile(generatedScenario(task.payload, 9)));
  expect(scenarioToFile(played)).not.toEqual(scenarioToFile(generatedScenario(task.payload)));

  const path = join(dir, "travelgym_data_22.json");
  const file = JSON.parse(readFileSync(path, "utf8"));
  const s = file[task.id];
  s[s.dimensions[0]].best_id = s[s.dimensions[0]].options.wrong[0].id;
  const tampered = mkdtempSync(join(tmpdir(), "travel-tampered-"));
  writeFileSync(join(tampered, "travelgym_data_22.json"), JSON.stringify(file));
  const bad = await cli("data", "travel-check", tampered, "--json");
  expect(bad.code).toBe(1);
  expect(JSON.parse(bad.out).inconsistent[0].key).toBe(task.id);
});

test("run travel --agent baseline --user offline runs offline and reports", async () => {
  const out = mkdtempSync(join(tmpdir(), "travel-run-"));
  const r = await cli("run", "travel", "--agent", "baseline", "--user", "offline", "--split", "test", "--limit", "4", "--out", out, "--json");
  expect(r.code).toBe(0);
  expect(JSON.parse(r.out)).toMatchObject({ episodes: 4, errors: 0, gyms: { travel: { episodes: 4 } } });
});
