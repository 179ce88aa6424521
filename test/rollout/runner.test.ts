import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, test } from "vitest";
import { resolveAgent, resolveUser } from "../../src/agents/resolve.js";
import { startFakeServer, type FakeReply, type FakeServer } from "../../src/models/fake-server.js";
import { runEpisode } from "../../src/rollout/episode.js";
import { DEFAULT_RUN, runBatch, type RunConfig } from "../../src/rollout/runner.js";
import { RunStore } from "../../src/rollout/store.js";
import { functionGym } from "../../src/gyms/function/index.js";
import { ScriptedModel } from "../../src/models/scripted.js";
import { LlmAgent } from "../../src/agents/llm.js";
import type { Trajectory } from "../../src/core/types.js";
import { ctx, task } from "../helpers.js";

const tmp = () => mkdtempSync(join(tmpdir(), "userrl-run-"));
let server: FakeServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

function config(over: Partial<RunConfig>): RunConfig {
  return { ...DEFAULT_RUN, gyms: ["function"], agent: "baseline", user: "offline", ...over };
}

async function batch(dir: string, c: RunConfig, signal?: AbortSignal, onProgress?: (p: { finished: number }) => void) {
  const store = new RunStore(dir);
  const agent = await resolveAgent(c.agent, { models: { cache: null } });
  const user = await resolveUser(c.user);
  try {
    return await runBatch(c, { store, agent, user, signal, onProgress });
  } finally {
    store.close();
  }
}

describe("batch runs", () => {
  test("the baseline solves FunctionGym test tasks; results are stored and exported", async () => {
    const dir = tmp();
    const s = await batch(dir, config({ limit: 6, concurrency: 3 }));
    expect(s).toMatchObject({ episodes: 6, newEpisodes: 6, skipped: 0, errors: 0 });
    expect(s.meanReward).toBeGreaterThan(0.5);
    const store = RunStore.open(dir);
    const trajs = [...store.trajectories()];
    expect(trajs).toHaveLength(6);
    const t = trajs[0];
    expect(t.messages[0].role).toBe("system");
    expect(t.turns[0].action?.choice).toBe("search");
    expect(t.messages.filter((m) => m.role === "tool").length).toBe(t.turns.length);
    expect(store.run()!.codeVersion).toMatch(/^userrl@/);
    const turnsRows = store.db.prepare("SELECT count(*) AS n FROM turns").get() as { n: number };
    expect(turnsRows.n).toBe(trajs.reduce((n, x) => n + x.turns.length, 0));
    store.close();
  });

  test("an interrupted run resumes without redoing finished episodes", async () => {
    const dir = tmp();
    const ac = new AbortController();
    const first = await batch(dir, config({ limit: 10, concurrency: 2 }), ac.signal, (p) => {
      if (p.finished >= 3) ac.abort();
    });
    expect(first.aborted).toBe(true);
    const kept = first.episodes;
    expect(kept).toBeGreaterThanOrEqual(3);
    expect(kept).toBeLessThan(10);
    const second = await batch(dir, config({ limit: 10, concurrency: 2 }));
    expect(second).toMatchObject({ episodes: 10, skipped: kept, newEpisodes: 10 - kept, pending: 0 });
    // Samples and more tasks extend the same run.
    const third = await batch(dir, config({ limit: 10, samples: 2 }));
    expect(third).toMatchObject({ episodes: 20, skipped: 10, newEpisodes: 10 });
  });

  test("resuming with different pinned settings is refused", async () => {
    const dir = tmp();
    await batch(dir, config({ limit: 1 }));
    await expect(batch(dir, config({ limit: 1, compat: "userrl-2025" }))).rejects.toThrow(/compat/);
  });

  test("a configuration error stops the run with a clear message", async () => {
    await expect(batch(tmp(), config({ limit: 1, agent: "oracle" }))).rejects.toThrow(/no agent "oracle"/);
  });
});

describe("the LLM agent over real HTTP (fake server)", () => {
  const call = (choice: string, content: string): FakeReply => ({ tool: { arguments: { choice, content } } });

  test("a scripted conversation solves func-1 through the HTTP path", async () => {
    server = await startFakeServer({ script: [call("search", "test"), call("answer", "225")], loop: false });
    const s = await batch(tmp(), config({ agent: `openai:fake@${server.url}?retries=0`, taskIds: ["func-1"], split: "train", concurrency: 1 }));
    expect(s).toMatchObject({ episodes: 1, errors: 0, meanReward: 1 });
    const req = server.requests[1].body as { messages: { role: string; content: string }[]; tools: unknown[]; temperature: number };
    expect(req.tools).toHaveLength(1);
    expect(req.messages.at(-1)).toMatchObject({ role: "tool", content: "Test case: [3, 5, 5, 3]" });
  });

  test("failures never crash the batch or lose an episode: failed ones are stored and redone on resume", async () => {
    // Each episode: one reply, then the fake ends it. Mixed failures across 8 tasks.
    const replies: FakeReply[] = [
      { status: 500 },
      { malformed: "{{{" },
      { text: "I refuse to use tools." },
      { tool: { arguments: "{not json" } },
      { tool: { name: "other_tool", arguments: { x: 1 } } },
      { tool: { arguments: { choice: "answer" } } },
      call("answer", "x".repeat(100_000)),
      { hang: true },
    ];
    let i = 0;
    server = await startFakeServer({ responder: () => replies[i++ % replies.length] });
    const dir = tmp();
    const c = config({ agent: `openai:fake@${server.url}?retries=0&timeout=0.3`, limit: 8, concurrency: 1, maxTurns: 2 });
    const s = await batch(dir, c);
    expect(s.episodes + s.errors).toBe(8);
    const store = RunStore.open(dir);
    const rows = store.episodes();
    expect(rows).toHaveLength(8);
    const reasons = rows.map((r) => r.endReason).sort();
    expect(reasons).toEqual(expect.arrayContaining(["agent_error", "no_tool_call", "invalid_tool_call"]));
    const errored = rows.filter((r) => r.status === "error");
    expect(errored.length).toBe(s.errors);
    expect(errored.every((r) => r.error)).toBe(true);
    store.close();
    // Resume with a healthy server: only the failed episodes run again.
    const port = server.port;
    await server.close();
    server = await startFakeServer({ port, script: [call("finish", "")] });
    const s2 = await batch(dir, c);
    expect(s2).toMatchObject({ episodes: 8, errors: 0, skipped: 8 - errored.length, newEpisodes: errored.length });
  }, 30_000);
});

