/** `userrl serve`: starts, announces its URL, serves, drains on SIGTERM; options are checked. */
import { afterEach, expect, test, vi } from "vitest";
import { main } from "../../src/cli/main.js";
import { RunStore } from "../../src/rollout/store.js";
import { EnvClient } from "../../src/server/client.js";
import { http, tmp } from "./helpers.js";

afterEach(() => {
  vi.restoreAllMocks();
  process.exitCode = 0;
});

test("userrl serve runs until SIGTERM, storing served episodes in --out", async () => {
  const out = tmp();
  let printed = "";
  vi.spyOn(console, "log").mockImplementation((...a: unknown[]) => void (printed += `${a.join(" ")}\n`));
  vi.spyOn(process.stderr, "write").mockImplementation(() => true);
  const running = main(["node", "userrl", "serve", "--port", "0", "--gyms", "function", "--out", out, "--token", "cli-token-1234", "--idle-timeout", "60"]);
  await expect.poll(() => printed, { timeout: 20_000 }).toMatch(/userrl server on http:\/\/127\.0\.0\.1:\d+/);
  const url = /(http:\/\/127\.0\.0\.1:\d+)/.exec(printed)![1];
  expect(printed).toMatch(/bearer token required/);
  expect((await http(url, "/health")).body).toEqual({ status: "healthy" });
  const c = await EnvClient.connect(url, { token: "cli-token-1234" });
  await c.reset({ task_id: "func-1" });
  await c.step({ choice: "answer", content: "225" });
  await c.close();
  process.emit("SIGTERM");
  await running;
  expect(process.exitCode ?? 0).toBe(0);
  const store = RunStore.open(out);
  expect(store.episodes()).toMatchObject([{ key: "function/func-1/0", status: "done", totalReward: 1 }]);
  store.close();
});

test("bad options are one clear error", async () => {
  let err = "";
  vi.spyOn(process.stderr, "write").mockImplementation((c: string | Uint8Array) => ((err += String(c)), true));
  await main(["node", "userrl", "serve", "--port", "0", "--gyms", "nosuchgym"]);
  expect(process.exitCode).toBe(1);
  expect(err).toMatch(/unknown gym "nosuchgym"/);
  err = "";
  await main(["node", "userrl", "serve", "--port", "0", "--gyms", "function", "--gym-option", "search"]);
  expect(process.exitCode).toBe(1);
  expect(err).toMatch(/<gym>\.<key>=<value>/);
});
