/**
 * The play hub: live episodes with a person in the agent's seat (against any allowed user spec) or in the
 * user's seat (against any allowed agent spec), stored as they finish, rated afterwards.
 *
 * Specs typed into a browser never reach the model layer unchecked: `baseline`, a gym's named agents and the
 * offline user are always allowed, any other spec only when `userrl ui` was started with it (`--allow`), so a
 * page cannot make the server read local files (`scripted:`) or send requests (and keys) to an address it
 * picks (`openai:…@url`).
 */
import { resolveAgent, resolveUser, type AgentFactory, type UserFactory } from "../agents/resolve.js";
import type { GymDefinition, PersonaView, Task, Trajectory } from "../core/types.js";
import type { DataStore } from "../data/store.js";
import { getGym } from "../gyms/index.js";
import { createModel } from "../models/spec.js";
import type { ChatModel } from "../models/types.js";
import { scoringOf } from "../eval/load.js";
import { parsePersona, personaId } from "../personas/spec.js";
import { runEpisode } from "../rollout/episode.js";
import { episodeSeed } from "../rollout/runner.js";
import { BrowserAgent, closingLines, LiveEpisode, type Line, type LiveView } from "./live.js";
import type { ratingSchema } from "./ratings.js";
import { runId as uiRunId } from "./runs.js";
import { playRunDir, recordEpisode, recordRating, type PlayRunConfig } from "./record.js";
import type { z } from "zod";

export class PlayError extends Error {
  constructor(
    message: string,
    readonly status: 400 | 404 | 409 | 503 = 400,
  ) {
    super(message);
    this.name = "PlayError";
  }
}

export interface PlayHubOptions {
  /** Folder the played episodes' runs are written under. */
  root: string;
  data: DataStore;
  /** Model specs the browser may name (besides baseline, named agents and offline). */
  allow: readonly string[];
  /** Judge spec for user-seat episodes of gyms whose judge is an LLM role. */
  judge?: string;
  /** `userrl ui --persona`: the persona field's default (parsed on the command line, so it may be a persona file). */
  persona?: { spec: string; view: PersonaView | undefined };
  maxLive: number;
  /** A live episode nobody looked at for this long is ended. */
  idleMs: number;
}

export interface StartAgentSeat {
  gym: string;
  taskId?: string;
  split: "train" | "test";
  user: string;
  player: string;
  maxTurns: number;
  /** The simulated user's persona spec, as `--persona` takes it (no files); absent = the server's default. */
  persona?: string;
}

export class PlayHub {
  private readonly live = new Map<string, LiveEpisode>();
  private readonly users = new Map<string, Promise<UserFactory>>();
  private readonly agents = new Map<string, Promise<AgentFactory>>();
  private readonly runs = new Map<string, { dir: string; key: string }>();
  private judge?: Promise<ChatModel>;
  private readonly reaper: NodeJS.Timeout;

  constructor(readonly options: PlayHubOptions) {
    this.reaper = setInterval(() => this.reap(), Math.min(60_000, options.idleMs)).unref();
  }

  /** Whether the browser may name this spec for the given seat's opponent. */
  allowed(spec: string, kind: "agent" | "user"): boolean {
    const s = spec.trim();
    if (this.options.allow.includes(s)) return true;
    if (kind === "user") return s === "offline";
    return s !== "human" && !s.includes(":") && !s.startsWith("human");
  }

  private async userFactory(spec: string): Promise<UserFactory> {
    if (!this.allowed(spec, "user")) throw new PlayError(`user "${spec}" is not allowed here; start \`userrl ui --allow ${spec}\` to offer it`);
    let f = this.users.get(spec);
    if (!f) {
      f = resolveUser(spec, { judgeSpec: this.options.judge });
      this.users.set(spec, f);
      f.catch(() => this.users.delete(spec));
    }
    return f;
  }

  /**
   * The persona a page asked for, parsed as `--persona` is: the server's default when the field was left as
   * offered (or omitted), else built-in traits only.
   */
  persona(spec: string | undefined): PersonaView | undefined {
    const fallback = this.options.persona;
    const s = spec?.trim();
    if (s === undefined || (fallback && s === fallback.spec)) return fallback?.view;
    try {
      return parsePersona(s, { files: false });
    } catch (err) {
      throw new PlayError((err as Error).message);
    }
  }

  /** The `--judge` model for user-seat episodes (none: judges stay offline where the gym has them). */
  async judgeModel(): Promise<ChatModel | undefined> {
    if (!this.options.judge) return undefined;
    this.judge ??= createModel(this.options.judge);
    return this.judge;
  }

  async agentFactory(spec: string): Promise<AgentFactory> {
    if (!this.allowed(spec, "agent")) throw new PlayError(`agent "${spec}" is not allowed here; start \`userrl ui --allow ${spec}\` to offer it`);
    let f = this.agents.get(spec);
    if (!f) {
      f = resolveAgent(spec, { temperature: 0 });
      this.agents.set(spec, f);
      f.catch(() => this.agents.delete(spec));
    }
    return f;
  }

