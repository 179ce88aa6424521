/**
 * Where served episodes go: the run store (`--out`), like any other run, and a bounded in-memory ledger
 * of turn rewards by episode and by session, which `/credit` reads.
 */
import { randomUUID } from "node:crypto";
import type { EndReason, PersonaView, Trajectory } from "../core/types.js";
import { personaMismatch } from "../personas/run.js";
import { RunStore, storedOutcome } from "../rollout/store.js";

/** What the credit service needs of an episode; `rewards` grows while the episode runs. */
export interface LedgerEntry {
  episodeId: string;
  sessionId: string;
  gym: string;
  taskId: string;
  groupId: string;
  rewards: number[];
  /** Null while the episode is live. */
  endReason: EndReason | null;
}

/** The settings a run directory keeps; serving into it again with others is refused. */
export interface ServedRunConfig {
  kind: "serve";
  gyms: string[];
  user: string;
  mode: string;
  compat: string;
  maxTurns: number;
  prompts: string;
  persona?: PersonaView;
}

const PINNED: (keyof ServedRunConfig)[] = ["user", "mode", "compat", "maxTurns", "prompts"];

export class EpisodeRecorder {
  readonly runId: string;
  private readonly store?: RunStore;
  private readonly samples = new Map<string, number>();
  private readonly episodes = new Map<string, LedgerEntry>();
  private readonly latestBySession = new Map<string, string>();
  private readonly remember: number;

  constructor(
    config: ServedRunConfig,
    opts: { out?: string; remember: number },
  ) {
    this.remember = opts.remember;
    if (!opts.out) {
      this.runId = `serve-${randomUUID()}`;
      return;
    }
    const store = RunStore.forWriting(opts.out);
    const existing = store.run();
    if (existing) {
      for (const k of PINNED) {
        const before = existing.config[k];
        if (before !== undefined && JSON.stringify(before) !== JSON.stringify(config[k])) {
          store.close();
          throw new RangeError(`${store.dir} holds a run with ${k}=${JSON.stringify(before)}, not ${JSON.stringify(config[k])}; choose another --out directory`);
        }
      }
      const personaProblem = personaMismatch(store.dir, existing.config.persona, config.persona);
      if (personaProblem) {
        store.close();
        throw new RangeError(personaProblem);
      }
    }
    this.store = store;
    this.runId = store.ensureRun(`serve-${randomUUID()}`, { ...config }).id;
  }

  get storeDir(): string | undefined {
    return this.store?.dir;
  }

  /** The next sample index of a task: served episodes of one task never overwrite each other. */
  nextSample(gym: string, taskId: string): number {
    const key = `${gym}/${taskId}`;
    let next = this.samples.get(key);
    if (next === undefined) {
      const row = this.store?.db.prepare("SELECT MAX(sample) AS m FROM episodes WHERE gym = ? AND task_id = ?").get(gym, taskId) as
        | { m: number | null }
        | undefined;
      next = row?.m === null || row?.m === undefined ? 0 : row.m + 1;
    }
    this.samples.set(key, next + 1);
    return next;
  }

  /** Start tracking a live episode's rewards. */
  open(entry: Omit<LedgerEntry, "rewards" | "endReason">): LedgerEntry {
    const e: LedgerEntry = { ...entry, rewards: [], endReason: null };
    this.episodes.set(e.episodeId, e);
    this.latestBySession.set(e.sessionId, e.episodeId);
    while (this.episodes.size > this.remember) {
      const oldest = this.episodes.keys().next().value as string;
      const gone = this.episodes.get(oldest)!;
      this.episodes.delete(oldest);
      if (this.latestBySession.get(gone.sessionId) === oldest) this.latestBySession.delete(gone.sessionId);
    }
    return e;
  }

  episode(id: string): LedgerEntry | undefined {
    return this.episodes.get(id);
  }

  /** The latest episode a session played. */
  latestOf(sessionId: string): LedgerEntry | undefined {
    const id = this.latestBySession.get(sessionId);
    return id === undefined ? undefined : this.episodes.get(id);
  }

  /** Store a finished (or abandoned) episode in the run directory. */
  save(t: Trajectory): void {
    if (!this.store) return;
    // Like the batch runner: failed (agent, gym, step timeout) and abandoned episodes are kept as errors.
    const { status, error } = storedOutcome(t);
    this.store.saveEpisode(t, status, error);
  }

  /** A stored episode (all of its turns and messages), for replays such as look-ahead credit; only with `--out`. */
  stored(episodeId: string): Trajectory | undefined {
    // An episode id is `<runId>/<gym>/<task>/<sample>/<random>`; the store keys episodes by `<gym>/<task>/<sample>`.
    const rest = episodeId.slice(this.runId.length + 1);
    const key = rest.slice(0, rest.lastIndexOf("/"));
    const row = this.store?.db.prepare("SELECT trajectory FROM episodes WHERE key = ?").get(key) as { trajectory: string } | undefined;
    const t = row ? (JSON.parse(row.trajectory) as Trajectory) : undefined;
    // The key's latest episode may be another one (a later reset of the same task and sample).
    return t?.id === episodeId ? t : undefined;
  }

  logEvent(kind: string, data: Record<string, unknown>): void {
    this.store?.logEvent(kind, data);
  }

  close(): void {
    this.store?.close();
  }
}
