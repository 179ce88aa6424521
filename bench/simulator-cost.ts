/**
 * What the simulated users and judges cost per episode, per prompt layout, against the reference
 * (spec/reference-perf.md). Every gym case in `bench/cost-cases/` plays the same scripted episodes — the
 * agent's moves and the simulator's replies are fixed per task and call — against the fake
 * OpenAI-compatible server, once per layout, and the table shows the server's prompt tokens per episode,
 * role calls per step, per-step latency and the rewards, which must not depend on the layout.
 *
 * Usage: npm run bench -- simulator-cost [--latency ms] [--tasks n] [--gym name] [--concurrency c]
 * (default: 200 ms, the first 20 test tasks, every case, one episode at a time — the reference's c=1 setting).
 * Token counts are the fake server's (4 characters a token, +3 per message), so layouts compare exactly;
 * the reference's figures were counted with o200k_base, which gives somewhat fewer tokens for English.
 */
import { toolCallMessage } from "../src/agents/message.js";
import { parseBracketAction } from "../src/core/action.js";
import type { AgentSession, GymContext, Task } from "../src/core/types.js";
import { DataStore } from "../src/data/store.js";
import { Semaphore } from "../src/core/semaphore.js";
import { getGym } from "../src/gyms/index.js";
import { startFakeServer, type FakeReply } from "../src/models/fake-server.js";
import { createModel } from "../src/models/spec.js";
import { runEpisode } from "../src/rollout/episode.js";
import { COST_CASES } from "./cost-cases/index.js";
import type { CostCase } from "./cost-cases/types.js";
import { percentile, printTable } from "./lib/table.js";

export const describe = "simulator prompt tokens, calls and latency per episode, per prompt layout, vs the reference";

interface EpisodeCost {
  steps: number;
  calls: number;
  promptTokens: number;
  stepLatencies: number[];
  rewards: number[];
  fallbacks: number;
}

interface LayoutResult {
  layout: string;
  episodes: EpisodeCost[];
}

/** An agent that plays a fixed list of bracket-form moves. */
function scriptedAgent(moves: string[]): AgentSession {
  let i = 0;
  return {
    act: async () => {
      const a = parseBracketAction(moves[Math.min(i++, moves.length - 1)]);
      return { message: toolCallMessage(a.choice ?? "action", a.content) };
    },
  };
}

function argValue(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}

async function runLayout(
  c: CostCase,
  tasks: Task<unknown>[],
  url: string,
  layout: string,
  options: Record<string, unknown>,
  concurrency: number,
): Promise<LayoutResult> {
  const gym = getGym(c.gym);
  const limit = new Semaphore(concurrency);
  const episodes = await Promise.all(
    tasks.map((task, i) => limit.run(async (): Promise<EpisodeCost> => {
      // The model name tells the server which case, layout and episode a request belongs to.
      const model = await createModel(`openai:${c.gym}~${layout}~${i}@${url}?retries=0&concurrency=256`, { cache: null });
      const ctx: GymContext = { mode: "train", compat: "fixed", maxSteps: 16, seed: i, user: { kind: "llm", spec: model.spec, user: model, judge: model }, options };
      const moves = c.actions(task, i);
      const t = await runEpisode({
        gym,
        task,
        agent: scriptedAgent(moves),
        ctx,
        maxTurns: moves.length,
        id: `${layout}-${i}`,
        runId: "simulator-cost",
        groupId: task.id,
        sample: 0,
        agentSpec: "scripted",
      });
      await model.close?.();
      const steps = t.turns.filter((x) => x.action);
      return {
        steps: steps.length,
        calls: steps.reduce((n, x) => n + (x.roleCalls?.length ?? 0), 0),
        promptTokens: steps.reduce((n, x) => n + (x.roleCalls ?? []).reduce((k, r) => k + r.usage.promptTokens, 0), 0),
        stepLatencies: steps.map((x) => x.envLatencyMs ?? 0),
        rewards: t.turns.map((x) => x.reward),
        fallbacks: steps.reduce((n, x) => n + (x.fallbacks?.length ?? 0), 0),
      };
    })),
  );
  return { layout, episodes };
}

const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : NaN);

