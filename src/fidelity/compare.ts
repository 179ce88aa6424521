/**
 * `userrl fidelity <candidateRun> <referenceRun>`: how closely the simulated user of one run behaves like the user
 * of another (typically human users from the web UI, or a strong simulator) on the tasks both played. Each
 * component is a similarity in [0, 1] between the two runs' user sides; the fidelity index is their mean × 100.
 *
 *   reply length, information per reply — 1 − the Kolmogorov–Smirnov distance between the two distributions
 *   answer distribution (categorical replies) — 1 − the total variation distance between the verdict shares
 *   hint rate, early-end rate, audit-fault rate — 1 − the absolute difference of the two rates
 *   agent score — 1 − |difference| of the mean scores (relative where scores exceed 1), per gym, weighted by tasks
 *
 * A component neither run gives evidence for (no categorical replies, no user replies at all) is left out of the
 * index and shown as such.
 */
import { tasksById } from "../audit/run.js";
import { mean } from "../core/stats.js";
import type { PersonaView, Trajectory } from "../core/types.js";
import { DataStore } from "../data/store.js";
import { scoringOf } from "../eval/load.js";
import { GYMS } from "../gyms/index.js";
import { personaId } from "../personas/spec.js";
import { RunStore } from "../rollout/store.js";
import { episodeFeatures, type EpisodeFeatures } from "./features.js";

export type ComponentName = "replyLength" | "information" | "answers" | "hintRate" | "earlyEndRate" | "faultRate" | "agentScore";

export interface FidelityComponent {
  name: ComponentName;
  label: string;
  /** The candidate's and the reference's figure: a mean or a rate, or verdict shares for `answers`. */
  candidate: number | Record<string, number>;
  reference: number | Record<string, number>;
  /** Similarity in [0, 1]; null when neither run gives evidence for it. */
  similarity: number | null;
}

export interface FidelityScore {
  /** Tasks both runs played. */
  tasks: number;
  /** 0–100: the mean of the components' similarities. */
  index: number;
  components: FidelityComponent[];
}

export interface RunSide {
  dir: string;
  agent: string;
  user: string;
  persona: string;
  episodes: number;
}

export interface FidelityReport extends FidelityScore {
  candidate: RunSide;
  reference: RunSide;
  /** Tasks only one of the runs played (left out). */
  candidateOnly: number;
  referenceOnly: number;
  gyms: Record<string, FidelityScore>;
  notes: string[];
}

export const COMPONENT_LABELS: Record<ComponentName, string> = {
  replyLength: "reply length (words)",
  information: "new content words per reply",
  answers: "answer distribution",
  hintRate: "hint rate (per reply)",
  earlyEndRate: "early-end rate (per episode)",
  faultRate: "audit-fault rate (per episode)",
  agentScore: "agent score",
};

interface LoadedRun {
  side: RunSide;
  episodes: EpisodeFeatures[];
}

async function loadRun(dir: string, data: DataStore, notes: string[]): Promise<LoadedRun> {
  const store = RunStore.open(dir);
  try {
    const run = store.run();
    if (!run) throw new Error(`${store.dir} holds no run yet`);
    const persona = run.config.persona as PersonaView | undefined;
    const trajectories: Trajectory[] = [...store.trajectories()];
    const tasks = await tasksById(new Set(trajectories.map((t) => t.gym)), data, notes);
    const episodes = trajectories.map((t) => {
      const gym = { audit: GYMS.get(t.gym)?.audit, scoring: scoringOf(t.gym) };
      return episodeFeatures(t, gym, tasks.get(t.gym)?.get(t.taskId), persona);
    });
    const first = trajectories[0];
    return {
      side: {
        dir: store.dir,
        agent: String(run.config.agent ?? first?.agentSpec ?? "?"),
        user: String(first?.userSpec ?? run.config.user ?? "?"),
        persona: personaId(persona),
        episodes: trajectories.length,
      },
      episodes,
    };
  } finally {
    store.close();
  }
}

export async function fidelityOfRuns(candidateDir: string, referenceDir: string, opts: { data?: DataStore } = {}): Promise<FidelityReport> {
  const data = opts.data ?? DataStore.default();
  const notes: string[] = [];
  const candidate = await loadRun(candidateDir, data, notes);
  const reference = await loadRun(referenceDir, data, notes);
  const key = (e: EpisodeFeatures) => `${e.gym}/${e.taskId}`;
  const candidateTasks = new Set(candidate.episodes.map(key));
  const referenceTasks = new Set(reference.episodes.map(key));
  const shared = new Set([...candidateTasks].filter((k) => referenceTasks.has(k)));
  if (shared.size === 0) {
    throw new Error(`${candidate.side.dir} and ${reference.side.dir} have no finished episode of the same task; fidelity compares runs on the same tasks`);
  }
  const c = candidate.episodes.filter((e) => shared.has(key(e)));
  const r = reference.episodes.filter((e) => shared.has(key(e)));
  const gyms: Record<string, FidelityScore> = {};
  for (const gym of [...new Set(c.map((e) => e.gym))].sort()) {
    gyms[gym] = fidelityScore(
      c.filter((e) => e.gym === gym),
      r.filter((e) => e.gym === gym),
    );
  }
  return {
    candidate: candidate.side,
    reference: reference.side,
    ...fidelityScore(c, r),
    candidateOnly: candidateTasks.size - shared.size,
    referenceOnly: referenceTasks.size - shared.size,
    gyms,
    notes: [...new Set(notes)],
  };
}

