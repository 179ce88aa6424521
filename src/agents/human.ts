/**
 * A human plays the agent in the terminal: the conversation is printed, and each line typed becomes
 * one `interact_with_env` call, written as `[action] …`, `[answer] …`, `[search] …` or `[finish]`.
 */
import { createInterface, type Interface } from "node:readline/promises";
import { parseBracketAction } from "../core/action.js";
import type { AgentReply, AgentSession, AgentView } from "../core/types.js";
import { toolCallMessage } from "./message.js";

export interface HumanIO {
  write(text: string): void;
  ask(prompt: string): Promise<string | null>;
}

export function terminalIO(input: NodeJS.ReadableStream = process.stdin, output: NodeJS.WritableStream = process.stdout): HumanIO & { close(): void } {
  let rl: Interface | undefined;
  // Lines are read through the interface's iterator, which buffers them: piped input loses no line, and the
  // end of input (Ctrl-D, a closed pipe) answers null instead of leaving a question pending forever.
  let lines: AsyncIterator<string> | undefined;
  let ended = false;
  return {
    write: (t) => output.write(t),
    ask: async (prompt) => {
      if (ended) return null;
      rl ??= createInterface({ input, terminal: false });
      lines ??= rl[Symbol.asyncIterator]();
      output.write(prompt);
      try {
        const next = await lines.next();
        if (!next.done) return next.value;
      } catch {
        /* a read error ends the input like EOF */
      }
      ended = true;
      return null;
    },
    close: () => rl?.close(),
  };
}

export class HumanAgent implements AgentSession {
  private shown = 0;
  constructor(private readonly io: HumanIO) {}

  async act(view: AgentView): Promise<AgentReply> {
    for (; this.shown < view.messages.length; this.shown++) {
      const m = view.messages[this.shown];
      if (m.role === "system") this.io.write(`\n=== Instructions ===\n${m.content}\n`);
      else if (m.role === "user") this.io.write(`\n=== User ===\n${m.content}\n`);
      else if (m.role === "tool") this.io.write(`\n--- Environment ---\n${m.content}\n`);
    }
    for (;;) {
      const line = await this.io.ask(`\n[turn ${view.turn}/${view.maxTurns}] your move ([action|answer|search] text, or [finish]): `);
      if (line === null) return { message: { role: "assistant", content: "(the player left)" } };
      const action = parseBracketAction(line);
      if (action.choice) return { message: toolCallMessage(action.choice, action.choice === "finish" ? "" : action.content) };
      this.io.write('Start the move with [action], [answer], [search] or [finish], e.g. "[action] 1 2 3 4".\n');
    }
  }
}
