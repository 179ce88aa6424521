/**
 * Item 16 of issue 15: the VERL bridge (python/userrl_bridge/verl_*.py) against the real server, with VERL's classes
 * stood in (python/tests/test_verl_hostile.py, run with unittest in the training venv from scripts/python-env.sh).
 */
import { execFile, spawnSync } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { expect, test } from "vitest";
import { preparePython, pythonEnv, PACKAGE_ROOT } from "../../src/train/python.js";
import { serve } from "../server/helpers.js";

const run = promisify(execFile);
const hasPython = spawnSync("python3", ["--version"]).status === 0;

test.skipIf(!hasPython)(
  "item 16: special-token tool tags, None log-probs, reward_score, decorator registration, by-name compute_advantage",
  async () => {
    const python = await preparePython();
    const s = await serve({ mode: "train" });
    const out = await run(python, ["-m", "unittest", "discover", "-s", "tests", "-p", "test_verl_hostile.py", "-v"], {
      cwd: join(PACKAGE_ROOT, "python"),
      env: pythonEnv({ USERRL_TEST_SERVER: s.url }),
      timeout: 280_000,
      maxBuffer: 16 << 20,
    }).catch((err: { stdout?: string; stderr?: string }) => {
      throw new Error(`python tests failed:\n${err.stderr ?? ""}${err.stdout ?? ""}`);
    });
    expect(out.stderr).toMatch(/\nOK\s*$/);
    expect(out.stderr).not.toMatch(/skipped/);
    expect(Number(/Ran (\d+) tests?/.exec(out.stderr)?.[1])).toBe(5);
  },
  600_000,
);

if (!hasPython) test("python3 is missing: the VERL bridge tests were skipped", () => expect(hasPython).toBe(false));
