/** The OpenEnv `/ws` protocol: episodes, the same results as in-process rollouts, coded errors, limits. */
import { describe, expect, test } from "vitest";
import { resolveUser } from "../../src/agents/resolve.js";
import { DataStore } from "../../src/data/store.js";
import { GYMS } from "../../src/gyms/index.js";
import { runEpisode } from "../../src/rollout/episode.js";
import { RunStore } from "../../src/rollout/store.js";
import { EnvClient, EnvServerError, playRemoteEpisode } from "../../src/server/client.js";
import { resetObservationSchema, stateSchema, stepObservationSchema } from "../../src/server/describe.js";
import { rawSocket, serve, tmp } from "./helpers.js";

describe("episodes over /ws", () => {
  test("a FunctionGym episode: opening messages, feedback with the reward line, reward and done at the top level", async () => {
    const s = await serve();
    const c = await EnvClient.connect(s.url);
    const r = await c.reset({ gym: "function", task_id: "func-1", split: "train" });
    expect(r.reward).toBeNull();
    expect(r.done).toBe(false);
    const o = resetObservationSchema.parse(r.observation);
    expect(o.messages.map((m) => m.role)).toEqual(["system", "user"]);
    expect(o.tools[0]).toMatchObject({ type: "function", function: { name: "interact_with_env" } });
    expect(o).toMatchObject({ gym: "function", task_id: "func-1", split: "train", group_id: "function/func-1", sample: 0, max_turns: 16 });

    const s1 = await c.step({ choice: "search", content: "test" });
    expect(stepObservationSchema.parse(s1.observation)).toMatchObject({ turn: 1, text: "Test case: [3, 5, 5, 3]\nReward: 0.0", end_reason: null });
    expect(s1).toMatchObject({ reward: 0, done: false });
    const s2 = await c.step({ choice: "answer", content: "225" });
    expect(s2).toMatchObject({ reward: 1, done: true, observation: { feedback: "Your answer is correct!", end_reason: "done", total_reward: 1 } });

    const st = stateSchema.parse(await c.state());
    expect(st).toMatchObject({ step_count: 2, done: true, end_reason: "done", rewards: [0, 1], total_reward: 1, episodes: 1 });
    await expect(c.step({ choice: "answer", content: "225" })).rejects.toMatchObject({ code: "EPISODE_ENDED" });
    // A new reset on the same connection starts the next sample of the task.
    expect((await c.reset({ gym: "function", task_id: "func-1" })).observation).toMatchObject({ sample: 1, turn: 0 });
    await c.close();
  });

  test("eval mode shows the bare feedback; the gym can be omitted when only one is served", async () => {
    const s = await serve({ mode: "eval" });
    const c = await EnvClient.connect(s.url);
    await c.reset({ task_id: "func-1" });
    expect((await c.step({ choice: "search", content: "test" })).observation.text).toBe("Test case: [3, 5, 5, 3]");
    await c.close();
  });

  test("sampling by split and seed is deterministic", async () => {
    const s = await serve();
    const c = await EnvClient.connect(s.url);
    const a = (await c.reset({ gym: "function", split: "train", seed: 7 })).observation;
    const b = (await c.reset({ gym: "function", split: "train", seed: 7 })).observation;
    const other = await Promise.all([8, 9, 10, 11].map(async (seed) => (await c.reset({ gym: "function", split: "train", seed })).observation.task_id));
    expect(a.task_id).toBe(b.task_id);
    expect(a.split).toBe("train");
    expect(a.seed).toBe(b.seed);
    expect(new Set([a.task_id, ...other]).size).toBeGreaterThan(1);
    await c.close();
  });

  // Every served gym that runs offline: its baseline plays the same test task remotely and in-process,
  // with the same rewards — the server goes through the same episode code paths as runEpisode.
  const offline = [...GYMS.values()].filter((g) => g.offline);
  // Gyms that need configuration besides the user (SearchGym: a search provider; the project's BM25 fixture).
  const gymOptions: Record<string, Record<string, unknown>> = { search: { search: "bm25:test/fixtures/search-corpus.jsonl" } };
  test.each(offline.map((g) => [g.name]))("%s: the baseline scores the same over /ws as in process", async (name) => {
    const gym = GYMS.get(name)!;
    const task = (await gym.tasks(DataStore.default())).find((t) => t.split === "test")!;
    const s = await serve({ gyms: [name], gymOptions });
    const c = await EnvClient.connect(s.url);
    const remote = await playRemoteEpisode(c, gym.baseline(task, 1), { gym: name, task_id: task.id, seed: 3 });
    await c.close();
    const seed = (remote.reset.observation as { seed: number }).seed;
    const user = await resolveUser(undefined);
    const local = await runEpisode({
      gym,
      task,
      agent: gym.baseline(task, 1),
      ctx: { mode: "train", compat: "fixed", maxSteps: 16, seed, user: user.roles(gym), options: gymOptions[name] ?? {} },
      maxTurns: 16,
      id: "local",
      runId: "local",
      groupId: "g",
      sample: 0,
      agentSpec: "baseline",
    });
    expect(remote.steps.map((x) => x.reward)).toEqual(local.turns.map((t) => t.reward));
    expect(remote.steps.map((x) => (x.observation as { text: string | null }).text)).toEqual(
      local.turns.map((_, i) => local.messages.filter((m) => m.role === "tool")[i]?.content ?? null),
    );
    expect((remote.steps.at(-1)!.observation as { end_reason: string }).end_reason).toBe(local.endReason);
  });

  test("raw tool calls follow the reference's rules: an unusable call or no call ends the episode", async () => {
    const s = await serve();
    const c = await EnvClient.connect(s.url);
    await c.reset({ task_id: "func-1" });
    const ok = await c.step({ tool_call: { name: "interact_with_env", arguments: '{"choice": "search", "content": "test"}' }, text: "Let me look." });
    expect(ok.observation).toMatchObject({ feedback: "Test case: [3, 5, 5, 3]", end_reason: null });
    const bad = await c.step({ tool_call: { name: "interact_with_env", arguments: "{oops" } });
    expect(bad).toMatchObject({ done: true, reward: 0, observation: { end_reason: "invalid_tool_call", text: null, error: "tool arguments are not valid JSON" } });
    await c.reset({ task_id: "func-1" });
    expect(await c.step({ tool_call: null, text: "I give up." })).toMatchObject({ done: true, observation: { end_reason: "no_tool_call" } });
    await c.close();
  });

  test("the turn limit ends the episode; oversize actions are cut and recorded", async () => {
    const s = await serve({ maxTurns: 2 });
    const c = await EnvClient.connect(s.url);
    await c.reset({ task_id: "func-1" });
    const long = await c.step({ choice: "action", content: `1 2 3 4 ${"x".repeat(30_000)}` });
    expect((long.observation as { fallbacks: string[] }).fallbacks[0]).toMatch(/action cut from \d+ to 20000 characters/);
    const last = await c.step({ choice: "action", content: "1 2 3 4" });
    expect(last.done).toBe(true);
    expect(["truncated", "max_turns"]).toContain((last.observation as { end_reason: string }).end_reason);
    await c.close();
  });

  test("MCP-style actions inside step, and JSON-RPC inside /ws", async () => {
    const s = await serve();
    const c = await EnvClient.connect(s.url);
    const tools = await c.step({ type: "list_tools" });
    expect((tools.observation.tools as { name: string }[]).map((t) => t.name)).toContain("interact_with_env");
    const started = await c.step({ type: "call_tool", tool_name: "start_episode", arguments: { task_id: "func-1" } });
    expect(started.observation).toMatchObject({ tool_name: "start_episode", error: null });
    const played = await c.step({ type: "call_tool", tool_name: "interact_with_env", arguments: { choice: "answer", content: "225" } });
    expect(played).toMatchObject({ reward: 1, done: true, observation: { tool_name: "interact_with_env", result: { isError: false, data: { feedback: "Your answer is correct!" } } } });
    const missing = await c.step({ type: "call_tool", tool_name: "nope", arguments: {} });
    expect(missing.observation).toMatchObject({ error: { error_type: "tool_not_found" } });
    const badArgs = await c.step({ type: "call_tool", tool_name: "interact_with_env", arguments: { choice: 3 } });
    expect(badArgs.observation).toMatchObject({ error: { error_type: "invalid_args" } });
    const rpc = await c.mcp({ jsonrpc: "2.0", id: 5, method: "tools/call", params: { name: "episode_state", arguments: {} } });
    expect(rpc).toMatchObject({ jsonrpc: "2.0", id: 5, result: { data: { done: true, total_reward: 1 } } });
    expect(await c.mcp({ jsonrpc: "2.0", id: 6, method: "openenv/session/create", params: {} })).toMatchObject({ result: { session_id: expect.any(String) } });
    await c.close();
  });
});