  async pickTask(gym: GymDefinition<unknown>, taskId: string | undefined, split: "train" | "test"): Promise<Task<unknown>> {
    const tasks = await gym.tasks(this.options.data);
    if (taskId) {
      const t = tasks.find((x) => x.id === taskId);
      if (!t) throw new PlayError(`gym "${gym.name}" has no task "${taskId}"`, 404);
      return t;
    }
    const pool = tasks.filter((t) => t.split === split);
    if (!pool.length) throw new PlayError(`gym "${gym.name}" has no ${split} tasks`, 404);
    return pool[Math.floor(Math.random() * pool.length)];
  }

  private admit(): void {
    if (this.live.size >= this.options.maxLive) throw new PlayError(`${this.options.maxLive} live episodes already; finish one first`, 503);
  }

  /** A person plays the agent against the chosen simulated user. */
  async startAgentSeat(req: StartAgentSeat): Promise<LiveView> {
    this.admit();
    const gym = lookupGym(req.gym);
    const persona = this.persona(req.persona);
    const users = await this.userFactory(req.user);
    let roles;
    try {
      roles = users.roles(gym);
    } catch (err) {
      throw new PlayError((err as Error).message);
    }
    const task = await this.pickTask(gym, req.taskId, req.split);
    const live = new LiveEpisode({ seat: "agent", gym: gym.name, taskId: task.id, opponent: users.spec, persona: personaId(persona) });
    const agentSpec = `human:${req.player}`;
    // The persona is pinned per run, like a CLI run's: each persona its own run directory.
    const config: PlayRunConfig = { agent: agentSpec, user: users.spec, compat: "fixed", maxTurns: req.maxTurns, split: task.split, ...(persona ? { persona } : {}) };
    const dir = playRunDir(this.options.root, "agent", req.player, users.spec, persona && personaId(persona));
    this.launch(live, dir, config, undefined, () =>
      runEpisode({
        gym,
        task,
        agent: new BrowserAgent(live),
        ctx: {
          mode: "eval",
          compat: "fixed",
          maxSteps: req.maxTurns,
          seed: episodeSeed(Date.now() % 1e9, gym.name, task.id, 0),
          user: roles,
          options: {},
          signal: live.controller.signal,
          ...(persona ? { persona } : {}),
        },
        maxTurns: req.maxTurns,
        id: live.id,
        runId: "ui",
        groupId: `${gym.name}/${task.id}`,
        sample: 0,
        agentSpec,
      }),
    );
    return live.snapshot;
  }

  /** Run an episode in the background and store it when it ends (an aborted one is not stored). */
  launch(live: LiveEpisode, dir: string, config: PlayRunConfig, sample: number | undefined, play: () => Promise<Trajectory>): void {
    this.live.set(live.id, live);
    void (async () => {
      try {
        const t = await play();
        if (t.endReason === "aborted") return live.finish(undefined, "the episode was ended before it finished");
        const { runId, key } = recordEpisode(dir, config, t, sample);
        this.runs.set(live.id, { dir, key });
        live.update({ lines: live.snapshot.seat === "agent" ? closingLines(t) : [...live.snapshot.lines, closingForPerson(t)] });
        live.finish({ runId, uiRun: uiRunId(dir), runDir: dir, key, endReason: t.endReason, totalReward: t.totalReward, score: scoringOf(t.gym).score(t), turns: t.turns.length });
      } catch (err) {
        live.finish(undefined, (err as Error).message);
      }
    })();
  }

  get(id: string): LiveEpisode {
    const live = this.live.get(id);
    if (!live) throw new PlayError(`no live episode ${id} (it ended, or the server restarted)`, 404);
    return live;
  }

  move(id: string, choice: string, content: string): LiveView {
    const live = this.get(id);
    if (!live.answer("agent", JSON.stringify({ choice, content }))) throw new PlayError("the episode is not waiting for the agent's move", 409);
    return live.snapshot;
  }

  reply(id: string, text: string): LiveView {
    const live = this.get(id);
    if (!live.answer("user", text)) throw new PlayError("the episode is not waiting for the user's reply", 409);
    return live.snapshot;
  }

  rate(id: string, rating: z.infer<typeof ratingSchema>): LiveView {
    const live = this.get(id);
    const stored = this.runs.get(id);
    if (!stored) throw new PlayError("only a finished, stored episode can be rated", 409);
    if (live.snapshot.seat !== "user") throw new PlayError("ratings are for a person in the user's seat", 409);
    recordRating(stored.dir, stored.key, rating);
    live.update({ rated: true });
    return live.snapshot;
  }

  end(id: string): void {
    const live = this.get(id);
    live.abort("ended from the browser");
  }

  private reap(): void {
    const now = Date.now();
    for (const [id, live] of this.live) {
      if (now - live.lastTouched < this.options.idleMs) continue;
      live.abort("idle");
      this.live.delete(id);
      this.runs.delete(id);
    }
  }

  async close(): Promise<void> {
    clearInterval(this.reaper);
    for (const live of this.live.values()) live.abort("server stopping");
    this.live.clear();
    for (const f of [...this.users.values(), ...this.agents.values()]) await (await f.catch(() => undefined))?.close();
    await (await this.judge?.catch(() => undefined))?.close?.();
  }
}

/** For a person in the user's seat: how the episode ended (every move of the agent was shown as it was played). */
function closingForPerson(t: Trajectory): Line {
  return { from: "system", text: `The episode ended (${t.endReason}).` };
}

export function lookupGym(name: string): GymDefinition<unknown> {
  try {
    return getGym(name);
  } catch (err) {
    throw new PlayError((err as Error).message, 404);
  }
}