/** The components and the index over two sets of episodes of the same tasks. */
export function fidelityScore(c: readonly EpisodeFeatures[], r: readonly EpisodeFeatures[]): FidelityScore {
  const cr = c.flatMap((e) => e.replies);
  const rr = r.flatMap((e) => e.replies);
  const distribution = (name: ComponentName, of: (x: { words: number; novel: number }) => number): FidelityComponent => {
    const a = cr.map(of);
    const b = rr.map(of);
    return component(name, mean(a), mean(b), a.length && b.length ? 1 - ksDistance(a, b) : null);
  };
  const rate = (name: ComponentName, a: readonly boolean[], b: readonly boolean[]): FidelityComponent => {
    const ra = share(a);
    const rb = share(b);
    return component(name, ra, rb, a.length && b.length ? 1 - Math.abs(ra - rb) : null);
  };
  const ca = verdictShares(cr);
  const ra = verdictShares(rr);
  const categorical = Object.keys(ca).length > 0 || Object.keys(ra).length > 0;
  const components = [
    distribution("replyLength", (x) => x.words),
    distribution("information", (x) => x.novel),
    component("answers", ca, ra, categorical ? 1 - totalVariation(ca, ra) : null),
    rate("hintRate", cr.map((x) => x.hint), rr.map((x) => x.hint)),
    rate("earlyEndRate", c.map((e) => e.earlyEnd), r.map((e) => e.earlyEnd)),
    rate("faultRate", c.map((e) => e.faulty), r.map((e) => e.faulty)),
    scoreComponent(c, r),
  ];
  const known = components.map((x) => x.similarity).filter((s): s is number => s !== null);
  const index = known.length ? Math.round(1000 * mean(known)) / 10 : 0;
  return { tasks: new Set(c.map((e) => `${e.gym}/${e.taskId}`)).size, index, components };
}

function component(name: ComponentName, candidate: FidelityComponent["candidate"], reference: FidelityComponent["reference"], similarity: number | null): FidelityComponent {
  return { name, label: COMPONENT_LABELS[name], candidate, reference, similarity };
}

/** Agent score: per gym the mean scores' closeness (absolute within [0, 1], relative beyond), weighted by the gym's tasks. */
function scoreComponent(c: readonly EpisodeFeatures[], r: readonly EpisodeFeatures[]): FidelityComponent {
  let weight = 0;
  let acc = 0;
  for (const gym of new Set(c.map((e) => e.gym))) {
    const a = mean(c.filter((e) => e.gym === gym).map((e) => e.score));
    const b = mean(r.filter((e) => e.gym === gym).map((e) => e.score));
    const n = new Set(c.filter((e) => e.gym === gym).map((e) => e.taskId)).size;
    acc += n * (1 - Math.min(1, Math.abs(a - b) / Math.max(1, Math.abs(a), Math.abs(b))));
    weight += n;
  }
  return component("agentScore", mean(c.map((e) => e.score)), mean(r.map((e) => e.score)), weight ? acc / weight : null);
}

const share = (xs: readonly boolean[]): number => (xs.length ? xs.filter(Boolean).length / xs.length : 0);

/** Two-sample Kolmogorov–Smirnov distance: the largest gap between the empirical distribution functions. */
export function ksDistance(a: readonly number[], b: readonly number[]): number {
  const x = [...a].sort((p, q) => p - q);
  const y = [...b].sort((p, q) => p - q);
  let i = 0;
  let j = 0;
  let d = 0;
  while (i < x.length && j < y.length) {
    const v = Math.min(x[i], y[j]);
    while (i < x.length && x[i] === v) i++;
    while (j < y.length && y[j] === v) j++;
    d = Math.max(d, Math.abs(i / x.length - j / y.length));
  }
  return d;
}

/** Shares of each verdict among the replies that open with one. */
function verdictShares(replies: readonly { verdict?: string }[]): Record<string, number> {
  const verdicts = replies.flatMap((x) => (x.verdict ? [x.verdict] : []));
  const out: Record<string, number> = {};
  for (const v of verdicts) out[v] = (out[v] ?? 0) + 1 / verdicts.length;
  return out;
}

/** Half the L1 distance between two distributions (1 when one of them is empty and the other is not). */
export function totalVariation(a: Readonly<Record<string, number>>, b: Readonly<Record<string, number>>): number {
  if (!Object.keys(a).length || !Object.keys(b).length) return 1;
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  let sum = 0;
  for (const k of keys) sum += Math.abs((a[k] ?? 0) - (b[k] ?? 0));
  return Math.min(1, sum / 2);
}
