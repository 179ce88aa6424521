/**
 * A live episode played from the browser: the rollout runs in this process (`rollout/runEpisode`, the same
 * path as `userrl run`), and whenever it needs a person — the agent's next move, or the user's next reply —
 * it parks a question here and waits. The browser polls the view and answers; nothing about the gym's rules,
 * judges or rewards differs from a run with a model in that seat.
 */
import { randomUUID } from "node:crypto";
import type { AgentReply, AgentSession, AgentView, Trajectory } from "../core/types.js";
import { toolCallMessage } from "../agents/message.js";
import type { ChatMessage } from "../models/types.js";

/** What a person in the user's seat is asked (the gym kit's HumanRequest, repeated here as the view needs it). */
export interface UserQuestion {
  role: string;
  turn: number;
  brief: string;
  prompt: string;
  choices?: string[];
}

export type Waiting = { seat: "agent"; turn: number; maxTurns: number } | { seat: "user"; question: UserQuestion } | null;

/** A line of the conversation as the person sees it. */
export interface Line {
  from: "agent" | "user" | "environment" | "system";
  text: string;
}

export interface LiveResult {
  runId: string;
  /** The run's id in the web app (its runs list). */
  uiRun: string;
  runDir: string;
  key: string;
  endReason: string;
  totalReward: number;
  score: number;
  turns: number;
}

export interface LiveView {
  id: string;
  seat: "agent" | "user";
  gym: string;
  taskId: string;
  /** The other seat's spec: the simulated user when a person plays the agent, the agent when a person plays the user. */
  opponent: string;
  /** The simulated user's persona id (a person in the agent's seat; in the user's seat the person is the user). */
  persona?: string;
  /** Bumped on every change, so pollers can wait for the next one. */
  version: number;
  waiting: Waiting;
  /** A person in the agent's seat: what the agent sees. A person in the user's seat: the conversation so far. */
  lines: Line[];
  /** The hidden task written for a person (user's seat only). */
  brief?: string;
  result?: LiveResult;
  error?: string;
  rated: boolean;
  study?: { id: string; participant: string };
}

interface Pending {
  resolve(text: string): void;
  reject(err: Error): void;
}

export class LiveEpisode {
  readonly id = randomUUID();
  readonly controller = new AbortController();
  lastTouched = Date.now();
  private view: LiveView;
  private pending?: Pending;
  private watchers: (() => void)[] = [];

  constructor(init: Omit<LiveView, "id" | "version" | "waiting" | "lines" | "rated">) {
    this.view = { ...init, id: this.id, version: 0, waiting: null, lines: [], rated: false };
  }

  get snapshot(): LiveView {
    return this.view;
  }

  update(change: Partial<LiveView>): void {
    this.view = { ...this.view, ...change, version: this.view.version + 1 };
    for (const w of this.watchers.splice(0)) w();
  }

  /** Resolves at the next change after `version`, or after `ms` at the latest. */
  async changedAfter(version: number, ms: number): Promise<LiveView> {
    this.lastTouched = Date.now();
    if (this.view.version !== version) return this.view;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.watchers.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
    return this.view;
  }

  /** Park a question for the person and wait for the answer (or the episode's end). */
  ask(waiting: NonNullable<Waiting>, lines: Line[], signal?: AbortSignal): Promise<string> {
    if (this.pending) throw new Error("a question is already waiting");
    return new Promise<string>((resolve, reject) => {
      const onAbort = () => {
        this.pending = undefined;
        reject(signal?.reason instanceof Error ? signal.reason : new Error("aborted"));
      };
      if (signal?.aborted) return onAbort();
      signal?.addEventListener("abort", onAbort, { once: true });
      this.pending = {
        resolve: (text) => {
          signal?.removeEventListener("abort", onAbort);
          resolve(text);
        },
        reject,
      };
      this.update({ waiting, lines });
    });
  }

  /** The person's answer to the waiting question; false when nothing is waiting for this seat. */
  answer(seat: "agent" | "user", text: string): boolean {
    this.lastTouched = Date.now();
    if (!this.pending || this.view.waiting?.seat !== seat) return false;
    const p = this.pending;
    this.pending = undefined;
    this.update({ waiting: null });
    p.resolve(text);
    return true;
  }

  finish(result: LiveResult | undefined, error?: string): void {
    this.update({ waiting: null, ...(result ? { result } : {}), ...(error ? { error } : {}) });
  }

  abort(why: string): void {
    this.controller.abort(new Error(why));
  }
}

/** The messages an agent sees, as lines for a person in the agent's seat. */
export function agentLines(messages: readonly ChatMessage[]): Line[] {
  return messages.map((m): Line => {
    if (m.role === "system") return { from: "system", text: m.content };
    if (m.role === "tool") return { from: "environment", text: m.content };
    if (m.role === "user") return { from: "user", text: m.content };
    const call = m.toolCalls?.[0];
    let text = m.content;
    if (call) {
      try {
        const a = JSON.parse(call.arguments) as { choice?: unknown; content?: unknown };
        text = `[${String(a.choice)}] ${String(a.content ?? "")}`;
      } catch {
        text = call.arguments;
      }
    }
    return { from: "agent", text };
  });
}

/** The agent's seat taken by the person at the browser: each move is one `interact_with_env` call. */
export class BrowserAgent implements AgentSession {
  constructor(private readonly live: LiveEpisode) {}

  async act(view: AgentView): Promise<AgentReply> {
    const text = await this.live.ask({ seat: "agent", turn: view.turn, maxTurns: view.maxTurns }, agentLines(view.messages), view.signal);
    const move = JSON.parse(text) as { choice: string; content: string };
    return { message: toolCallMessage(move.choice, move.choice === "finish" ? "" : move.content) };
  }
}

/** A finished trajectory's lines for the view's closing transcript. */
export function closingLines(t: Trajectory): Line[] {
  return agentLines(t.messages);
}
