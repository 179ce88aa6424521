/** TauGym's texts in our own words: the agent's system prompt, its first message, and `[search] help`. */
import { buildSystemPrompt } from "../kit/system-prompt.js";

export interface PromptOptions {
  /** The domain policy to show the agent (tau-bench's `wiki.md`), when `showPolicy` is on. */
  policy?: string;
}

export function tauSystemPrompt(opts: PromptOptions = {}): string {
  const prompt = buildSystemPrompt({
    environment:
      "You are a customer-service agent. A customer has contacted you with a request (for example about orders, returns, " +
      "exchanges, addresses, payments, or flight reservations). You can talk to the customer and you can call internal " +
      "tools that read and change the company's database. Serve the request correctly: find out what the customer " +
      "needs, look up what you must, and make exactly the changes the customer asks for.",
    choices: {
      search: "content `tools` lists the internal tools with their arguments; content `help` shows a short guide.",
      action: "content is a message to the customer (a question, a confirmation request, an answer).",
      answer:
        'content is one internal tool call as JSON: {"name": "<tool name>", "arguments": {"<argument>": <value>, …}} ' +
        '(or the short form <tool name>: {"<argument>": <value>, …}).',
    },
    tips: [
      "List the tools first, then work backwards from the change the customer wants to the information you need for it, " +
        "and get that information from the tools or by asking the customer.",
      "Tool calls are never shown to the customer: tell them what you did and what you found.",
      "The conversation ends when the customer is satisfied and leaves, or when you transfer them to a human agent.",
    ],
  });
  if (!opts.policy) return prompt;
  return `${prompt}\n\n## Company policy (follow it)\n${opts.policy.trim()}`;
}

export function tauFirstMessage(customerOpening: string): string {
  return `The customer says: ${customerOpening}\nHelp them step by step, using the internal tools and talking with them.`;
}

export const HELP_TEXT = [
  "How to work in this environment:",
  "- `search` with content `tools` lists the internal tools; with content `help` shows this guide.",
  "- `action` sends your content to the customer as a message; their reply comes back.",
  '- `answer` calls an internal tool: content {"name": "<tool>", "arguments": {…}}, with arguments as the tool listing describes.',
  "Start from what the customer wants done, work out which tool call achieves it and which arguments that call needs, " +
    "then collect those arguments from other tools or by asking the customer. Confirm changes with the customer before making them.",
].join("\n");
