/**
 * Agent quality as an ordinary test (vitest here; jest works the same): each expectation evaluates the agent on a
 * slice of a gym and fails with the worst episodes listed when the bar is not met.
 *
 *   npx vitest run examples/agent.test.ts
 */
import { describe, it } from "vitest";
import { expectAgent } from "userrl/testing";
import { checklistAgent } from "./ai-sdk-agent.js";

describe("agents meet their bars", () => {
  it("the checklist agent uncovers missing details on IntentionGym", async () => {
    await expectAgent(checklistAgent()).toScoreAtLeast(0.3, { gym: "intention", limit: 10, user: "offline" });
  });

  it("the scripted baseline solves FunctionGym", async () => {
    await expectAgent("baseline").toScoreAtLeast(0.9, { gym: "function", limit: 5 });
  });
});
