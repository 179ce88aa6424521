/**
 * GuessGym's scripted agent: a binary search by yes/no questions ("Is your number greater than M?"), then the
 * guess. It reads only what an agent sees (the range it was told, its own questions, the user's answers); an
 * answer it cannot read ("Maybe") is asked again, and with one turn left it guesses the middle of what remains.
 */
import { lastFeedback, lastToolArgs, toolCallMessage } from "../../agents/message.js";
import type { AgentReply, AgentSession, AgentView, Task } from "../../core/types.js";
import type { GuessPayload } from "./tasks.js";

const QUESTION = /^Is your number greater than (\d+)\?$/;

export class GuessBaseline implements AgentSession {
  private lo = 1;
  private hi: number;

  constructor(task: Task<GuessPayload>) {
    this.hi = task.payload.max; // the range is in the agent's first message
  }

  async act(view: AgentView): Promise<AgentReply> {
    this.observe(view);
    const mid = Math.floor((this.lo + this.hi) / 2);
    if (this.lo >= this.hi || view.turn >= view.maxTurns) {
      const guess = this.lo >= this.hi ? this.lo : mid;
      return { message: toolCallMessage("answer", String(guess), `My guess: ${guess}.`) };
    }
    return { message: toolCallMessage("action", `Is your number greater than ${mid}?`, `It is between ${this.lo} and ${this.hi}.`) };
  }

  /** Narrow the range by the answer to the previous question. */
  private observe(view: AgentView): void {
    const asked = lastToolArgs(view);
    const m = asked?.choice === "action" ? QUESTION.exec(asked.content) : null;
    if (!m) return;
    const answer = lastFeedback(view) ?? "";
    if (answer.startsWith("Yes")) this.lo = Number(m[1]) + 1;
    else if (answer.startsWith("No")) this.hi = Number(m[1]);
  }
}
