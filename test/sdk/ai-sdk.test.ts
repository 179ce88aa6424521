import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { generateText, stepCountIs, ToolLoopAgent } from "ai";
import { describe, expect, it } from "vitest";
import { DataStore } from "../../src/data/store.js";
import { evaluateWithRun } from "../../src/eval/evaluate.js";
import { scoringOf } from "../../src/eval/load.js";
import { getGym } from "../../src/gyms/index.js";
import { aiSdkAgent, gymTools, interactTool } from "../../src/sdk/ai.js";
import { advisedAgent } from "./advisor.js";

const tmp = () => mkdtempSync(join(tmpdir(), "userrl-sdk-"));
const testTasks = async (gym: string) => (await getGym(gym).tasks(DataStore.default())).filter((t) => t.split === "test");

/** Task id → episode score of a scored run. */
function scores(run: Awaited<ReturnType<typeof evaluateWithRun>>["run"]): Record<string, number> {
  return Object.fromEntries([...run.trajectories.values()].flat().map((t) => [t.taskId, scoringOf(t.gym).score(t)]));
}

describe("the AI SDK adapter", () => {
  for (const name of ["function", "intention"]) {
    it(`an AI SDK agent with a tool of its own plays ${name} and is scored like any other agent`, async () => {
      const gym = getGym(name);
      const advised = advisedAgent(gym, await testTasks(name));
      const agent = aiSdkAgent(advised.model, { tools: advised.tools, name: "ai-sdk:advised" });
      const base = await evaluateWithRun({ gyms: name, agent: "baseline", limit: 3, out: tmp() });
      const ai = await evaluateWithRun({ gyms: name, agent, limit: 3, concurrency: 1, out: tmp() });
      expect(ai.result.agent).toBe("ai-sdk:advised");
      expect(ai.result.episodes).toBe(3);
      expect(scores(ai.run)).toEqual(scores(base.run));
      expect(ai.result.gyms[name].score).toBe(base.result.gyms[name].score);
      expect(ai.result.gyms[name].score).toBeGreaterThan(0);
      // Its own tool ran inside every turn, two model calls a turn, and the tokens were counted.
      const turns = [...ai.run.trajectories.values()].flat().flatMap((t) => t.turns);
      expect(advised.advice).toBe(turns.length);
      for (const t of turns) {
        expect(t.info.agentSteps).toBe(2);
        expect((t.info.agentTools as { tool: string }[]).map((x) => x.tool)).toEqual(["advisor"]);
      }
      expect(ai.result.usage.agentPromptTokens).toBe(turns.length * 20);
      expect(ai.result.usage.agentCompletionTokens).toBe(turns.length * 10);
    });
  }

  it("an AI SDK agent (ToolLoopAgent) with interactTool plays too; one without it is refused before anything runs", async () => {
    const gym = getGym("function");
    const advised = advisedAgent(gym, await testTasks("function"));
    const loop = new ToolLoopAgent({ model: advised.model, tools: { ...advised.tools, interact_with_env: interactTool }, allowSystemInMessages: true });
    const r = await evaluateWithRun({ gyms: "function", agent: aiSdkAgent(loop, { name: "loop" }), limit: 2, concurrency: 1, out: tmp() });
    expect(r.result.gyms.function.score).toBe(1);
    const bare = new ToolLoopAgent({ model: advised.model, tools: advised.tools });
    expect(() => aiSdkAgent(bare)).toThrow(/no interact_with_env tool; add `interact_with_env: interactTool`/);
    expect(() => aiSdkAgent(advised.model, { tools: { interact_with_env: interactTool } })).toThrow(/is the gym's tool/);
  });

  it("a model that answers without the tool ends its episode like any agent (no_tool_call), and a failing model is an agent error", async () => {
    const { MockLanguageModelV3 } = await import("ai/test");
    const usage = { inputTokens: { total: 3, noCache: 3, cacheRead: undefined, cacheWrite: undefined }, outputTokens: { total: 2, text: 2, reasoning: undefined } };
    const talker = new MockLanguageModelV3({ doGenerate: { content: [{ type: "text", text: "Let me think." }], finishReason: { unified: "stop", raw: "stop" }, usage, warnings: [] } });
    const r = await evaluateWithRun({ gyms: "function", agent: aiSdkAgent(talker), limit: 1, out: tmp() });
    const t = [...r.run.trajectories.values()].flat()[0];
    expect(t.endReason).toBe("no_tool_call");
    expect(t.messages.at(-1)).toMatchObject({ role: "assistant", content: "Let me think." });
    expect(r.result.agent).toBe("ai-sdk:mock-provider/mock-model-id");
    const broken = new MockLanguageModelV3({ doGenerate: async () => Promise.reject(new Error("provider down")) });
    const b = await evaluateWithRun({ gyms: "function", agent: aiSdkAgent(broken, { name: "broken" }), limit: 1, out: tmp() });
    expect(b.result.errors).toBe(1);
    expect(b.result.failures[0].error).toMatch(/provider down/);
  });
});

describe("gymTools", () => {
  it("hands a gym episode to an app's own generateText loop; the session scores it as the baseline's episode", async () => {
    const gym = getGym("intention");
    const tasks = await testTasks("intention");
    const advised = advisedAgent(gym, tasks);
    const { tools, session } = await gymTools({ gym: "intention", task: tasks[1].id, user: "offline" });
    expect(session.system).toBe(gym.systemPrompt(tasks[1]));
    expect(session.prompt).toBe(gym.firstMessage(tasks[1]));
    await generateText({
      model: advised.model,
      system: session.system,
      prompt: session.prompt,
      tools: { ...advised.tools, ...tools },
      stopWhen: [stepCountIs(64), () => session.done],
    });
    expect(session.done).toBe(true);
    const result = await session.finish();
    const base = await evaluateWithRun({ gyms: "intention", agent: "baseline", taskIds: [tasks[1].id], out: tmp() });
    expect(result.score).toBe(scores(base.run)[tasks[1].id]);
    expect(result.score).toBeGreaterThan(0);
    expect(result.trajectory.turns.map((t) => t.action?.raw)).toEqual([...base.run.trajectories.values()][0][0].turns.map((t) => t.action?.raw));
    expect(await session.step({ choice: "action", content: "anything else?" })).toMatch(/episode has ended/);
  });

  it("finish() ends an episode the app left unfinished, as an agent that stops calling the tool", async () => {
    const { tools, session } = await gymTools({ gym: "function" });
    const feedback = await tools.interact_with_env.execute!({ choice: "search", content: "test" }, { toolCallId: "1", messages: [] });
    expect(feedback).toMatch(/\d/);
    expect(session.done).toBe(false);
    const r = await session.finish();
    expect(r.endReason).toBe("no_tool_call");
    expect(r.score).toBe(0);
    expect(r.trajectory.turns).toHaveLength(2);
    await expect(gymTools({ gym: "function", task: "no-such-task" })).rejects.toThrow(/has no test task "no-such-task"/);
    await expect(gymTools({ gym: "function", maxTurns: 0 })).rejects.toThrow(/maxTurns/);
    // The checks a run makes before its first episode.
    await expect(gymTools({ gym: "intention", gymOptions: { nope: 1 } })).rejects.toThrow(/unknown intention option "nope"/);
    await expect(gymTools({ gym: "persuade", user: "offline" })).rejects.toThrow(/persuade" has no offline user/);
  });
});
