/**
 * `--rerun-sim-faults`: after a run, audit its episodes and play each one the simulator audit flags once more, as a
 * new sample (a new seed), so the agent is not charged for the simulator's errors. The re-run takes the episode's
 * place in the run (scores count it); the replaced trajectory and its findings are kept in the `audit_reruns` side
 * table, the new trajectory says so in `meta.simFaultRerun`, and `userrl audit` reports the count. An episode is
 * re-run at most once: a simulator that fails again is reported, not retried forever.
 */
import { createHash } from "node:crypto";
import type { Trajectory } from "../core/types.js";
import { DataStore } from "../data/store.js";
import { episodeKey, storedOutcome } from "../rollout/store.js";
import { planJobs, playJob, type RunConfig, type RunDeps } from "../rollout/runner.js";
import { auditEpisodes, ensureAuditTables, rerunKeys, saveFindings, tasksById } from "./run.js";

export interface RerunSummary {
  /** Episodes of this run the audit flagged before the re-runs. */
  flagged: number;
  /** Episodes re-run now. */
  rerun: number;
  /** Of those, the ones the audit flags again. */
  stillFaulty: number;
}

/** The re-run's seed: derived from the episode's, and different from it. */
function rerunSeed(base: number, key: string): number {
  return createHash("sha256").update(`${base}/${key}/sim-fault-rerun`).digest().readUInt32BE(0);
}

export async function rerunSimFaults(config: RunConfig, deps: RunDeps): Promise<RerunSummary> {
  const { store } = deps;
  const run = store.run();
  if (!run) return { flagged: 0, rerun: 0, stillFaulty: 0 };
  const data = deps.data ?? DataStore.default();
  const jobs = new Map((await planJobs(config, data)).map((j) => [j.key, j]));
  const current = () => [...store.trajectories()];
  const notes: string[] = [];
  const tasks = await tasksById(config.gyms, data, notes);
  ensureAuditTables(store);
  const done = rerunKeys(store);
  const flaggedNow = auditEpisodes(current(), tasks, config.persona).filter((a) => a.findings.length > 0 && jobs.has(a.key));
  const replaced = new Map<string, Trajectory>();
  for (const t of current()) replaced.set(episodeKey(t.gym, t.taskId, t.sample), t);
  let rerun = 0;
  const rerunNow = new Set<string>();
  for (const a of flaggedNow) {
    if (done.has(a.key) || deps.signal?.aborted) continue;
    const job = jobs.get(a.key)!;
    const traj = await playJob(config, deps, run.id, job, rerunSeed(config.seed, a.key));
    if (deps.signal?.aborted || storedOutcome(traj).status === "error") continue;
    traj.meta = { ...traj.meta, simFaultRerun: { findings: a.findings.length, kinds: [...new Set(a.findings.map((f) => f.kind))] } };
    store.db.transaction(() => {
      store.saveEpisode(traj, "done");
      store.db
        .prepare("INSERT OR REPLACE INTO audit_reruns (episode_key, at, findings, replaced) VALUES (?, ?, ?, ?)")
        .run(a.key, new Date().toISOString(), JSON.stringify(a.findings), JSON.stringify(replaced.get(a.key) ?? null));
    })();
    store.logEvent("sim_fault_rerun", { key: a.key, findings: a.findings.length });
    rerun++;
    rerunNow.add(a.key);
  }
  const after = auditEpisodes(current(), tasks, config.persona);
  saveFindings(store, after);
  const stillFaulty = after.filter((a) => rerunNow.has(a.key) && a.findings.length > 0).length;
  return { flagged: flaggedNow.length, rerun, stillFaulty };
}
