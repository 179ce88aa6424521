/**
 * The live sessions of a server: the capacity limit, the per-client limit of sessions without a connection,
 * lookup by id for their owner only, idle reaping and shutdown. WebSocket, MCP and JSON-RPC sessions share
 * one limit, as they share the gyms' resources.
 */
import { perClientLimit } from "./options.js";
import { ProtocolError } from "./protocol.js";
import { GymSession, type SessionDeps, type SessionKind, type SessionOwner } from "./session.js";

/**
 * When the server is full, a session without a connection that has been silent this long (or the idle limit,
 * if shorter) gives its slot to a new session: forgotten sessions do not lock everyone out until idle reaping.
 */
export const RECLAIM_IDLE_MS = 30_000;

/** WebSocket close codes the server uses when it ends a session itself. */
export const CLOSE_IDLE = 4000;
export const CLOSE_SHUTDOWN = 1001;
export const CLOSE_CAPACITY = 1013;

export class SessionRegistry {
  private readonly sessions = new Map<string, GymSession>();
  private reaper?: NodeJS.Timeout;
  private accepting = true;

  constructor(private readonly deps: SessionDeps) {
    const idle = deps.options.idleTimeoutMs;
    if (idle > 0) {
      // Check often enough that a session outlives its idle limit by at most a quarter of it.
      this.reaper = setInterval(() => void this.reapIdle(), Math.max(50, Math.min(30_000, Math.floor(idle / 4))));
      this.reaper.unref();
    }
  }

  get size(): number {
    return this.sessions.size;
  }

  get max(): number {
    return this.deps.options.maxSessions;
  }

  /** Messages one connection may have waiting for an answer. */
  get maxPending(): number {
    return this.deps.options.maxPendingPerSession;
  }

  /** A new session, or CAPACITY_REACHED / SHUTTING_DOWN. */
  open(kind: SessionKind, owner?: SessionOwner): GymSession {
    if (!this.accepting) throw new ProtocolError("SHUTTING_DOWN", "the server is shutting down and accepts no new sessions");
    if (owner?.connectionless) {
      const limit = perClientLimit(this.deps.options);
      const held = [...this.sessions.values()].filter((s) => s.owner.connectionless && s.owner.key === owner.key).length;
      if (held >= limit) {
        throw new ProtocolError(
          "CAPACITY_REACHED",
          `client at capacity: it holds ${held} session(s) without a connection, the most one client may hold; close one (openenv/session/close, DELETE /mcp) first`,
          { active_sessions: this.sessions.size, max_sessions: this.max, client_sessions: held, max_client_sessions: limit },
        );
      }
    }
    if (this.sessions.size >= this.max && !this.reclaim()) {
      throw new ProtocolError("CAPACITY_REACHED", `server at capacity (${this.sessions.size}/${this.max} sessions); retry later`, {
        active_sessions: this.sessions.size,
        max_sessions: this.max,
      });
    }
    const s = new GymSession(kind, this.deps, owner);
    this.sessions.set(s.id, s);
    return s;
  }

  /**
   * A session without a connection, for its owner only: a WebSocket's session is reached through its connection,
   * and another client's id (even a right one) is answered as unknown.
   */
  lookup(id: string, ownerKey: string): GymSession | undefined {
    const s = this.sessions.get(id);
    return s && s.owner.connectionless && s.owner.key === ownerKey ? s : undefined;
  }

  /** Free the slot of the longest-silent session without a connection, if one has been silent long enough. */
  private reclaim(now = Date.now()): boolean {
    const idle = this.deps.options.idleTimeoutMs;
    const after = idle > 0 ? Math.min(idle, RECLAIM_IDLE_MS) : RECLAIM_IDLE_MS;
    let victim: GymSession | undefined;
    for (const s of this.sessions.values()) {
      if (s.owner.connectionless && !s.busy && now - s.lastActive >= after && (!victim || s.lastActive < victim.lastActive)) victim = s;
    }
    if (!victim) return false;
    void this.close(victim.id, `silent for more than ${after} ms while the server was full`, CLOSE_IDLE);
    return true;
  }

  /** Close a session and free its slot (with `notifyCode`: also drop the client's connection). */
  async close(id: string, reason: string, notifyCode?: number): Promise<void> {
    const s = this.sessions.get(id);
    if (!s) return;
    this.sessions.delete(id);
    await s.close(reason, notifyCode);
  }

  /** Close sessions that have been silent longer than the idle limit (never one mid-message). */
  async reapIdle(now = Date.now()): Promise<number> {
    const limit = this.deps.options.idleTimeoutMs;
    if (limit <= 0) return 0;
    const idle = [...this.sessions.values()].filter((s) => !s.busy && now - s.lastActive >= limit);
    await Promise.all(idle.map((s) => this.close(s.id, `idle for more than ${limit} ms`, CLOSE_IDLE)));
    return idle.length;
  }

  /** Live episodes (started and not ended). */
  liveEpisodes(): number {
    let n = 0;
    for (const s of this.sessions.values()) if (s.live) n++;
    return n;
  }

  /**
   * Stop taking sessions, let live episodes go on until they end or `drainMs` passes, then close
   * every session (unfinished episodes are stored as aborted).
   */
  async shutdown(drainMs: number): Promise<void> {
    this.accepting = false;
    clearInterval(this.reaper);
    const deadline = Date.now() + drainMs;
    while (Date.now() < deadline && [...this.sessions.values()].some((s) => s.live || s.busy)) {
      await new Promise((r) => setTimeout(r, 25));
    }
    await Promise.all([...this.sessions.keys()].map((id) => this.close(id, "server shutting down", CLOSE_SHUTDOWN)));
  }
}
