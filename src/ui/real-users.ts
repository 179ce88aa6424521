/**
 * The real-user report (the shape of the paper's Table 5): for one agent, each gym's score with simulated
 * users beside its score with people in the user's seat, with 95% intervals and the difference (paired over
 * shared tasks where possible — `eval/compare`), the people's ratings and the turns taken. Runs are pooled by
 * who sat in the user's seat: every `human:<name>` run of the agent on one side, every other run on the other.
 */
import type { Trajectory } from "../core/types.js";
import { summarize, type EvalSummary } from "../eval/aggregate.js";
import { compareRuns, type GymDelta } from "../eval/compare.js";
import { scoringOf, type EvaluatedRun } from "../eval/load.js";
import { RunStore } from "../rollout/store.js";
import { ratingsOf, type Rating } from "./ratings.js";
import type { RunIndex } from "./runs.js";

export const isHumanUser = (user: string): boolean => user.startsWith("human:");

export interface SideStats {
  score: number;
  ci95: [number, number];
  tasks: number;
  episodes: number;
  meanTurns: number;
}

export interface RealUserRow {
  gym: string;
  simulated?: SideStats;
  human?: SideStats;
  delta?: Pick<GymDelta, "delta" | "stderr" | "ci95" | "paired" | "tasks">;
  /** Means over the people's ratings (null without any). */
  ratings: { n: number; satisfaction: number | null; efficient: number | null };
}

export interface RealUserReport {
  agent: string;
  /** Agents that have at least one run with a person in the user's seat. */
  agents: string[];
  simulatedUsers: string[];
  people: string[];
  gyms: RealUserRow[];
  comments: { gym: string; taskId: string; person: string; rating: Rating }[];
}

interface Pool {
  users: Set<string>;
  byGym: Map<string, Trajectory[]>;
}

function pooled(pool: Pool, agent: string, user: string): EvaluatedRun {
  const summary: EvalSummary = summarize(new Map([...pool.byGym].map(([g, ts]) => [g, { scoring: scoringOf(g), trajectories: ts }])));
  return { dir: user, run: { id: user, createdAt: "", config: {}, codeVersion: "", dataVersions: {} }, agent, user, mode: "eval", compat: "fixed", summary, trajectories: pool.byGym };
}

function side(s: EvalSummary, gym: string): SideStats | undefined {
  const g = s.gyms[gym];
  return g ? { score: g.score, ci95: g.ci95, tasks: g.n, episodes: g.episodes, meanTurns: g.meanTurns } : undefined;
}

export function realUserReport(index: RunIndex, agent?: string): RealUserReport {
  const listings = index.list();
  const agents = [...new Set(listings.filter((r) => isHumanUser(r.user)).map((r) => r.agent))].sort();
  const chosen = agent ?? agents[0] ?? "";
  const sim: Pool = { users: new Set(), byGym: new Map() };
  const hum: Pool = { users: new Set(), byGym: new Map() };
  const ratingsByGym = new Map<string, Rating[]>();
  const comments: RealUserReport["comments"] = [];
  for (const r of listings.filter((l) => l.agent === chosen)) {
    const human = isHumanUser(r.user);
    const pool = human ? hum : sim;
    pool.users.add(human ? r.user.slice("human:".length) : r.user);
    const run = index.evaluate(r.id);
    for (const [gym, ts] of run.trajectories) pool.byGym.set(gym, [...(pool.byGym.get(gym) ?? []), ...ts]);
    if (!human) continue;
    const store = RunStore.open(r.dir);
    try {
      for (const [key, rating] of ratingsOf(store.db)) {
        const [gym, ...rest] = key.split("/");
        rest.pop();
        ratingsByGym.set(gym, [...(ratingsByGym.get(gym) ?? []), rating]);
        if (rating.comment) comments.push({ gym, taskId: rest.join("/"), person: r.user.slice("human:".length), rating });
      }
    } finally {
      store.close();
    }
  }
  const a = pooled(sim, chosen, "simulated");
  const b = pooled(hum, chosen, "human");
  const deltas = new Map(compareRuns(a, b).gyms.map((d) => [d.gym, d]));
  const gyms = [...new Set([...hum.byGym.keys(), ...sim.byGym.keys()])].sort();
  const mean = (xs: number[]) => (xs.length ? xs.reduce((s, x) => s + x, 0) / xs.length : null);
  return {
    agent: chosen,
    agents,
    simulatedUsers: [...sim.users].sort(),
    people: [...hum.users].sort(),
    gyms: gyms.map((gym) => {
      const d = deltas.get(gym);
      const rs = ratingsByGym.get(gym) ?? [];
      return {
        gym,
        simulated: side(a.summary, gym),
        human: side(b.summary, gym),
        ...(d ? { delta: { delta: d.delta, stderr: d.stderr, ci95: d.ci95, paired: d.paired, tasks: d.tasks } } : {}),
        ratings: { n: rs.length, satisfaction: mean(rs.map((x) => x.satisfaction)), efficient: mean(rs.map((x) => (x.efficient ? 1 : 0))) },
      };
    }),
    comments: comments.sort((x, y) => (x.rating.at < y.rating.at ? 1 : -1)).slice(0, 200),
  };
}
