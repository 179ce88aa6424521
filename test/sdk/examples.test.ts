/** The examples run offline, as written (examples/agent.test.ts runs as a test file of its own). */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it, vi } from "vitest";
import { main as aiSdkExample } from "../../examples/ai-sdk-agent.js";
import { main as functionExample } from "../../examples/function-agent.js";

const tmp = () => mkdtempSync(join(tmpdir(), "userrl-example-"));

describe("examples", () => {
  it("ai-sdk-agent: an AI SDK agent with its own tool is evaluated on IntentionGym", async () => {
    const log = vi.spyOn(console, "log").mockImplementation(() => {});
    try {
      const summary = await aiSdkExample(tmp());
      expect(summary).toMatchObject({ agent: "checklist-agent", user: "offline", episodes: 5, errors: 0 });
      expect(summary.gyms.intention.score).toBeGreaterThan(0);
      expect(summary.usage.agentPromptTokens).toBeGreaterThan(0);
      expect(log.mock.calls.at(-1)?.[0]).toMatch(/^IntentionGym score \d\.\d{3} over 5 episodes; report: /);
    } finally {
      log.mockRestore();
    }
  });

  it("function-agent: a function calling an OpenAI client is evaluated on FunctionGym", async () => {
    const log = vi.spyOn(console, "log").mockImplementation(() => {});
    try {
      const summary = await functionExample(tmp());
      expect(summary).toMatchObject({ agent: "my-function-agent", episodes: 5, errors: 0 });
      expect(summary.gyms.function.usage.agentPromptTokens).toBeGreaterThan(0);
      expect(log.mock.calls.at(-1)?.[0]).toMatch(/^FunctionGym score 0\.000 over 5 tasks/);
    } finally {
      log.mockRestore();
    }
  });
});
