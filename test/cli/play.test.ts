/** `userrl play`: a person at the terminal (here: piped input) plays the agent; the end of input ends the episode cleanly. */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { PassThrough } from "node:stream";
import { expect, test } from "vitest";
import { HumanAgent, terminalIO } from "../../src/agents/human.js";
import { functionGym } from "../../src/gyms/function/index.js";
import { ctx, runTestEpisode, task } from "../helpers.js";

function io(text: string) {
  const input = new PassThrough();
  const output = new PassThrough();
  let shown = "";
  output.on("data", (b: Buffer) => (shown += b.toString()));
  input.end(text);
  return { io: terminalIO(input, output), shown: () => shown };
}

test("piped lines are all played, a line without a move is asked again, and the end of input ends the episode", async () => {
  const t = await task(functionGym, "func-1");
  const term = io("[search] test\nhello\n[action] 1 2 3 4\n");
  const traj = await runTestEpisode(functionGym, t, ctx(), { agent: new HumanAgent(term.io), agentSpec: "human" });
  term.io.close();
  expect(traj.turns.map((r) => r.action?.choice ?? null)).toEqual(["search", "action", null]);
  expect(traj.turns[0].feedback).toBe("Test case: [3, 5, 5, 3]");
  expect(traj.endReason).toBe("no_tool_call");
  expect(term.shown()).toContain("Start the move with [action], [answer], [search] or [finish]");
  expect(term.shown()).toContain("[turn 3/16] your move");
});

const root = resolve(import.meta.dirname, "..", "..");
const built = existsSync(join(root, "dist", "cli", "main.js"));

test.skipIf(!built)("the built CLI: `userrl play` with input that ends mid-episode exits 0 with the episode's summary", () => {
  const r = spawnSync(process.execPath, [join(root, "bin", "userrl.js"), "play", "function", "--task", "func-1"], {
    input: "[search] test\n",
    encoding: "utf8",
    env: process.env,
    timeout: 30_000,
  });
  expect(r.status).toBe(0);
  expect(r.stdout).toContain("Test case: [3, 5, 5, 3]");
  expect(r.stdout).toMatch(/Episode over \(no_tool_call\) after 2 turns: total reward 0\./);
});
