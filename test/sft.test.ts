import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { cli } from "./cli-runner.js";
import { selectForSft } from "../src/sft/select.js";
import { toOpenAI, toShareGpt, toTrl } from "../src/sft/formats.js";
import type { Trajectory } from "../src/core/types.js";

function traj(id: string, taskId: string, rewards: number[], endReason: Trajectory["endReason"] = "done"): Trajectory {
  const messages: Trajectory["messages"] = [
    { role: "system", content: "sys" },
    { role: "user", content: "hello" },
  ];
  rewards.forEach((_reward, i) => {
    messages.push({ role: "assistant", content: `thought ${i}`, reasoning: "why", toolCalls: [{ id: `c${i}`, name: "interact_with_env", arguments: JSON.stringify({ choice: "action", content: `${i}` }) }] });
    messages.push({ role: "tool", content: `fb ${i}`, toolCallId: `c${i}` });
  });
  return {
    id, runId: "r", gym: "function", taskId, split: "train", groupId: taskId, sample: 0, seed: 0, agentSpec: "a", userSpec: "u", mode: "train", compat: "fixed",
    messages, turns: rewards.map((reward, i) => ({ turn: i + 1, action: null, feedback: "", reward, done: false, truncated: false, info: {} })),
    endReason, totalReward: rewards.reduce((a, b) => a + b, 0), startedAt: "", durationMs: 0,
    agentUsage: { promptTokens: 0, completionTokens: 0 }, userUsage: { promptTokens: 0, completionTokens: 0 },
  };
}

describe("selection", () => {
  test("failures and broken episodes are never kept; best first, fewer turns break ties; one per task by default", () => {
    const sel = selectForSft([
      traj("a", "t1", [0, 1]),
      traj("b", "t1", [1]), // same task, shorter: wins
      traj("c", "t2", [0, 0]), // failure
      traj("d", "t3", [1], "agent_error"),
      traj("e", "t4", [0, 0, 1]),
    ]).get("function")!;
    expect(sel.map((r) => r.trajectory.id)).toEqual(["b", "e"]);
    const two = selectForSft([traj("a", "t1", [0, 1]), traj("b", "t1", [1])], { perTask: 2, topK: 1 }).get("function")!;
    expect(two.map((r) => r.trajectory.id)).toEqual(["b"]);
    const r2g = selectForSft([traj("a", "t1", [0, 0, 1]), traj("b", "t2", [1])], { rankBy: "R2G" }).get("function")!;
    expect(r2g.map((r) => [r.trajectory.id, r.score])).toEqual([["b", 1], ["a", expect.closeTo(0.64, 10)]]);
  });
});

describe("formats", () => {
  const t = traj("a", "t1", [0, 1]);
  test("ShareGPT (LLaMA-Factory): alternating human/observation and function_call/gpt turns, ending with the agent", () => {
    const r = toShareGpt(t) as { conversations: { from: string; value: string }[]; system: string; tools: string };
    expect(r.system).toBe("sys");
    expect(r.conversations.map((c) => c.from)).toEqual(["human", "function_call", "observation", "function_call"]);
    expect(JSON.parse(r.conversations[1].value)).toEqual({ name: "interact_with_env", arguments: { choice: "action", content: "0" } });
    expect(JSON.parse(r.tools)[0].name).toBe("interact_with_env");
  });
  test("OpenAI fine-tuning: tool_calls with string arguments, tool replies with ids, last message from the assistant", () => {
    const r = toOpenAI(t) as { messages: Record<string, unknown>[] };
    expect(r.messages.at(-1)!.role).toBe("assistant");
    expect(r.messages[2]).toMatchObject({ role: "assistant", tool_calls: [{ id: "c0", type: "function", function: { name: "interact_with_env" } }] });
    expect(r.messages[3]).toMatchObject({ role: "tool", tool_call_id: "c0", content: "fb 0" });
  });
  test("TRL: arguments as objects and reasoning kept", () => {
    const r = toTrl(t) as { messages: Record<string, unknown>[] };
    expect(r.messages[2]).toMatchObject({ reasoning_content: "why", tool_calls: [{ function: { arguments: { choice: "action", content: "0" } } }] });
  });
});

test("sft collect then export, end to end on FunctionGym", async () => {
  const out = mkdtempSync(join(tmpdir(), "sft-"));
  const c = await cli("sft", "collect", "function", "--agent", "baseline", "--limit", "3", "--samples", "2", "--out", out, "--json");
  expect(JSON.parse(c.out)).toMatchObject({ episodes: 6 });
  const file = join(out, "sft.jsonl");
  const e = await cli("sft", "export", out, "-o", file, "--json");
  expect(JSON.parse(e.out)).toMatchObject({ records: 3, format: "sharegpt" });
  const lines = readFileSync(file, "utf8").trim().split("\n").map((l) => JSON.parse(l));
  expect(lines).toHaveLength(3);
  expect(lines[0].conversations[0].from).toBe("human");
  expect(lines[0].system).toMatch(/hidden function/);
  // Training-mode observations carry the reward line.
  expect(lines[0].conversations.find((x: { from: string }) => x.from === "observation").value).toMatch(/\nReward: 0\.0$/);
  expect(JSON.parse(readFileSync(join(out, "dataset_info.json"), "utf8")).userrl_sft.formatting).toBe("sharegpt");
});
