/**
 * Audit a stored run: every finished episode's turns through the checks (checks.ts), the findings written to the
 * run store's `audit_findings` side table (episode key, turn, kind, detail — the episodes and turns tables are
 * untouched, so older readers still read the run), and per gym the counts by kind, the share of episodes with a
 * simulator fault, and the score with those episodes set aside.
 */
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import type { AuditKind, GymDefinition, PersonaView, Task, Trajectory } from "../core/types.js";
import { DataStore } from "../data/store.js";
import { evaluateGym } from "../eval/aggregate.js";
import { scoringOf } from "../eval/load.js";
import { GYMS } from "../gyms/index.js";
import { episodeKey, RUN_DB, RunStore } from "../rollout/store.js";
import { personaId } from "../personas/spec.js";
import { AUDIT_KINDS, auditTrajectory, type AuditFinding } from "./checks.js";

export interface GymAuditSummary {
  episodes: number;
  /** Episodes with at least one finding. */
  faulty: number;
  faultShare: number;
  kinds: Record<AuditKind, number>;
  /** The gym's score over every episode, and over the episodes without a finding (NaN when none is left). */
  score: number;
  cleanScore: number;
  cleanEpisodes: number;
  /** Episodes re-run because the simulator was at fault (`--rerun-sim-faults`), counted in place of the faulty ones. */
  reruns: number;
}

export interface AuditReport {
  runDir: string;
  persona: string;
  episodes: number;
  faulty: number;
  faultShare: number;
  kinds: Record<AuditKind, number>;
  gyms: Record<string, GymAuditSummary>;
  /** Gyms whose tasks could not be loaded: only their role-trace checks ran. */
  notes: string[];
}

export interface EpisodeAudit {
  key: string;
  gym: string;
  findings: AuditFinding[];
}

const zeroKinds = (): Record<AuditKind, number> => Object.fromEntries(AUDIT_KINDS.map((k) => [k, 0])) as Record<AuditKind, number>;

/** The tasks of each gym, by id (undefined, with a note, when a gym's data cannot be loaded). */
export async function tasksById(gyms: Iterable<string>, data: DataStore, notes: string[]): Promise<Map<string, Map<string, Task<unknown>>>> {
  const out = new Map<string, Map<string, Task<unknown>>>();
  for (const name of gyms) {
    const gym = GYMS.get(name);
    if (!gym) continue;
    try {
      out.set(name, new Map((await gym.tasks(data)).map((t) => [t.id, t])));
    } catch (err) {
      notes.push(`${name}: tasks not loaded (${(err as Error).message.split("\n")[0]}); only role-trace checks ran`);
    }
  }
  return out;
}

/** The findings of each stored episode, with the run's persona taken into account. */
export function auditEpisodes(trajectories: Iterable<Trajectory>, tasks: Map<string, Map<string, Task<unknown>>>, persona: PersonaView | undefined): EpisodeAudit[] {
  const out: EpisodeAudit[] = [];
  for (const t of trajectories) {
    const gym: Pick<GymDefinition<unknown>, "audit"> = GYMS.get(t.gym) ?? {};
    out.push({ key: episodeKey(t.gym, t.taskId, t.sample), gym: t.gym, findings: auditTrajectory(gym, tasks.get(t.gym)?.get(t.taskId), t, persona?.traits) });
  }
  return out;
}

/** Audit a run directory: store the findings beside the run and return the per-gym report. */
export async function auditRun(dir: string, opts: { data?: DataStore } = {}): Promise<AuditReport> {
  if (!existsSync(join(resolve(dir), RUN_DB))) RunStore.open(dir).close(); // throws the store's own "not a run directory" line
  const store = new RunStore(dir);
  try {
    const run = store.run();
    if (!run) throw new Error(`${store.dir} holds no run yet`);
    const persona = run.config.persona as PersonaView | undefined;
    const trajectories = [...store.trajectories()];
    const notes: string[] = [];
    const tasks = await tasksById(new Set(trajectories.map((t) => t.gym)), opts.data ?? DataStore.default(), notes);
    const audits = auditEpisodes(trajectories, tasks, persona);
    saveFindings(store, audits);
    return { ...summarizeAudit(store.dir, personaId(persona), trajectories, audits, rerunKeys(store)), notes };
  } finally {
    store.close();
  }
}

