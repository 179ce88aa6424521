/**
 * The evaluation at the end of training: `userrl eval`'s rollouts and scoring (src/eval) with the trained model
 * as the agent, reached over its OpenAI-compatible endpoint (the training process serves it, or an external
 * server such as vLLM), into `<out>/eval` with report.html and summary.json.
 */
import { rmSync } from "node:fs";
import type { Compat } from "../core/types.js";
import { evaluateRun } from "../eval/load.js";
import { evalJson, writeReports, type EvalJson } from "../eval/reports.js";
import { runRollouts } from "../rollout/run.js";
import type { EvalSettings } from "./options.js";

export interface EvalTarget {
  /** `http://host:port/v1` */
  baseUrl: string;
  model: string;
}

export interface EvalOutcome {
  runDir: string;
  report: string;
  summary: EvalJson;
  /** Agent turns whose reply held a usable `interact_with_env` call, over all agent turns. */
  validCallRate: number;
  episodes: number;
}

export async function evaluateModel(
  target: EvalTarget,
  o: {
    gyms: string[];
    dir: string;
    eval: EvalSettings;
    user?: string;
    judge?: string;
    persona?: string;
    compat: Compat;
    maxTurns: number;
    seed: number;
    prompts: "own" | "dataset";
    signal?: AbortSignal;
    log?: (line: string) => void;
  },
): Promise<EvalOutcome> {
  // A fresh evaluation each time: the endpoint (part of the agent spec) changes between runs.
  rmSync(o.dir, { recursive: true, force: true });
  const agent = `openai:${target.model}@${target.baseUrl}?cache=off&timeout=900&retries=1`;
  await runRollouts(
    {
      gyms: o.gyms,
      agent,
      user: o.user,
      judge: o.judge,
      persona: o.persona,
      split: o.eval.split,
      limit: o.eval.limit,
      samples: 1,
      concurrency: o.eval.concurrency,
      out: o.dir,
      mode: o.eval.mode,
      compat: o.compat,
      maxTurns: o.maxTurns,
      seed: o.seed,
      prompts: o.prompts,
      temperature: 0,
      maxTokens: o.eval.maxTokens,
    },
    { signal: o.signal, note: o.log },
  );
  const evaluated = evaluateRun(o.dir);
  const report = writeReports(evaluated);
  let turns = 0;
  let valid = 0;
  let episodes = 0;
  for (const t of [...evaluated.trajectories.values()].flat()) {
    episodes++;
    turns += t.turns.length;
    valid += t.turns.filter((r) => r.action !== null).length;
  }
  return { runDir: o.dir, report, summary: evalJson(evaluated), validCallRate: turns ? valid / turns : 0, episodes };
}
