/**
 * `POST /credit`: groups of episodes → trajectory scores, GRPO advantages, per-turn credits and per-turn
 * token advantages. Episodes are named by session id (its latest episode), by episode id, or given as raw
 * turn rewards. The formulas live in `src/credit` only; this module just resolves the references.
 */
import { z } from "zod";
import { computeGroupAdvantages, resolveCreditOptions, type CreditGroupInput } from "../credit/index.js";
import { creditOptionsSchema, creditTrajectorySchema } from "../credit/schema.js";
import { creditSignal } from "../credit/signal.js";
import { resolveAgent, type AgentFactory, type UserFactory } from "../agents/resolve.js";
import { DEFAULT_LOOK_AHEAD, lookAheadValues } from "../credit/look-ahead.js";
import { replaySource, type ReplaySource } from "../rollout/replay.js";
import { ProtocolError, validate } from "./protocol.js";
import type { EpisodeRecorder, LedgerEntry } from "./recorder.js";

const id = z.union([z.string().max(1024), z.number()]);
const turnTokens = z.array(z.number().int().nonnegative()).optional();

const refSchema = z.union([
  z.strictObject({ session: z.string().max(256), turnTokens }),
  z.strictObject({ episode: z.string().max(1024), turnTokens }),
  creditTrajectorySchema,
]);

export const creditBodySchema = z.object({
  groups: z
    .array(
      z
        .object({
          id,
          trajectories: z.array(refSchema).optional(),
          /** Shorthand: the latest episode of each of these sessions. */
          sessions: z.array(z.string().max(256)).optional(),
          /** Shorthand: these episodes. */
          episodes: z.array(z.string().max(1024)).optional(),
        })
        .refine((g) => (g.trajectories?.length ?? 0) + (g.sessions?.length ?? 0) + (g.episodes?.length ?? 0) > 0, {
          message: "a group needs trajectories, sessions or episodes",
        }),
    )
    .min(1),
  /** Shaping options; default: the paper's best (Equalized turns, R2G score, γ = 0.8). */
  options: creditOptionsSchema.partial().optional(),
  /** LookAhead turn credit: futures played after each turn of a stored episode (defaults: 3 turns × 4 samples, baseline). */
  lookAhead: z
    .strictObject({
      turns: z.number().int().min(0).max(16).optional(),
      samples: z.number().int().min(1).max(16).optional(),
      agent: z.string().max(1024).optional(),
    })
    .optional(),
});

/** What the credit service needs besides the request: the episodes, and how to replay them for look-ahead. */
export interface CreditDeps {
  recorder: EpisodeRecorder;
  /** The server's simulated user (for look-ahead futures of episodes played with an LLM user). */
  users: UserFactory;
  /** The served settings replays follow: maxTurns, prompts, gymOptions. */
  replayConfig: Record<string, unknown>;
}

interface Resolved {
  id: string | number;
  rewards: number[];
  turnTokens?: number[];
  lookAhead?: number[];
  session?: string;
  episode?: string;
  finished: boolean;
  endReason: string | null;
}