/** Replace the run's stored findings with these. */
export function saveFindings(store: RunStore, audits: readonly EpisodeAudit[]): void {
  ensureAuditTables(store);
  const insert = store.db.prepare("INSERT INTO audit_findings (episode_key, turn, kind, detail) VALUES (?, ?, ?, ?)");
  store.db.transaction(() => {
    store.db.prepare("DELETE FROM audit_findings").run();
    for (const a of audits) for (const f of a.findings) insert.run(a.key, f.turn, f.kind, f.detail);
  })();
}

/** The side tables of the audit: findings by turn, and the episodes re-run for simulator faults. */
export function ensureAuditTables(store: RunStore): void {
  store.db.exec(`
    CREATE TABLE IF NOT EXISTS audit_findings (episode_key TEXT NOT NULL, turn INTEGER NOT NULL, kind TEXT NOT NULL, detail TEXT NOT NULL);
    CREATE INDEX IF NOT EXISTS audit_findings_key ON audit_findings (episode_key);
    CREATE TABLE IF NOT EXISTS audit_reruns (
      episode_key TEXT PRIMARY KEY, at TEXT NOT NULL, findings TEXT NOT NULL, replaced TEXT NOT NULL
    );
  `);
}

/** Stored findings by episode key (empty when the run was never audited). */
export function storedFindings(store: RunStore): Map<string, AuditFinding[]> {
  const has = store.db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'audit_findings'").get();
  const out = new Map<string, AuditFinding[]>();
  if (!has) return out;
  const rows = store.db.prepare("SELECT episode_key, turn, kind, detail FROM audit_findings ORDER BY episode_key, turn").all() as {
    episode_key: string;
    turn: number;
    kind: AuditKind;
    detail: string;
  }[];
  for (const r of rows) {
    const list = out.get(r.episode_key) ?? [];
    list.push({ turn: r.turn, kind: r.kind, detail: r.detail });
    out.set(r.episode_key, list);
  }
  return out;
}

/** Keys of the episodes that were re-run for simulator faults. */
export function rerunKeys(store: RunStore): Set<string> {
  const has = store.db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'audit_reruns'").get();
  if (!has) return new Set();
  return new Set((store.db.prepare("SELECT episode_key FROM audit_reruns").all() as { episode_key: string }[]).map((r) => r.episode_key));
}

export function summarizeAudit(runDir: string, persona: string, trajectories: readonly Trajectory[], audits: readonly EpisodeAudit[], reruns: ReadonlySet<string> = new Set()): Omit<AuditReport, "notes"> {
  const byKey = new Map(audits.map((a) => [a.key, a.findings]));
  const gyms: Record<string, GymAuditSummary> = {};
  const byGym = new Map<string, Trajectory[]>();
  for (const t of trajectories) byGym.set(t.gym, [...(byGym.get(t.gym) ?? []), t]);
  const kinds = zeroKinds();
  let faulty = 0;
  for (const [gym, ts] of byGym) {
    const g: GymAuditSummary = { episodes: ts.length, faulty: 0, faultShare: 0, kinds: zeroKinds(), score: NaN, cleanScore: NaN, cleanEpisodes: 0, reruns: 0 };
    const clean: Trajectory[] = [];
    for (const t of ts) {
      const key = episodeKey(t.gym, t.taskId, t.sample);
      if (reruns.has(key)) g.reruns++;
      const findings = byKey.get(key) ?? [];
      for (const f of findings) {
        g.kinds[f.kind]++;
        kinds[f.kind]++;
      }
      if (findings.length) g.faulty++;
      else clean.push(t);
    }
    const scoring = scoringOf(gym);
    g.faultShare = g.faulty / g.episodes;
    g.score = evaluateGym(gym, scoring, ts).score;
    g.cleanEpisodes = clean.length;
    g.cleanScore = clean.length ? evaluateGym(gym, scoring, clean).score : NaN;
    faulty += g.faulty;
    gyms[gym] = g;
  }
  return { runDir, persona, episodes: trajectories.length, faulty, faultShare: trajectories.length ? faulty / trajectories.length : 0, kinds, gyms };
}
