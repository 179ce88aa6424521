/**
 * `evaluate()`: the library's `userrl eval`. It runs (or resumes) the rollouts with the evaluation settings — eval
 * mode, temperature 0 for spec agents unless told — scores them as the paper does, writes `report.html` and
 * `summary.json` into the run directory, and returns the object `userrl eval --json` prints. The agent is a spec
 * string or an agent living in this process (an AI SDK model or agent, a plain function, a session factory).
 */
import { z } from "zod";
import type { AgentFactory } from "../agents/resolve.js";
import { COMPAT_VALUES, type AgentSession, type Compat, type EndReason, type GymDefinition, type Task } from "../core/types.js";
import { issuesText } from "../core/validate.js";
import { runRollouts, type RolloutsSummary, type RunHooks, type RunRequest } from "../rollout/run.js";
import { DEFAULT_RUN, type Progress, type RunSummary } from "../rollout/runner.js";
import { evaluateRun, scoringOf, type EvaluatedRun } from "./load.js";
import { evalJson, writeReports, type EvalJson } from "./reports.js";

/** An agent living in this process (`aiSdkAgent`, `functionAgent`, your own object); it stays yours to close. */
export type InProcessAgent = Pick<AgentFactory, "spec" | "start"> & Partial<Pick<AgentFactory, "model" | "close">>;

/** A session factory: a fresh agent session for each episode. */
export type AgentStart = (task: Task<unknown>, info: { gym: GymDefinition<unknown>; seed: number }) => AgentSession;

/** `userrl eval`'s settings (a run's request, always in eval mode; defaults as on the command line), the agent, events and the report path. */
export interface EvaluateOptions extends Partial<Omit<RunRequest, "gyms" | "agent" | "mode" | "out">>, Pick<RunHooks, "signal"> {
  /** Gym names, or `all` (every gym that can run with this user). */
  gyms: string | readonly string[];
  /** A spec (`baseline`, `openai:…`, `local:…`), an in-process agent (`aiSdkAgent`, `functionAgent`, your own), or a session factory. */
  agent: string | InProcessAgent | AgentStart;
  /** The run directory: created, or resumed when it exists. */
  out: string;
  /** The name recorded for a session-factory agent (default `in-process:<function name>`); a resumed run must give the same. */
  agentName?: string;
  /** Where report.html goes (default `<out>/report.html`). */
  html?: string;
  onEvent?: (event: EvalEvent) => void;
}

export type EvalEvent =
  /** Something worth telling the person running it (e.g. what `all` left out). */
  | { type: "note"; message: string }
  /** The run's counters, after every episode (and once at the start). */
  | { type: "progress"; progress: Omit<Progress, "last"> }
  /** An episode was stored: its score under the gym's scoring. */
  | { type: "episode"; gym: string; taskId: string; sample: number; score: number; endReason: EndReason; turns: number };

/** What `userrl eval --json` prints. */
export interface EvalResult extends EvalJson {
  /** Episodes of this evaluation not finished yet (interrupted or failed; the same call resumes them). */
  pending: number;
  /** Episodes that failed in this call. */
  errors: number;
  failures: RunSummary["failures"];
  aborted: boolean;
  /** Path of report.html. */
  report: string;
  /** What `rerunSimFaults` did (only with it). */
  simFaultReruns?: RolloutsSummary["simFaultReruns"];
}

const int = (min: number) => z.number().int().min(min);
const optionsSchema = z.object({
  gyms: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]),
  agentName: z.string().min(1).optional(),
  out: z.string().min(1),
  user: z.string().min(1).optional(),
  judge: z.string().min(1).optional(),
  split: z.enum(["train", "test"]).optional(),
  limit: int(0).optional(),
  taskIds: z.array(z.string()).optional(),
  samples: int(1).optional(),
  concurrency: int(1).optional(),
  compat: z.enum(COMPAT_VALUES as [Compat, ...Compat[]]).optional(),
  maxTurns: int(1).optional(),
  seed: int(0).optional(),
  prompts: z.enum(["own", "dataset"]).optional(),
  temperature: z.number().min(0).max(2).optional(),
  maxTokens: int(1).optional(),
  gymOptions: z.record(z.string(), z.record(z.string(), z.unknown())).optional(),
  stepTimeoutMs: z.number().positive().finite().optional(),
  html: z.string().min(1).optional(),
  persona: z.union([z.string(), z.object({ id: z.string().min(1), instructions: z.string(), traits: z.record(z.string(), z.record(z.string(), z.unknown())) })]).optional(),
  rerunSimFaults: z.boolean().optional(),
});

/** The agent as the runner takes it (which leaves an agent given to it open: closing it is the caller's business). */
export function agentFactory(agent: unknown, name?: string): string | AgentFactory {
  if (typeof agent === "string" && agent.trim()) return agent;
  const leaveOpen = async () => {};
  if (typeof agent === "function") {
    const start = agent as AgentStart;
    return { spec: name ?? `in-process:${start.name || "agent"}`, start: (gym, task, seed) => start(task, { gym, seed }), close: leaveOpen };
  }
  const a = agent as Partial<InProcessAgent> | null;
  if (a && typeof a === "object" && typeof a.spec === "string" && a.spec.trim() && typeof a.start === "function") {
    const start = a.start.bind(a);
    return { spec: a.spec, model: a.model, start, close: leaveOpen };
  }
  throw new Error("evaluate: agent must be a spec string, an agent ({ spec, start(gym, task, seed) }) or a function (task, { gym, seed }) => session");
}

/** `evaluate`, also handing back the scored run (for the CLI's table and the test assertions' worst episodes). */
export async function evaluateWithRun(options: EvaluateOptions): Promise<{ result: EvalResult; run: EvaluatedRun }> {
  const parsed = optionsSchema.safeParse(options);
  if (!parsed.success) throw new Error(`evaluate: ${issuesText(parsed.error)}`);
  // The run's settings as given (checked above; settings this schema does not know, such as a later RunRequest
  // field, reach runRollouts, which checks the whole config). One given as undefined keeps its default.
  const { agent, agentName, gyms, html, onEvent, signal, ...given } = options;
  const settings = Object.fromEntries(Object.entries(given).filter(([, v]) => v !== undefined)) as typeof given;
  const emit = onEvent ?? (() => {});
  let last: Progress["last"];
  const summary = await runRollouts(
    {
      ...DEFAULT_RUN,
      ...settings,
      gyms: typeof gyms === "string" ? [gyms] : [...gyms],
      agent: agentFactory(agent, agentName),
      mode: "eval",
    },
    {
      signal,
      note: (message) => emit({ type: "note", message }),
      onProgress: ({ last: t, ...progress }) => {
        if (t && t !== last) {
          last = t;
          emit({ type: "episode", gym: t.gym, taskId: t.taskId, sample: t.sample, score: scoringOf(t.gym).score(t), endReason: t.endReason, turns: t.turns.length });
        }
        emit({ type: "progress", progress });
      },
    },
  );
  const run = evaluateRun(options.out);
  const report = writeReports(run, html);
  const result: EvalResult = {
    ...evalJson(run),
    pending: summary.pending,
    errors: summary.errors,
    failures: summary.failures,
    aborted: summary.aborted,
    report,
    ...(summary.simFaultReruns ? { simFaultReruns: summary.simFaultReruns } : {}),
  };
  return { result, run };
}

/** Evaluate an agent as `userrl eval` does; resolves to the summary `userrl eval --json` prints. */
export async function evaluate(options: EvaluateOptions): Promise<EvalResult> {
  return (await evaluateWithRun(options)).result;
}
