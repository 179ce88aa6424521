/** Run the userrl CLI in-process, capturing stdout, stderr and the exit code. */
import { vi } from "vitest";
import { main } from "../src/cli/main.js";

/** Run the CLI in-process, capturing its output. */
export async function cli(...args: string[]): Promise<{ out: string; err: string; code: number }> {
  let out = "";
  let err = "";
  const o = vi.spyOn(process.stdout, "write").mockImplementation((c: string | Uint8Array) => ((out += String(c)), true));
  const e = vi.spyOn(process.stderr, "write").mockImplementation((c: string | Uint8Array) => ((err += String(c)), true));
  const log = vi.spyOn(console, "log").mockImplementation((...a: unknown[]) => void (out += `${a.join(" ")}\n`));
  const elog = vi.spyOn(console, "error").mockImplementation((...a: unknown[]) => void (err += `${a.join(" ")}\n`));
  process.exitCode = 0;
  try {
    await main(["node", "userrl", ...args]);
  } finally {
    o.mockRestore();
    e.mockRestore();
    log.mockRestore();
    elog.mockRestore();
  }
  const code = Number(process.exitCode ?? 0);
  process.exitCode = 0;
  return { out, err, code };
}