describe("coded errors: a bad frame never ends the session", () => {
  test("malformed JSON, unknown types, invalid data, wrong order", async () => {
    const s = await serve();
    const w = await rawSocket(s.url);
    w.send("{not json");
    expect(await w.next()).toMatchObject({ type: "error", data: { code: "INVALID_JSON" } });
    w.send("[1,2]");
    expect(await w.next()).toMatchObject({ type: "error", data: { code: "VALIDATION_ERROR" } });
    w.send({ type: "dance" });
    expect(await w.next()).toMatchObject({ type: "error", data: { code: "UNKNOWN_TYPE", message: "Unknown message type: dance" } });
    w.send({ type: "step", data: { choice: "search", content: "test" } });
    expect(await w.next()).toMatchObject({ type: "error", data: { code: "NO_EPISODE" } });
    w.send({ type: "reset", data: { gym: "nosuch" } });
    expect(await w.next()).toMatchObject({ type: "error", data: { code: "VALIDATION_ERROR", message: expect.stringMatching(/unknown gym "nosuch"/) } });
    w.send({ type: "reset", data: { gym: "function", task_id: "func-nope" } });
    expect(await w.next()).toMatchObject({ type: "error", data: { code: "VALIDATION_ERROR" } });
    w.send({ type: "reset", data: { gym: "function", task_id: "func-1", seed: -1 } });
    expect(await w.next()).toMatchObject({ type: "error", data: { code: "VALIDATION_ERROR", message: expect.stringMatching(/seed/) } });
    w.send({ type: "reset", data: { gym: "function", task_id: "func-1", dataset_column: "ignored, as OpenEnv drops unknown reset kwargs" } });
    expect(await w.next()).toMatchObject({ type: "observation" });
    w.send({ type: "step", data: { choice: "search" } });
    expect(await w.next()).toMatchObject({ type: "error", data: { code: "VALIDATION_ERROR", message: expect.stringMatching(/content/) } });
    w.send({ type: "step", data: { choice: "search", content: "test", extra: 1 } });
    expect(await w.next()).toMatchObject({ type: "error", data: { code: "VALIDATION_ERROR" } });
    w.send({ type: "step", data: "search test" });
    expect(await w.next()).toMatchObject({ type: "error", data: { code: "VALIDATION_ERROR" } });
    // Still alive, and the episode has not moved.
    w.send({ type: "step", data: { choice: "search", content: "test" } });
    expect(await w.next()).toMatchObject({ type: "observation", data: { observation: { turn: 1 } } });
    w.send({ type: "close" });
    expect((await w.closed).code).toBe(1000);
  });

  test("pipelined frames are answered in order; too many queued frames are refused", async () => {
    const s = await serve({ maxPendingPerSession: 4 });
    const w = await rawSocket(s.url);
    w.send({ type: "reset", data: { task_id: "func-1" } });
    for (let i = 0; i < 3; i++) w.send({ type: "step", data: { choice: "action", content: `${i + 1} 2 3 4` } });
    expect(await w.next()).toMatchObject({ type: "observation", data: { observation: { turn: 0 } } });
    for (let i = 1; i <= 3; i++) expect(await w.next()).toMatchObject({ data: { observation: { turn: i } } });
    for (let i = 0; i < 12; i++) w.send({ type: "state" });
    const replies = await Promise.all(Array.from({ length: 12 }, () => w.next()));
    expect(replies.filter((r) => r.type === "error" && r.data.code === "TOO_MANY_PENDING").length).toBeGreaterThan(0);
    expect(replies.filter((r) => r.type === "state").length).toBeGreaterThanOrEqual(4);
  });

  test("an oversize frame closes only that connection (1009); others play on", async () => {
    const s = await serve({ maxMessageBytes: 4096 });
    const good = await EnvClient.connect(s.url);
    await good.reset({ task_id: "func-1" });
    const w = await rawSocket(s.url);
    w.send({ type: "step", data: { choice: "action", content: "9".repeat(10_000) } });
    expect((await w.closed).code).toBe(1009);
    expect((await good.step({ choice: "search", content: "test" })).observation).toMatchObject({ turn: 1 });
    await good.close();
    await expect.poll(() => s.registry.size).toBe(0);
  });
});

