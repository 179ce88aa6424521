/**
 * Issue 15 item 10: errors name the file. A damaged parquet file ("footer != PAR1") and a truncated JSON
 * data file (a task list, a tau-bench table) are named by key and path, in one line that says what to run.
 * (`?concurrency=0`, the other half of the item, is in run-preflight.test.ts.)
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { describe, expect, test } from "vitest";
import { DataStore } from "../../src/data/store.js";

const shared = process.env.USERRL_DATA_DIR;

/** A data folder holding `key` damaged by `damage`. */
function damaged(key: string, damage: (bytes: Buffer) => Buffer): { data: DataStore; path: string } {
  const dir = mkdtempSync(join(tmpdir(), "data-"));
  const path = join(dir, key);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, damage(readFileSync(join(shared!, key))));
  return { data: new DataStore({ dataDir: dir, offline: true }), path };
}

describe.skipIf(!shared)("item 10: damaged data files are named", () => {
  test("a parquet file whose footer is gone", async () => {
    const key = "userrl/parquet/function_multiturn/test.parquet";
    const { data, path } = damaged(key, (b) => b.subarray(0, b.length - 100));
    await expect(data.parquet(key)).rejects.toThrow(
      new RegExp(`^Data file "${key}" \\(${path}\\) is not a readable parquet file \\(.*PAR1.*\\); \`userrl data status --verify\` checks every file`),
    );
  });

  test("a truncated JSON task file and a truncated tau-bench table", async () => {
    for (const key of ["userrl/gyms/function_functions.json", "tau-bench/retail/users.json"]) {
      const { data, path } = damaged(key, (b) => b.subarray(0, Math.floor(b.length / 2)));
      const read = key.startsWith("tau") ? data.parsed(key, "table", JSON.parse) : data.json(key);
      await expect(read).rejects.toThrow(new RegExp(`^Data file "${key}" \\(${path}\\) is not valid JSON \\(.+\\); \`userrl data status --verify\``));
    }
  });

  test("the tau gym's own table loader names the file too", async () => {
    const dir = mkdtempSync(join(tmpdir(), "data-"));
    for (const f of ["orders.json", "products.json", "users.json", "wiki.md"]) {
      mkdirSync(join(dir, "tau-bench/retail"), { recursive: true });
      copyFileSync(join(shared!, "tau-bench/retail", f), join(dir, "tau-bench/retail", f));
    }
    writeFileSync(join(dir, "tau-bench/retail/orders.json"), '{"#W0000000": {"order_id": "#W00');
    const { domainData } = await import("../../src/gyms/tau/domain.js");
    await expect(domainData(new DataStore({ dataDir: dir, offline: true }), "retail")).rejects.toThrow(/^Data file "tau-bench\/retail\/orders\.json" \(.*orders\.json\) is not valid JSON/);
  });
});
