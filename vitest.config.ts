import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { defineConfig } from "vitest/config";

// Tests read the public datasets from USERRL_DATA_DIR, else ../shared/data, else the user cache filled by
// `userrl data fetch`; they never download, and write only to temporary folders.
const shared = resolve(import.meta.dirname, "..", "shared", "data");
const dataDir = process.env.USERRL_DATA_DIR ?? (existsSync(shared) ? shared : undefined);
const scratch = mkdtempSync(join(tmpdir(), "userrl-test-"));

export default defineConfig({
  // The examples import the package by name, as an app does; here the names lead to the sources.
  resolve: {
    alias: [
      { find: /^userrl$/, replacement: resolve(import.meta.dirname, "src/index.ts") },
      { find: /^userrl\/ai$/, replacement: resolve(import.meta.dirname, "src/sdk/ai.ts") },
      { find: /^userrl\/testing$/, replacement: resolve(import.meta.dirname, "src/sdk/testing.ts") },
    ],
  },
  test: {
    include: ["test/**/*.test.ts", "examples/**/*.test.ts"],
    // 2-core machines: few workers keep timing-sensitive server tests calm.
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 60_000,
    env: {
      USERRL_TEST: "1",
      ...(dataDir ? { USERRL_DATA_DIR: dataDir, USERRL_CACHE_DIR: scratch } : {}),
      USERRL_RESPONSE_CACHE: "off",
      USERRL_OFFLINE: "1",
    },
  },
});