export async function run(args: string[]): Promise<void> {
  const latencyMs = Number(argValue(args, "--latency") ?? 200);
  const concurrency = Number(argValue(args, "--concurrency") ?? 1);
  const only = argValue(args, "--gym");
  const cases = COST_CASES.filter((c) => !only || c.gym === only);
  if (!cases.length) throw new Error(`no simulator-cost case for gym "${only}" (cases: ${COST_CASES.map((c) => c.gym).join(", ")})`);
  const data = DataStore.default();
  const taskLists = new Map<string, Task<unknown>[]>();
  for (const c of cases) {
    const n = Number(argValue(args, "--tasks") ?? c.tasks ?? 20);
    taskLists.set(c.gym, (await getGym(c.gym).tasks(data)).filter((t) => t.split === "test").slice(0, n));
  }
  const calls = new Map<string, number>();
  const server = await startFakeServer({
    latencyMs,
    keepRequests: 0,
    responder: ({ body }): FakeReply => {
      const name = String(body.model);
      const [gym, , ep] = name.split("~");
      const c = cases.find((x) => x.gym === gym)!;
      const call = calls.get(name) ?? 0;
      calls.set(name, call + 1);
      const episode = Number(ep);
      const task = taskLists.get(gym)![episode];
      return { text: c.reply({ task, episode, call, messages: body.messages as { role: string; content: string }[] }) };
    },
  });
  try {
    const rows: (string | number)[][] = [];
    const notes: string[] = [];
    for (const c of cases) {
      const tasks = taskLists.get(c.gym)!;
      const results: LayoutResult[] = [];
      for (const [layout, options] of Object.entries(c.layouts)) results.push(await runLayout(c, tasks, server.url, layout, options, concurrency));
      const base = results[0];
      for (const r of results) {
        const eps = r.episodes;
        const steps = eps.reduce((n, e) => n + e.steps, 0);
        const tokens = eps.map((e) => e.promptTokens);
        const lat = eps.flatMap((e) => e.stepLatencies);
        const same = eps.every((e, i) => JSON.stringify(e.rewards) === JSON.stringify(base.episodes[i].rewards));
        rows.push([
          c.gym,
          r === base && r.layout !== "default" ? `${r.layout} (default)` : r.layout,
          eps.length,
          steps / eps.length,
          eps.reduce((n, e) => n + e.calls, 0) / steps,
          Math.round(mean(tokens)),
          percentile(tokens, 0.95),
          mean(lat),
          percentile(lat, 0.5),
          mean(eps.map((e) => e.rewards.reduce((a, b) => a + b, 0))),
          eps.reduce((n, e) => n + e.fallbacks, 0),
          r === base ? "—" : same ? "yes" : "NO",
        ]);
      }
      const ref = c.reference;
      if (ref) rows.push([c.gym, "reference (spec)", 20, ref.stepsPerEpisode, ref.callsPerStep, ref.promptTokensPerEpisode, "", ref.stepLatencyMs, "", "", 0, ""]);
      for (const r of results.slice(1)) {
        notes.push(
          `${c.gym}: ${base.layout} sends ${(mean(r.episodes.map((e) => e.promptTokens)) / mean(base.episodes.map((e) => e.promptTokens))).toFixed(2)}× fewer prompt tokens per episode than ${r.layout}`,
        );
      }
      if (ref) notes.push(
        `${c.gym}: ${base.layout} against the reference's ${ref.promptTokensPerEpisode.toLocaleString("en-US")} tokens/episode: ${(ref.promptTokensPerEpisode / mean(base.episodes.map((e) => e.promptTokens))).toFixed(2)}× fewer (per step: ${(ref.promptTokensPerEpisode / ref.stepsPerEpisode / (mean(base.episodes.map((e) => e.promptTokens)) / mean(base.episodes.map((e) => e.steps)))).toFixed(2)}×)`,
      );
    }
    printTable(
      `Simulator cost per episode (fake server, ${latencyMs} ms per call, ${concurrency} episode(s) at a time; same scripted episodes in every layout)`,
      ["gym", "layout", "episodes", "steps/ep", "calls/step", "prompt tok/ep", "p95", "step ms mean", "step ms p50", "reward/ep", "fallbacks", "rewards = default"],
      rows,
    );
    for (const n of notes) console.log(n);
    console.log("tokens: fake server count (4 chars/token); reference: o200k_base, 200 ms latency, c=1, stalls included in its step time");
  } finally {
    await server.close();
  }
}
