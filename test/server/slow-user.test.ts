/** A gym with an LLM simulated user: slow replies are waited for, a stuck one hits the step timeout, and neither stalls other sessions. */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { expect, test } from "vitest";
import { ModelError, type ChatModel } from "../../src/models/types.js";
import { EnvClient } from "../../src/server/client.js";
import { serve, tmp } from "./helpers.js";

function userScript(delayMs: number): string {
  const file = join(tmp("userrl-slow-"), "user.json");
  writeFileSync(file, JSON.stringify({ replies: [{ text: '{"thought": "Thinking.", "response": "No"}', delayMs }], loop: true }));
  return `scripted:${file}`;
}

test("a slow simulated user is waited for; a stuck one ends its episode at the step timeout while other sessions play on", async () => {
  const slow = await serve({ gyms: ["telepathy", "function"], user: userScript(300), stepTimeoutMs: 5_000 });
  const c = await EnvClient.connect(slow.url);
  await c.reset({ gym: "telepathy", split: "test", seed: 1 });
  const answered = await c.step({ choice: "action", content: "Is it alive?" });
  expect(answered).toMatchObject({ done: false, observation: { feedback: "No", end_reason: null } });
  await c.close();

  const stuck = await serve({ gyms: ["telepathy", "function"], user: userScript(60_000), stepTimeoutMs: 2_000 });
  const waiting = await EnvClient.connect(stuck.url);
  const other = await EnvClient.connect(stuck.url);
  await waiting.reset({ gym: "telepathy", split: "test", seed: 1 });
  await other.reset({ gym: "function", task_id: "func-1" });
  let stuckAnswered = false;
  const pending = waiting.step({ choice: "action", content: "Is it alive?" }).finally(() => (stuckAnswered = true));
  // While one session waits on its user, another is answered at once.
  const quick = await other.step({ choice: "search", content: "test" });
  expect(quick.observation).toMatchObject({ feedback: "Test case: [3, 5, 5, 3]" });
  expect(stuckAnswered).toBe(false);
  const timedOut = await pending;
  expect(timedOut).toMatchObject({ done: true, reward: 0, observation: { end_reason: "env_error", error: expect.stringMatching(/gym step took longer than 2000 ms/) } });
  await Promise.all([waiting.close(), other.close()]);
});

test("a user model that cannot be loaded ends the episode and the client hears why; the session plays on after a reset", async () => {
  const s = await serve({ gyms: ["telepathy", "function"], user: userScript(0) });
  const unavailable: ChatModel = {
    spec: "local:missing",
    chat: async () => {
      throw new ModelError("the model file is missing", "unavailable");
    },
  };
  const roles = s.catalog.user.roles;
  s.catalog.user.roles = (gym) => (gym.name === "telepathy" ? { kind: "llm", spec: "local:missing", user: unavailable, judge: unavailable } : roles(gym));
  const c = await EnvClient.connect(s.url);
  await c.reset({ gym: "telepathy", split: "test", seed: 1 });
  await expect(c.step({ choice: "action", content: "Is it alive?" })).rejects.toThrow(/the model file is missing/);
  await expect(c.step({ choice: "action", content: "Is it alive?" })).rejects.toThrow(/has ended \(env_error\)/);
  await c.reset({ gym: "function", task_id: "func-1" });
  expect((await c.step({ choice: "search", content: "test" })).observation).toMatchObject({ feedback: "Test case: [3, 5, 5, 3]" });
  await c.close();
});
