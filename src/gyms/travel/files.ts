/**
 * TravelGym scenario files on disk: the original UserBench files (`travelgym_data_<variant>.json`), when a
 * user has them, and writing the generated scenarios in the same layout.
 *
 * The original files are absent from both public snapshots; their git blob ids are known, so a copy can be
 * checked (`UPSTREAM_BLOBS`). Point the gym at a folder holding them with `USERRL_TRAVEL_SCENARIOS=<dir>`
 * (or the gym option `scenarios`); scenarios found there replace the generated ones, key by key.
 */
import { createHash } from "node:crypto";
import { existsSync, promises as fs, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseScenario, scenarioToFile, type Scenario } from "./scenario.js";

export const VARIANTS = ["22", "33", "44", "233", "333", "334", "444", "2222"] as const;
export type Variant = (typeof VARIANTS)[number];

/** Git blob ids of the reference's scenario files (UserRL and UserBench share them). */
export const UPSTREAM_BLOBS: Record<Variant, string> = {
  "22": "cb7f2fef8bb89a0e78feabe098e1ac06dfe9baa0",
  "33": "5f821b5b0e54a2825f3374f1ce7c884d19365943",
  "44": "f13d5068a03cde0b69e49eb0d9517b4846ded2f4",
  "233": "3a94c24bdedb98276ccea5eafb9271fa0f7c4a8d",
  "333": "d2e92308ee07f54534fcea04ef475a139d280662",
  "334": "9acfd7af9d4af2cd2b5e275010ea98591578b58b",
  "444": "9373958aa20e0d17068dcaccbf232b9635d5e4e6",
  "2222": "974c4457d1ace709ea3f2652ddd2dbb405db9052",
};

export const fileName = (v: string): string => `travelgym_data_${v}.json`;

/** The git blob id of a file's bytes (what `git hash-object` prints). */
export function gitBlobSha1(bytes: Buffer): string {
  return createHash("sha1").update(`blob ${bytes.length}\0`).update(bytes).digest("hex");
}

export interface ScenarioFileInfo {
  variant: Variant;
  path: string;
  scenarios: number;
  blobSha1: string;
  /** Whether the bytes are exactly the reference's file. */
  matchesUpstream: boolean;
}

export interface ScenarioDir {
  dir: string;
  scenarios: Map<string, Scenario>;
  files: ScenarioFileInfo[];
}

const loaded = new Map<string, ScenarioDir>();

/**
 * Read every `travelgym_data_<variant>.json` in a folder (memoised per folder). A malformed file or
 * scenario throws, naming the file and key: pointing the gym at broken data is an error, not a silent
 * switch to generated scenarios.
 */
export function loadScenarioDir(dir: string, source: Scenario["source"] = "userbench"): ScenarioDir {
  const root = resolve(dir);
  const hit = loaded.get(root);
  if (hit) return hit;
  if (!existsSync(root)) throw new Error(`TravelGym scenario folder ${root} does not exist`);
  const out: ScenarioDir = { dir: root, scenarios: new Map(), files: [] };
  for (const variant of VARIANTS) {
    const path = join(root, fileName(variant));
    if (!existsSync(path)) continue;
    const bytes = readFileSync(path);
    let raw: unknown;
    try {
      raw = JSON.parse(bytes.toString("utf8"));
    } catch (err) {
      throw new Error(`${path} is not valid JSON: ${(err as Error).message}`);
    }
    if (!raw || typeof raw !== "object" || Array.isArray(raw)) throw new Error(`${path} must hold an object of scenario key → scenario`);
    let n = 0;
    for (const [key, value] of Object.entries(raw as Record<string, unknown>)) {
      try {
        out.scenarios.set(key, parseScenario(key, value, source));
      } catch (err) {
        throw new Error(`${path}: ${(err as Error).message}`);
      }
      n++;
    }
    const blob = gitBlobSha1(bytes);
    out.files.push({ variant, path, scenarios: n, blobSha1: blob, matchesUpstream: blob === UPSTREAM_BLOBS[variant] });
  }
  if (out.files.length === 0) throw new Error(`TravelGym scenario folder ${root} holds no ${fileName("<variant>")} file`);
  loaded.set(root, out);
  return out;
}

/** Write scenarios grouped by variant as `travelgym_data_<variant>.json` (2-space JSON, keys in task order). */
export async function writeScenarioDir(dir: string, scenarios: readonly Scenario[]): Promise<{ variant: string; path: string; scenarios: number }[]> {
  await fs.mkdir(dir, { recursive: true });
  const byVariant = new Map<string, Record<string, unknown>>();
  for (const s of scenarios) {
    const group = byVariant.get(s.wantedNum) ?? {};
    group[s.key] = scenarioToFile(s);
    byVariant.set(s.wantedNum, group);
  }
  const written: { variant: string; path: string; scenarios: number }[] = [];
  for (const variant of VARIANTS) {
    const group = byVariant.get(variant);
    if (!group) continue;
    const path = join(dir, fileName(variant));
    await fs.writeFile(path, `${JSON.stringify(group, null, 2)}\n`);
    written.push({ variant, path, scenarios: Object.keys(group).length });
  }
  return written;
}
