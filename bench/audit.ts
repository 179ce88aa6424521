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

export async function run(args: string[]): Promise<void> {
  const episodes = args.includes("--quick") ? 20 : 100;
  const rows: (string | number)[][] = [];
  for (const name of GYMS) {
    // Both sides are measured warm and by their quickest of several passes: CPU time on a shared machine swings
    // from pass to pass with what else runs, and the quickest pass is the one least disturbed. A first pass over
    // the same episodes loads the data and lets the JIT settle.
    await play(name, episodes);
    const passes: Awaited<ReturnType<typeof play>>[] = [];
    for (let i = 0; i < 5; i++) passes.push(await play(name, episodes));
    const p = passes[0];
    const gymMs = Math.min(...passes.map((x) => x.ms));
    const gym = getGym(name);
    // Each pass audits fresh copies of the tasks, as an audit of a stored run does: what a gym's checks build
    // once per task (matchers, the offline answers' facts) is built again and counted.
    const audit = (tasks: Map<string, Task<unknown>>) => {
      for (const t of p.trajectories) auditTrajectory(gym, tasks.get(t.taskId), t);
    };
    for (let i = 0; i < 5; i++) audit(structuredClone(p.tasks)); // warm-up: a pass is short, the JIT needs several
    // The copies are made before timing, so the audit is not charged for allocating them; a pass audits five, so
    // that it lasts long enough to carry its share of garbage collection.
    const passesOfCopies = Array.from({ length: 5 }, () => Array.from({ length: 5 }, () => structuredClone(p.tasks)));
    const auditMs =
      Math.min(
        ...passesOfCopies.map((copies) => {
          const t0 = process.cpuUsage();
          for (const tasks of copies) audit(tasks);
          return cpuMs(t0);
        }),
      ) / 5;
    rows.push([name, p.trajectories.length, p.steps, (1000 * gymMs) / p.steps, (1000 * auditMs) / p.steps, `${((100 * auditMs) / gymMs).toFixed(2)}%`, "< 5%"]);
  }
  printTable("Simulator audit CPU per step (baseline agent, offline user)", ["gym", "episodes", "steps", "gym µs/step", "audit µs/step", "audit / gym", "target"], rows);
}