describe("episode semantics", () => {
  test("training observations carry the reward line; evaluation shows bare feedback", async () => {
    const t = await task(functionGym, "func-1");
    for (const mode of ["train", "eval"] as const) {
      const agent = new LlmAgent(new ScriptedModel([{ tool: { choice: "search", content: "test" } }, "done"]));
      const traj = await runEpisode({ gym: functionGym, task: t, agent, ctx: ctx({ mode }), maxTurns: 16, id: "x", runId: "r", groupId: "g", sample: 0, agentSpec: "scripted" });
      const tool = traj.messages.find((m) => m.role === "tool")!;
      expect(tool.content).toBe(mode === "train" ? "Test case: [3, 5, 5, 3]\nReward: 0.0" : "Test case: [3, 5, 5, 3]");
      expect(traj.endReason).toBe("no_tool_call");
      expect(traj.turns).toHaveLength(2);
      expect(traj.turns[1]).toMatchObject({ reward: 0, action: null, error: "no tool call" });
    }
  });

  test("onTurn sees each turn as it is played, and a watcher that throws changes nothing", async () => {
    const t = await task(functionGym, "func-1");
    const script = () => new LlmAgent(new ScriptedModel([{ tool: { choice: "search", content: "test" } }, { tool: { choice: "answer", content: "225" } }]));
    const seen: string[] = [];
    const traj = await runEpisode({
      gym: functionGym,
      task: t,
      agent: script(),
      ctx: ctx(),
      maxTurns: 16,
      id: "x",
      runId: "r",
      groupId: "g",
      sample: 0,
      agentSpec: "s",
      onTurn: (turn) => seen.push(`${turn.turn} ${turn.action?.choice} ${turn.feedback} ${turn.reward}`),
    });
    const played = (x: Trajectory) => x.turns.map((r) => `${r.turn} ${r.action?.choice} ${r.feedback} ${r.reward}`);
    expect(seen).toEqual(played(traj));
    expect(seen).toHaveLength(2);
    const broken = () => {
      throw new Error("watcher broke");
    };
    const throwing = await runEpisode({ gym: functionGym, task: t, agent: script(), ctx: ctx(), maxTurns: 16, id: "x", runId: "r", groupId: "g", sample: 0, agentSpec: "s", onTurn: broken });
    expect(played(throwing)).toEqual(seen);
    expect([throwing.endReason, throwing.totalReward, throwing.messages.length]).toEqual([traj.endReason, traj.totalReward, traj.messages.length]);
  });

  test("only the first of several tool calls runs; the history keeps only that call", async () => {
    const t = await task(functionGym, "func-1");
    const model = new ScriptedModel([{ toolCalls: [{ name: "interact_with_env", arguments: { choice: "answer", content: "225" } }, { name: "interact_with_env", arguments: { choice: "answer", content: "1" } }] }]);
    const traj = await runEpisode({ gym: functionGym, task: t, agent: new LlmAgent(model), ctx: ctx(), maxTurns: 16, id: "x", runId: "r", groupId: "g", sample: 0, agentSpec: "s" });
    expect(traj.totalReward).toBe(1);
    expect(traj.turns[0].info.ignoredToolCalls).toBe(1);
    expect(traj.messages[2].toolCalls).toHaveLength(1);
  });

  test("reference training semantics: the 16th call is never executed", async () => {
    const t = await task(functionGym, "func-1");
    const probe = { tool: { choice: "action", content: "1 1 1 1" } };
    const run = (compat: "fixed" | "userrl-2025") =>
      runEpisode({ gym: functionGym, task: t, agent: new LlmAgent(new ScriptedModel([probe], { loop: true })), ctx: ctx({ compat, maxSteps: 16 }), maxTurns: 16, id: "x", runId: "r", groupId: "g", sample: 0, agentSpec: "s" });
    const ref = await run("userrl-2025");
    expect(ref.turns).toHaveLength(16);
    expect(ref.turns[15].feedback).toBe("");
    expect(ref.endReason).toBe("max_turns");
    const fixed = await run("fixed");
    expect(fixed.turns[15].truncated).toBe(true);
    expect(fixed.endReason).toBe("truncated");
  });
});

test("baselines read the feedback the same way in training mode (reward lines) as in evaluation mode", async () => {
  const dir = mkdtempSync(join(tmpdir(), "userrl-run-"));
  const s = await batch(dir, config({ limit: 3, mode: "train", split: "train" }));
  expect(s.meanReward).toBe(1);
});

test("gyms that cannot be played with the chosen user are reported before anything runs", async () => {
  const dir = mkdtempSync(join(tmpdir(), "userrl-run-"));
  await expect(batch(dir, config({ gyms: ["function", "turtle", "persuade"], limit: 1 }))).rejects.toThrow(/cannot run:[\s\S]*turtle[\s\S]*persuade/);
  const store = RunStore.open(dir);
  expect(store.episodes()).toHaveLength(0);
  store.close();
});
