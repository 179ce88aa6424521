/**
 * The Python bridge's client (python/userrl_bridge) against the real server: async and sync episodes,
 * raw tool calls, coded errors, auth and the credit service. The venv comes from scripts/python-env.sh
 * (built once, offline from the local wheel index, then cached under .venv/).
 */
import { execFile, spawnSync } from "node:child_process";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { expect, test } from "vitest";
import { serve } from "./helpers.js";

const run = promisify(execFile);
const repo = resolve(import.meta.dirname, "..", "..");
const hasPython = spawnSync("python3", ["--version"]).status === 0;

test.skipIf(!hasPython)(
  "the Python client plays episodes, hits coded errors and asks for credit (skipped only when python3 is missing)",
  async () => {
    const env = await run("bash", [join(repo, "scripts", "python-env.sh"), "bridge"], { cwd: repo, timeout: 280_000, maxBuffer: 16 << 20 });
    const python = env.stdout.trim().split("\n").at(-1)!;
    const token = "python-client-token";
    const s = await serve({ token });
    const out = await run(python, [join(repo, "python", "tests", "check_client.py"), s.url, token], { cwd: repo, timeout: 60_000 });
    const result = JSON.parse(out.stdout.trim().split("\n").at(-1)!);
    expect(result).toMatchObject({ ok: true, rewards: [0, 1] });
    expect(result.advantages[0]).toBeGreaterThan(0);
    expect(s.registry.size).toBe(0);
  },
  300_000,
);

if (!hasPython) test("python3 is missing: the Python client test was skipped", () => expect(hasPython).toBe(false));
