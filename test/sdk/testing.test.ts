import { existsSync } from "node:fs";
import { dirname } from "node:path";
import { describe, expect, it } from "vitest";
import { functionAgent } from "../../src/sdk/function-agent.js";
import { expectAgent, ScoreExpectationError } from "../../src/sdk/testing.js";

describe("expectAgent(...).toScoreAtLeast", () => {
  it("resolves to the evaluation when the bar is met, and leaves no temporary run behind", async () => {
    const result = await expectAgent("baseline").toScoreAtLeast(0.9, { gym: "function", limit: 3 });
    expect(result.gyms.function.score).toBe(1);
    expect(existsSync(dirname(result.report))).toBe(false);
  });

  it("fails with a message that names the bar, the score and the worst episodes, and keeps the run", async () => {
    // Asks one fixed question, then gives up: a weak Intention agent.
    const weak = functionAgent((_m, _t, { turn }) => (turn === 1 ? { choice: "action", content: "What is your budget?" } : { choice: "finish", content: "" }), { name: "weak" });
    const err = await expectAgent(weak)
      .toScoreAtLeast(0.6, { gym: "intention", limit: 4, user: "offline", worst: 2 })
      .then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(ScoreExpectationError);
    const message = (err as Error).message;
    const lines = message.split("\n");
    expect(lines[0]).toBe("expected weak to score at least 0.6 on intention (the first 4 test tasks, user offline):");
    expect(lines[1]).toMatch(/^ {2}intention: 0\.\d{3} ± 0\.\d{3} over 4 task\(s\) {2}\(below the bar\)$/);
    expect(lines[2]).toBe("worst episodes:");
    expect(lines.slice(3, 5)).toHaveLength(2);
    for (const l of lines.slice(3, 5)) expect(l).toMatch(/^ {2}intention\/\S+#0 {2}score 0\.\d{3} {2}done after 2 turn\(s\); last move "\[finish\]" → "Session ended\./);
    expect(lines[5]).toMatch(/^report: .*report\.html$/);
    expect(existsSync((err as ScoreExpectationError).result.report)).toBe(true);
  });

  it("an agent whose episodes fail does not pass, whatever the bar; the failures are listed", async () => {
    const broken = functionAgent(() => {
      throw new Error("no API key");
    }, { name: "broken" });
    await expect(expectAgent(broken).toScoreAtLeast(0, { gym: "function", limit: 2 })).rejects.toThrow(
      /function: no episode finished\n2 episode\(s\) failed:\n {2}function\/\S+: agent failed: no API key/,
    );
    await expect(expectAgent("baseline").toScoreAtLeast(0.5, { limit: 1 })).rejects.toThrow(/name the gym/);
  });
});
