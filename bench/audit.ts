/**
 * What the simulator audit costs: for each gym with an offline user, CPU per step of playing episodes (the
 * baseline agent against the offline user: the gym and its simulated user, no model) beside CPU per step of
 * auditing the same trajectories (every check, the gym's own hooks included). Target: the audit adds under 5%.
 */
import { resolveAgent, resolveUser } from "../src/agents/resolve.js";
import { auditTrajectory } from "../src/audit/checks.js";
import type { Task, Trajectory } from "../src/core/types.js";
import { DataStore } from "../src/data/store.js";
import { getGym } from "../src/gyms/index.js";
import { runEpisode } from "../src/rollout/episode.js";
import { printTable } from "./lib/table.js";

export const describe = "simulator audit CPU per step against the gym's own (offline users), target < 5%";

const GYMS = ["intention", "telepathy", "travel", "tau"];

const cpuMs = (since: NodeJS.CpuUsage): number => {
  const d = process.cpuUsage(since);
  return (d.user + d.system) / 1000;
};

async function play(gymName: string, episodes: number): Promise<{ trajectories: Trajectory[]; tasks: Map<string, Task<unknown>>; ms: number; steps: number }> {
  const gym = getGym(gymName);
  const tasks = (await gym.tasks(DataStore.default())).filter((t) => t.split === "test").slice(0, episodes);
  const agent = await resolveAgent("baseline");
  const user = await resolveUser("offline");
  const trajectories: Trajectory[] = [];
  const t0 = process.cpuUsage();
  for (const [i, task] of tasks.entries()) {
    trajectories.push(
      await runEpisode({
        gym,
        task,
        agent: agent.start(gym, task, i),
        ctx: { mode: "eval", compat: "fixed", maxSteps: 16, seed: i, user: user.roles(gym), options: {} },
        maxTurns: 16,
        id: String(i),
        runId: "bench",
        groupId: task.id,
        sample: 0,
        agentSpec: agent.spec,
      }),
    );
  }
  const ms = cpuMs(t0);
  await agent.close();
  await user.close();
  return { trajectories, tasks: new Map(tasks.map((t) => [t.id, t])), ms, steps: trajectories.reduce((n, t) => n + t.turns.length, 0) };
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

export async function run(args: string[]): Promise<void> {
  const quick = args.includes("--quick");
  const episodes = quick ? 20 : 100;
  // Warm-up passes, then timed rounds. A pass is short (tens of milliseconds), and the gym's code takes a few dozen
  // passes to be fully optimised: timing too early charges the gym for compiling and flatters the audit.
  const warmups = quick ? 10 : 30;
  const rounds = quick ? 7 : 15;
  const rows: (string | number)[][] = [];
  for (const name of GYMS) {
    const gym = getGym(name);
    const first = await play(name, episodes);
    // Each audit pass reads fresh copies of the tasks, as an audit of a stored run does: what a gym's checks build
    // once per task (matchers, the offline answers' facts) is built again and counted. All copies are made before
    // the warm-up, which moves them out of the young generation: the audit is charged for what it allocates, not
    // for collecting the benchmark's copies.
    const copies = Array.from({ length: (warmups + rounds) * 5 }, () => structuredClone(first.tasks));
    const auditPass = (): number => {
      const mine = copies.splice(0, 5);
      const t0 = process.cpuUsage();
      for (const tasks of mine) for (const t of first.trajectories) auditTrajectory(gym, tasks.get(t.taskId), t);
      return cpuMs(t0) / mine.length;
    };
    for (let i = 0; i < warmups; i++) {
      await play(name, episodes);
      auditPass();
    }
    // Rounds alternate the two sides, so both see the same machine; each side's figure is its median round.
    const gymRounds: number[] = [];
    const auditRounds: number[] = [];
    for (let i = 0; i < rounds; i++) {
      gymRounds.push((await play(name, episodes)).ms);
      auditRounds.push(auditPass());
    }
    const gymMs = median(gymRounds);
    const auditMs = median(auditRounds);
    rows.push([name, first.trajectories.length, first.steps, (1000 * gymMs) / first.steps, (1000 * auditMs) / first.steps, `${((100 * auditMs) / gymMs).toFixed(2)}%`, "< 5%"]);
  }
  printTable("Simulator audit CPU per step (baseline agent, offline user)", ["gym", "episodes", "steps", "gym µs/step", "audit µs/step", "audit / gym", "target"], rows);
}