describe("auth, capacity, idle reaping, shutdown", () => {
  test("with --token, /ws needs the bearer token (header or ?token=)", async () => {
    const token = "s3cret-token-123";
    const s = await serve({ token });
    await expect(EnvClient.connect(s.url)).rejects.toMatchObject({ code: "HTTP_401" });
    await expect(EnvClient.connect(s.url, { token: "wrong-token-xyz" })).rejects.toMatchObject({ code: "HTTP_401" });
    const c = await EnvClient.connect(s.url, { token });
    expect((await c.reset({ task_id: "func-1" })).done).toBe(false);
    await c.close();
    const q = await rawSocket(`${s.url}`, {}, `/ws?token=${token}`);
    q.send({ type: "state" });
    expect(await q.next()).toMatchObject({ type: "state" });
  });

  test("capacity: the session over the limit gets CAPACITY_REACHED and a close; a freed slot is reused", async () => {
    const s = await serve({ maxSessions: 2 });
    const a = await EnvClient.connect(s.url);
    const b = await EnvClient.connect(s.url);
    const w = await rawSocket(s.url);
    expect(await w.next()).toMatchObject({ type: "error", data: { code: "CAPACITY_REACHED", active_sessions: 2, max_sessions: 2 } });
    expect((await w.closed).code).toBe(1013);
    await a.close();
    await expect.poll(() => s.registry.size).toBe(1);
    const c = await EnvClient.connect(s.url);
    expect((await c.reset({ task_id: "func-1" })).done).toBe(false);
    await Promise.all([b.close(), c.close()]);
  });

  test("idle sessions are reaped; an abandoned episode is stored as aborted", async () => {
    const out = tmp();
    const s = await serve({ idleTimeoutMs: 1500, out });
    const w = await rawSocket(s.url);
    w.send({ type: "reset", data: { task_id: "func-1" } });
    await w.next();
    w.send({ type: "step", data: { choice: "search", content: "test" } });
    await w.next();
    const closed = await w.closed;
    expect(closed).toMatchObject({ code: 4000, reason: expect.stringMatching(/idle/) });
    expect(s.registry.size).toBe(0);
    const store = RunStore.open(out);
    expect(store.episodes()).toMatchObject([{ taskId: "func-1", status: "error", endReason: "aborted", turns: 1 }]);
    store.close();
  });

  test("served episodes are stored like any run; samples continue across restarts", async () => {
    const out = tmp();
    for (let round = 0; round < 2; round++) {
      const s = await serve({ out });
      const c = await EnvClient.connect(s.url);
      await c.reset({ task_id: "func-1", agent: "my-policy" });
      await c.step({ choice: "search", content: "test" });
      await c.step({ choice: "answer", content: "225" });
      await c.close();
      await s.close();
    }
    const store = RunStore.open(out);
    expect(store.run()!.config).toMatchObject({ kind: "serve", gyms: ["function"], mode: "train" });
    expect(store.episodes().map((e) => [e.key, e.status, e.totalReward])).toEqual([
      ["function/func-1/0", "done", 1],
      ["function/func-1/1", "done", 1],
    ]);
    const t = [...store.trajectories()][0];
    expect(t).toMatchObject({ agentSpec: "my-policy", endReason: "done", mode: "train" });
    expect(t.messages.map((m) => m.role)).toEqual(["system", "user", "assistant", "tool", "assistant", "tool"]);
    expect(t.turns.map((x) => x.action?.raw)).toEqual(["[search] test", "[answer] 225"]);
    store.close();
    await expect(serve({ out, mode: "eval" })).rejects.toThrow(/mode="train"/);
  });

  test("shutdown drains: a live episode may finish; one still open at the deadline is closed (1001) and stored", async () => {
    const out = tmp();
    const s = await serve({ out });
    const finishing = await EnvClient.connect(s.url);
    await finishing.reset({ task_id: "func-1" });
    const lingering = await rawSocket(s.url);
    lingering.send({ type: "reset", data: { task_id: "func-2" } });
    await lingering.next();
    lingering.send({ type: "step", data: { choice: "search", content: "test" } });
    await lingering.next();
    const stopping = s.close({ drainMs: 2000 });
    // New sessions are refused while draining; the live one plays to its end.
    const late = await rawSocket(s.url).catch(() => undefined);
    if (late) expect(await late.next()).toMatchObject({ data: { code: "SHUTTING_DOWN" } });
    await finishing.step({ choice: "answer", content: "225" });
    await stopping;
    expect((await lingering.closed).code).toBe(1001);
    const store = RunStore.open(out);
    expect(store.episodes().map((e) => [e.taskId, e.endReason])).toEqual([
      ["func-1", "done"],
      ["func-2", "aborted"],
    ]);
    store.close();
  });

  test("errors of the client are typed", async () => {
    const s = await serve();
    const c = await EnvClient.connect(s.url);
    const err = await c.step({ choice: "a", content: "b" }).catch((e) => e);
    expect(err).toBeInstanceOf(EnvServerError);
    expect(err.message).toMatch(/\(code: NO_EPISODE\)$/);
    await c.close();
  });
});
