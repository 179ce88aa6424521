/**
 * The gyms a server offers, their tasks, and the simulated-user roles each gym's episodes get.
 * Task selection for `reset`: by id, or a deterministic sample from a split by seed.
 */
import { randomInt } from "node:crypto";
import { resolveUser, type UserFactory } from "../agents/resolve.js";
import type { GymDefinition, Split, Task, UserRoles } from "../core/types.js";
import { DataStore } from "../data/store.js";
import { cannotRun, resolveGyms } from "../gyms/index.js";
import { episodeSeed } from "../rollout/runner.js";
import { ProtocolError, type ResetData } from "./protocol.js";

/** The split a `reset` without `task_id` samples from when it names none. */
export const DEFAULT_SAMPLE_SPLIT: Split = "train";

export class GymCatalog {
  private constructor(
    readonly gyms: ReadonlyMap<string, GymDefinition<unknown>>,
    readonly user: UserFactory,
    private readonly data: DataStore,
    /** The gym of a `reset` that names none. */
    readonly defaultGym: GymDefinition<unknown>,
  ) {}

  /**
   * Resolve the gyms to serve. `all` means every gym that can run as configured (gyms without an offline user
   * are left out when the user is `offline`, and gyms missing something, such as SearchGym without a search
   * provider); a gym named explicitly that cannot run is an error.
   */
  static async create(
    names: readonly string[],
    userSpec: string,
    opts: { judge?: string; data?: DataStore; gymOptions?: Record<string, Record<string, unknown>>; defaultGym?: string } = {},
  ): Promise<GymCatalog> {
    const user = await resolveUser(userSpec, { judgeSpec: opts.judge });
    const all = names.length === 0 || names.includes("all");
    const chosen = resolveGyms(names).filter((g) => !all || !cannotRun(g, userSpec, opts.gymOptions?.[g.name]));
    for (const g of chosen) {
      user.roles(g); // throws the clear "no offline user" error for explicit gyms
      const why = g.missing?.(opts.gymOptions?.[g.name] ?? {});
      if (why) throw new RangeError(why);
    }
    if (chosen.length === 0) throw new RangeError(`no gym can be served with user "${userSpec}"; pass --user <model spec>`);
    const byName = new Map(chosen.map((g) => [g.name, g]));
    const fallback = opts.defaultGym === undefined ? chosen[0] : byName.get(opts.defaultGym.toLowerCase());
    if (!fallback) throw new RangeError(`--default-gym "${opts.defaultGym}" is not served (served: ${[...byName.keys()].join(", ")})`);
    return new GymCatalog(byName, user, opts.data ?? DataStore.default(), fallback);
  }

  names(): string[] {
    return [...this.gyms.keys()];
  }

  /** The named gym, or the default gym (OpenEnv clients reset with only `seed` and `episode_id`). */
  gym(name: string | undefined): GymDefinition<unknown> {
    if (name === undefined) return this.defaultGym;
    const g = this.gyms.get(name.toLowerCase());
    if (!g) throw new ProtocolError("VALIDATION_ERROR", `unknown gym "${name}" (served: ${this.names().join(", ")})`);
    return g;
  }

  tasks(gym: GymDefinition<unknown>): Promise<Task<unknown>[]> {
    return gym.tasks(this.data);
  }

  roles(gym: GymDefinition<unknown>): UserRoles {
    return this.user.roles(gym);
  }

  /** The task a `reset` asks for: `task_id`, else a sample of `split` by `seed` (random without one). */
  async select(d: ResetData): Promise<{ gym: GymDefinition<unknown>; task: Task<unknown> }> {
    const gym = this.gym(d.gym);
    let tasks: Task<unknown>[];
    try {
      tasks = await this.tasks(gym);
    } catch (err) {
      throw new ProtocolError("FACTORY_ERROR", `cannot load the tasks of ${gym.name}: ${(err as Error).message}`, { factory_name: gym.name });
    }
    if (d.task_id !== undefined) {
      const matches = tasks.filter((t) => t.id === d.task_id && (d.split === undefined || t.split === d.split));
      if (matches.length === 0) throw new ProtocolError("VALIDATION_ERROR", `gym "${gym.name}" has no task "${d.task_id}"${d.split ? ` in ${d.split}` : ""}`);
      return { gym, task: matches[0] };
    }
    const split = d.split ?? DEFAULT_SAMPLE_SPLIT;
    const pool = tasks.filter((t) => t.split === split);
    if (pool.length === 0) throw new ProtocolError("VALIDATION_ERROR", `gym "${gym.name}" has no ${split} tasks`);
    const index = d.seed === undefined ? randomInt(pool.length) : episodeSeed(d.seed, gym.name, `split:${split}`, 0) % pool.length;
    return { gym, task: pool[index] };
  }

  close(): Promise<void> {
    return this.user.close();
  }
}
