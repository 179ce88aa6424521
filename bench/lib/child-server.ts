/** Start the fake server in a child process and get its URL. */
import { spawn, type ChildProcess } from "node:child_process";
import { join } from "node:path";

export async function childFakeServer(latencyMs: number, turns: number): Promise<{ url: string; stop(): Promise<void>; proc: ChildProcess }> {
  const proc = spawn(process.execPath, [join(import.meta.dirname, "fake-server-child.js"), String(latencyMs), String(turns)], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let buf = "";
    proc.stdout!.on("data", (d: Buffer) => {
      buf += d.toString();
      const nl = buf.indexOf("\n");
      if (nl >= 0) resolve(buf.slice(0, nl).trim());
    });
    proc.once("exit", (code) => reject(new Error(`fake server exited with ${code}`)));
  });
  return {
    url,
    proc,
    stop: () =>
      new Promise((resolve) => {
        proc.once("exit", () => resolve());
        proc.kill("SIGTERM");
      }),
  };
}
