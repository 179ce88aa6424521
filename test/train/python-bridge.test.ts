/**
 * The Python bridge's training adapters against the real server: the pure turn mapping, the TRL environment
 * class (tool schema, episodes, settling), and the VERL AgentLoop and advantage patch with stand-ins for VERL's
 * classes (python/tests/test_*.py, run with unittest in the training venv from scripts/python-env.sh).
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
  "TRL environment, turn mapping, VERL AgentLoop and advantage patch (skipped only when python3 is missing)",
  async () => {
    const python = await preparePython();
    const token = "bridge-test-token";
    const s = await serve({ token, mode: "train" });
    const out = await run(python, ["-m", "unittest", "discover", "-s", "tests", "-p", "test_*.py", "-v"], {
      cwd: join(PACKAGE_ROOT, "python"),
      env: pythonEnv({ USERRL_TEST_SERVER: s.url, USERRL_TEST_TOKEN: token }),
      timeout: 280_000,
      maxBuffer: 16 << 20,
    }).catch((err: { stdout?: string; stderr?: string }) => {
      throw new Error(`python tests failed:\n${err.stderr ?? ""}${err.stdout ?? ""}`);
    });
    const log = out.stderr;
    expect(log).toMatch(/\nOK\s*$/);
    expect(log).not.toMatch(/skipped/);
    expect(Number(/Ran (\d+) tests?/.exec(log)?.[1])).toBeGreaterThanOrEqual(15);
  },
  600_000,
);

if (!hasPython) test("python3 is missing: the bridge tests were skipped", () => expect(hasPython).toBe(false));
