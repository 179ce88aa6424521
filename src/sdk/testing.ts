/**
 * `userrl/testing`: assertions for test runners (vitest, jest, node:test). They evaluate an agent on a slice of
 * gyms, as `evaluate()` does, and throw an error that lists the worst episodes when the bar is not met.
 *
 *   await expectAgent(aiSdkAgent(model)).toScoreAtLeast(0.6, { gym: "intention", limit: 10, user: "offline" });
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Trajectory } from "../core/types.js";
import { evaluateWithRun, type EvalResult, type EvaluateOptions } from "../eval/evaluate.js";
import { scoringOf } from "../eval/load.js";

export interface ScoreExpectation extends Omit<EvaluateOptions, "agent" | "gyms" | "out"> {
  /** The gym to play (or `gyms` for several; the bar applies to each gym's score). */
  gym?: string;
  gyms?: readonly string[];
  /** Keep the run here (default: a temporary directory, deleted when the bar is met). */
  out?: string;
  /** Episodes listed when the bar is not met (default 5). */
  worst?: number;
}

/** Thrown when an agent does not reach its bar; the message is written for people. */
export class ScoreExpectationError extends Error {
  constructor(
    message: string,
    readonly result: EvalResult,
  ) {
    super(message);
    this.name = "ScoreExpectationError";
  }
}

const clip = (s: string, n = 90) => {
  const one = s.replace(/\s+/g, " ").trim();
  return one.length > n ? `${one.slice(0, n - 1)}…` : one;
};

/** One line on how an episode went, for the failure message. */
function episodeLine(t: Trajectory, score: number): string {
  const last = t.turns.at(-1);
  const how = last?.error
    ? last.error
    : last?.action
      ? `last move ${JSON.stringify(clip(last.action.raw, 60))} → ${JSON.stringify(clip(last.feedback, 80))}`
      : "no move";
  return `  ${t.gym}/${t.taskId}#${t.sample}  score ${score.toFixed(3)}  ${t.endReason} after ${t.turns.length} turn(s); ${how}`;
}

export function expectAgent(agent: EvaluateOptions["agent"]) {
  return {
    /** Resolves to the evaluation's summary when every gym scores at least `bar`; throws with the worst episodes otherwise. */
    async toScoreAtLeast(bar: number, expectation: ScoreExpectation): Promise<EvalResult> {
      const { gym, gyms, out, worst = 5, ...options } = expectation;
      const names = gyms ?? (gym ? [gym] : []);
      if (!Number.isFinite(bar)) throw new Error(`toScoreAtLeast: the bar must be a number (got ${bar})`);
      if (!names.length) throw new Error("toScoreAtLeast: name the gym to play (gym: \"intention\" or gyms: [...])");
      const dir = out ?? mkdtempSync(join(tmpdir(), "userrl-expect-"));
      const { result, run } = await evaluateWithRun({ ...options, agent, gyms: names, out: dir });
      const played = Object.keys(result.gyms);
      const below = played.filter((g) => result.gyms[g].score < bar);
      const unplayed = names.includes("all") ? [] : names.filter((g) => !played.includes(g.toLowerCase()));
      if (!below.length && !unplayed.length && !result.errors) {
        if (!out) rmSync(dir, { recursive: true, force: true });
        return result;
      }
      const slice = `${options.limit !== undefined ? `the first ${options.limit}` : "all"} ${options.split ?? "test"} tasks, user ${result.user}`;
      const lines = [`expected ${result.agent} to score at least ${bar} on ${names.join(", ")} (${slice}):`];
      for (const g of played) {
        const s = result.gyms[g];
        lines.push(`  ${g}: ${s.score.toFixed(3)} ± ${s.stderr.toFixed(3)} over ${s.n} task(s)${s.score < bar ? "  (below the bar)" : ""}`);
      }
      for (const g of unplayed) lines.push(`  ${g}: no episode finished`);
      if (result.errors) {
        lines.push(`${result.errors} episode(s) failed:`);
        for (const f of result.failures) lines.push(`  ${f.key}: ${clip(f.error, 160)}`);
      }
      const scored = [...run.trajectories.values()].flat().map((t) => ({ t, score: scoringOf(t.gym).score(t) }));
      scored.sort((a, b) => a.score - b.score);
      if (scored.length) {
        lines.push(`worst episodes:`);
        for (const { t, score } of scored.slice(0, worst)) lines.push(episodeLine(t, score));
      }
      lines.push(`report: ${result.report}`);
      throw new ScoreExpectationError(lines.join("\n"), result);
    },
  };
}
