/** Settings of `userrl serve` and `startServer`, with their defaults. */
import type { Compat, Mode, PersonaView } from "../core/types.js";
import { checkGymOptions } from "../rollout/runner.js";
import { DEFAULT_STEP_TIMEOUT_MS } from "../rollout/turn.js";
import { normalOrigin } from "./guard.js";

export interface ServerOptions {
  /** Gym names to serve, or `all` (every gym the chosen user can play). */
  gyms: string[];
  /** Address to bind; loopback unless told otherwise (`0.0.0.0` in containers). */
  host: string;
  /** Port (0 = any free port). OpenEnv's container convention is 8000. */
  port: number;
  /** Live sessions at once (WebSocket, MCP and JSON-RPC sessions together). */
  maxSessions: number;
  /**
   * Sessions without a connection (JSON-RPC `openenv/session/create` over HTTP, MCP streamable HTTP) one client
   * (address and credential) may hold at once; default half of `maxSessions`, so one client that never closes
   * its sessions cannot lock the others out.
   */
  maxSessionsPerClient?: number;
  /** Browser origins allowed besides loopback pages (`*` = any); requests from other origins are refused. */
  allowOrigins: string[];
  /** The gym of a `reset` that names none (OpenEnv clients send only `seed` / `episode_id`); default the first served gym. */
  defaultGym?: string;
  /** Bearer token required on every endpoint but the public descriptions (`/health`, …). */
  token?: string;
  /** A session with no message for this long is closed (0 = never). */
  idleTimeoutMs: number;
  /** Per-step (and reset) time limit of a gym, its simulated users included. */
  stepTimeoutMs: number;
  /** The simulated user: `offline` or a model spec for every user/judge role. */
  user: string;
  /** A different model spec for judge roles. */
  judge?: string;
  /** `train`: observations carry the `Reward:` line; `eval`: bare feedback. */
  mode: Mode;
  compat: Compat;
  /** Agent turns per episode (and the gym's step limit). */
  maxTurns: number;
  /** Our prompts, or the reference's prompts from the dataset rows. */
  prompts: "own" | "dataset";
  /** Run directory for the served episodes (none: episodes are not stored). */
  out?: string;
  /** OpenEnv production mode: no stateless `/reset`, `/step`, `/state` (agents use MCP). */
  production: boolean;
  /** Gym-specific options by gym name (e.g. `{search: {search: "bm25:corpus.jsonl"}}`), as `RunConfig.gymOptions`. */
  gymOptions: Record<string, Record<string, unknown>>;
  /** Largest WebSocket frame or HTTP body accepted, in bytes. */
  maxMessageBytes: number;
  /** On shutdown, how long live episodes may go on before their sessions are closed. */
  drainTimeoutMs: number;
  /** Finished episodes remembered (turn rewards only) for `/credit` by session or episode id. */
  rememberEpisodes: number;
  /** Messages a session may have queued (sent but not yet answered). */
  maxPendingPerSession: number;
  /** Episodes one connection may start a second (twice as many at once); see connection-budget.ts. */
  maxEpisodesPerSecond: number;
  /** Reply bytes one connection may be sent a second (twice as many at once); see connection-budget.ts. */
  maxReplyBytesPerSecond: number;
  /** The simulated user's persona (src/personas/); absent = cooperative. */
  persona?: PersonaView;
}

export const DEFAULT_SERVER_OPTIONS: ServerOptions = {
  gyms: ["all"],
  host: "127.0.0.1",
  port: 8000,
  maxSessions: 256,
  allowOrigins: [],
  idleTimeoutMs: 600_000,
  stepTimeoutMs: DEFAULT_STEP_TIMEOUT_MS,
  user: "offline",
  mode: "train",
  compat: "fixed",
  maxTurns: 16,
  prompts: "own",
  production: false,
  gymOptions: {},
  maxMessageBytes: 1 << 20,
  drainTimeoutMs: 30_000,
  rememberEpisodes: 100_000,
  maxPendingPerSession: 32,
  maxEpisodesPerSecond: 20,
  maxReplyBytesPerSecond: 512 << 10,
};

export function resolveServerOptions(o: Partial<ServerOptions>): ServerOptions {
  const r: ServerOptions = { ...DEFAULT_SERVER_OPTIONS, ...Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) };
  const positive: (keyof ServerOptions)[] = ["maxSessions", "maxTurns", "stepTimeoutMs", "maxMessageBytes", "rememberEpisodes", "maxPendingPerSession", "maxEpisodesPerSecond", "maxReplyBytesPerSecond"];
  for (const k of positive) {
    const v = r[k] as number;
    if (!Number.isInteger(v) || v < 1) throw new RangeError(`${k} must be a positive integer (got ${v})`);
  }
  for (const k of ["idleTimeoutMs", "drainTimeoutMs", "port"] as const) {
    if (!Number.isInteger(r[k]) || r[k] < 0) throw new RangeError(`${k} must be a non-negative integer (got ${r[k]})`);
  }
  if (r.maxSessionsPerClient !== undefined && (!Number.isInteger(r.maxSessionsPerClient) || r.maxSessionsPerClient < 1)) {
    throw new RangeError(`maxSessionsPerClient must be a positive integer (got ${r.maxSessionsPerClient})`);
  }
  for (const o of r.allowOrigins) if (o !== "*" && normalOrigin(o) === undefined) throw new RangeError(`--allow-origin "${o}" is not an origin such as https://example.org:8443 (or *)`);
  if (r.token !== undefined && r.token.length < 8) throw new RangeError("the token must have at least 8 characters");
  checkGymOptions(r.gymOptions); // a typo in a gym option stops the server at start, not every episode
  return r;
}

/** Connectionless sessions one client may hold (see {@link ServerOptions.maxSessionsPerClient}). */
export function perClientLimit(o: ServerOptions): number {
  return o.maxSessionsPerClient ?? Math.max(1, Math.floor(o.maxSessions / 2));
}
