/**
 * A TypeScript client of the server's `/ws` protocol, and a loop that lets any in-process agent (a
 * baseline, an LLM agent) play an episode on a remote server. Used by the tests and the load benchmark.
 */
import WebSocket from "ws";
import type { AgentSession } from "../core/types.js";
import type { ChatMessage } from "../models/types.js";
import type { ObservationReply } from "./session.js";

export class EnvServerError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly data: Record<string, unknown> = {},
  ) {
    super(`${message} (code: ${code})`);
    this.name = "EnvServerError";
  }
}

export interface EnvClientOptions {
  token?: string;
  /** Per-message reply timeout (default 360 s: above the server's default step timeout). */
  timeoutMs?: number;
}

interface Waiter {
  resolve(frame: { type: string; data?: unknown }): void;
  reject(err: Error): void;
  timer: NodeJS.Timeout;
}

export class EnvClient {
  private readonly waiting: Waiter[] = [];
  private closedWith?: Error;

  private constructor(
    private readonly ws: WebSocket,
    private readonly timeoutMs: number,
  ) {
    ws.on("message", (raw) => {
      const w = this.waiting.shift();
      if (!w) return;
      clearTimeout(w.timer);
      try {
        w.resolve(JSON.parse(raw.toString()));
      } catch (err) {
        w.reject(err as Error);
      }
    });
    ws.on("close", (code, reason) => {
      this.closedWith = new EnvServerError("CLOSED", `connection closed (${code}${reason.length ? `: ${reason.toString()}` : ""})`, { closeCode: code });
      for (const w of this.waiting.splice(0)) {
        clearTimeout(w.timer);
        w.reject(this.closedWith);
      }
    });
    ws.on("error", () => undefined);
  }

  /** Connect to `<baseUrl>/ws` (http(s) or ws(s) URL). */
  static connect(baseUrl: string, opts: EnvClientOptions = {}): Promise<EnvClient> {
    const url = `${baseUrl.replace(/^http/, "ws").replace(/\/+$/, "")}/ws`;
    const ws = new WebSocket(url, { headers: opts.token ? { authorization: `Bearer ${opts.token}` } : {}, maxPayload: 256 << 20 });
    return new Promise((resolve, reject) => {
      ws.once("open", () => resolve(new EnvClient(ws, opts.timeoutMs ?? 360_000)));
      ws.once("unexpected-response", (_req, res) => reject(new EnvServerError("HTTP_" + res.statusCode, `server refused the connection: ${res.statusCode}`)));
      ws.once("error", reject);
    });
  }

  /** Send one frame and wait for its reply; error frames reject with EnvServerError. */
  async request(frame: { type: string; data?: unknown }): Promise<{ type: string; data?: unknown }> {
    if (this.closedWith) throw this.closedWith;
    const reply = await new Promise<{ type: string; data?: unknown }>((resolve, reject) => {
      const timer = setTimeout(() => {
        const i = this.waiting.findIndex((w) => w.timer === timer);
        if (i >= 0) this.waiting.splice(i, 1);
        reject(new EnvServerError("TIMEOUT", `no reply within ${this.timeoutMs} ms`));
      }, this.timeoutMs);
      this.waiting.push({ resolve, reject, timer });
      this.ws.send(JSON.stringify(frame));
    });
    if (reply.type === "error") {
      const d = (reply.data ?? {}) as Record<string, unknown>;
      throw new EnvServerError(String(d.code ?? "UNKNOWN"), String(d.message ?? "server error"), d);
    }
    return reply;
  }

  async reset(data: Record<string, unknown> = {}): Promise<ObservationReply> {
    return (await this.request({ type: "reset", data })).data as ObservationReply;
  }

  async step(data: Record<string, unknown>): Promise<ObservationReply> {
    return (await this.request({ type: "step", data })).data as ObservationReply;
  }

  async state(): Promise<Record<string, unknown>> {
    return (await this.request({ type: "state" })).data as Record<string, unknown>;
  }

  async mcp(request: Record<string, unknown>): Promise<Record<string, unknown>> {
    return (await this.request({ type: "mcp", data: request })).data as Record<string, unknown>;
  }

  /** Say goodbye (`close` frame) and wait for the socket to close. */
  async close(): Promise<void> {
    if (this.ws.readyState === WebSocket.CLOSED) return;
    const closed = new Promise<void>((resolve) => this.ws.once("close", () => resolve()));
    if (this.ws.readyState === WebSocket.OPEN) this.ws.send(JSON.stringify({ type: "close" }));
    await closed;
  }
}

export interface RemoteEpisode {
  reset: ObservationReply;
  steps: ObservationReply[];
  totalReward: number;
}

/**
 * Play one episode on a remote server with an in-process agent: the agent sees the opening messages and
 * every tool result, and its raw tool call is sent as is (the server applies the reference's rules).
 */
export async function playRemoteEpisode(client: EnvClient, agent: AgentSession, reset: Record<string, unknown>): Promise<RemoteEpisode> {
  const first = await client.reset(reset);
  const o = first.observation as { messages: ChatMessage[]; max_turns: number };
  const messages: ChatMessage[] = o.messages.map((m) => ({ ...m }));
  const steps: ObservationReply[] = [];
  for (let turn = 1; turn <= o.max_turns; turn++) {
    const reply = await agent.act({ messages, turn, maxTurns: o.max_turns });
    const call = reply.message.toolCalls?.[0];
    messages.push({ role: "assistant", content: reply.message.content ?? "", ...(call ? { toolCalls: [call] } : {}) });
    const s = await client.step({ tool_call: call ? { name: call.name, arguments: call.arguments, id: call.id } : null, text: reply.message.content ?? "" });
    steps.push(s);
    const text = (s.observation as { text: string | null }).text;
    if (call && text !== null) messages.push({ role: "tool", content: text, toolCallId: call.id });
    if (s.done) break;
  }
  await agent.close?.();
  return { reset: first, steps, totalReward: steps.reduce((sum, s) => sum + (s.reward ?? 0), 0) };
}