export async function creditRequest(body: unknown, deps: CreditDeps): Promise<Record<string, unknown>> {
  const { recorder } = deps;
  const req = validate(creditBodySchema, body, "credit request");
  let options;
  try {
    options = resolveCreditOptions(req.options ?? {});
  } catch (err) {
    throw new ProtocolError("VALIDATION_ERROR", (err as Error).message);
  }
  const groups: { id: string | number; items: Resolved[] }[] = req.groups.map((g) => ({
    id: g.id,
    items: [
      ...(g.trajectories ?? []).map((t) => resolveRef(t, recorder)),
      ...(g.sessions ?? []).map((s) => resolveRef({ session: s }, recorder)),
      ...(g.episodes ?? []).map((e) => resolveRef({ episode: e }, recorder)),
    ],
  }));
  for (const g of groups) {
    for (const t of g.items) {
      if (t.turnTokens && t.turnTokens.length !== t.rewards.length) {
        throw new ProtocolError("VALIDATION_ERROR", `turnTokens of ${JSON.stringify(t.id)} has ${t.turnTokens.length} entries, but the episode has ${t.rewards.length} turns`);
      }
    }
  }
  if (options.turnLevel === "LookAhead") await addLookAhead(groups.flatMap((g) => g.items), req.lookAhead ?? {}, options.gamma, deps);
  const input: CreditGroupInput[] = groups.map((g) => ({
    id: g.id,
    trajectories: g.items.map((t) => ({ id: t.id, rewards: t.rewards, turnTokens: t.turnTokens, lookAhead: t.lookAhead })),
  }));
  let result;
  try {
    result = computeGroupAdvantages(input, options);
  } catch (err) {
    throw new ProtocolError("VALIDATION_ERROR", (err as Error).message);
  }
  const flat = groups.flatMap((g) => g.items);
  // Zero-variance groups; the agent's tokens are the turns' loss tokens where the caller counted them.
  const signal = creditSignal(result, flat.reduce((s, t) => s + (t.turnTokens ?? []).reduce((a, b) => a + b, 0), 0));
  return {
    options,
    groups: result.groups,
    signal,
    trajectories: result.trajectories.map((c, i) => {
      const r = flat[i];
      return {
        ...c,
        ...(r.session !== undefined ? { session: r.session } : {}),
        ...(r.episode !== undefined ? { episode: r.episode } : {}),
        rewards: r.rewards,
        finished: r.finished,
        endReason: r.endReason,
      };
    }),
  };
}

/**
 * Look-ahead values for every episode named by session or episode id (raw trajectories bring their own): each
 * stored episode is replayed to every turn and played on by the look-ahead agent (default: the gym's baseline).
 */
async function addLookAhead(items: Resolved[], o: NonNullable<z.infer<typeof creditBodySchema>["lookAhead"]>, gamma: number, deps: CreditDeps): Promise<void> {
  const wanted = items.filter((t) => t.lookAhead === undefined);
  const trajectories = wanted.map((t) => {
    const stored = t.episode === undefined ? undefined : deps.recorder.stored(t.episode);
    if (!stored) {
      const why =
        t.episode === undefined
          ? "raw trajectories must bring lookAhead values"
          : deps.recorder.storeDir === undefined
            ? "the server stores episodes only with --out"
            : "it is still running";
      throw new ProtocolError("VALIDATION_ERROR", `LookAhead credit for ${JSON.stringify(t.id)}: no stored episode to replay (${why})`);
    }
    return stored;
  });
  if (!trajectories.length) return;
  const agent = o.agent ?? "baseline";
  let policy: AgentFactory;
  let replay: ReplaySource;
  try {
    policy = await resolveAgent(agent);
    replay = await replaySource(deps.replayConfig, trajectories, { users: deps.users });
  } catch (err) {
    throw new ProtocolError("VALIDATION_ERROR", `LookAhead credit: ${(err as Error).message}`);
  }
  const settings = { turns: o.turns ?? DEFAULT_LOOK_AHEAD.turns, samples: o.samples ?? DEFAULT_LOOK_AHEAD.samples, gamma };
  try {
    for (const [i, t] of trajectories.entries()) wanted[i].lookAhead = await lookAheadValues(t, replay, policy, settings);
  } finally {
    await replay.close();
    await policy.close();
  }
}

function resolveRef(ref: z.infer<typeof refSchema>, recorder: EpisodeRecorder): Resolved {
  if ("rewards" in ref) return { id: ref.id, rewards: ref.rewards, turnTokens: ref.turnTokens, lookAhead: ref.lookAhead, finished: true, endReason: null };
  let entry: LedgerEntry | undefined;
  if ("session" in ref) {
    entry = recorder.latestOf(ref.session);
    if (!entry) throw new ProtocolError("VALIDATION_ERROR", `no episode known for session "${ref.session.slice(0, 80)}" (unknown, never reset, or forgotten)`);
  } else {
    entry = recorder.episode(ref.episode);
    if (!entry) throw new ProtocolError("VALIDATION_ERROR", `unknown episode "${ref.episode.slice(0, 120)}" (or forgotten)`);
  }
  // The reply names the session only when the request did: an episode id never reveals the session behind it.
  return {
    id: "session" in ref ? ref.session : entry.episodeId,
    rewards: [...entry.rewards],
    turnTokens: ref.turnTokens,
    session: "session" in ref ? ref.session : undefined,
    episode: entry.episodeId,
    finished: entry.endReason !== null,
    endReason: entry.endReason,
  };
}
