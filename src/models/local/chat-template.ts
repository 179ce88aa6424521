/**
 * Turn a conversation into the prompt text a local model was trained on, with the chat template stored
 * in its GGUF (rendered by `@huggingface/jinja`, as Hugging Face's `apply_chat_template` does). A model
 * without a template, or with one this renderer cannot run, falls back to the project's ChatML template.
 */
import { Template } from "@huggingface/jinja";
import type { ToolSpec } from "../../core/action.js";
import type { ChatMessage } from "../types.js";
import { CHATML_TOOLS_TEMPLATE } from "./chatml-template.js";

/** A message as Hugging Face chat templates expect it. */
interface TemplateMessage {
  role: string;
  content: string;
  reasoning_content?: string;
  tool_calls?: { type: "function"; id: string; function: { name: string; arguments: unknown } }[];
  tool_call_id?: string;
}

/** Tool-call arguments as an object when they parse (templates print them with `tojson`), else the raw string. */
function argumentsValue(raw: string): unknown {
  try {
    const v = JSON.parse(raw);
    return v && typeof v === "object" && !Array.isArray(v) ? v : raw;
  } catch {
    return raw;
  }
}

export function toTemplateMessages(messages: readonly ChatMessage[]): TemplateMessage[] {
  return messages.map((m) => {
    const out: TemplateMessage = { role: m.role, content: m.content };
    if (m.role === "assistant") {
      if (m.reasoning) out.reasoning_content = m.reasoning;
      if (m.toolCalls?.length) {
        out.tool_calls = m.toolCalls.map((c) => ({ type: "function", id: c.id, function: { name: c.name, arguments: argumentsValue(c.arguments) } }));
      }
    }
    if (m.role === "tool" && m.toolCallId) out.tool_call_id = m.toolCallId;
    return out;
  });
}

export interface RenderOptions {
  tools?: readonly ToolSpec[];
  /** Qwen3's `enable_thinking`; undefined leaves the template's default. */
  enableThinking?: boolean;
}

export class ChatRenderer {
  private readonly template: Template;
  private readonly fallback: Template;
  /** Where the template came from: the GGUF, or the built-in ChatML one (and why). */
  source: "gguf" | "builtin";
  warning?: string;

  constructor(
    ggufTemplate: string | undefined,
    private readonly specials: { bos_token?: string; eos_token?: string } = {},
  ) {
    this.fallback = new Template(CHATML_TOOLS_TEMPLATE);
    if (!ggufTemplate) {
      this.template = this.fallback;
      this.source = "builtin";
      this.warning = "the model file has no chat template; using the built-in ChatML template";
      return;
    }
    try {
      this.template = new Template(ggufTemplate);
      this.source = "gguf";
    } catch (err) {
      this.template = this.fallback;
      this.source = "builtin";
      this.warning = `the model's chat template does not parse (${(err as Error).message}); using the built-in ChatML template`;
    }
  }

  render(messages: readonly ChatMessage[], opts: RenderOptions = {}): string {
    const context: Record<string, unknown> = {
      messages: toTemplateMessages(messages),
      add_generation_prompt: true,
      bos_token: this.specials.bos_token ?? "",
      eos_token: this.specials.eos_token ?? "",
    };
    if (opts.tools?.length) context.tools = opts.tools;
    if (opts.enableThinking !== undefined) context.enable_thinking = opts.enableThinking;
    if (this.template !== this.fallback) {
      try {
        return this.template.render(context);
      } catch (err) {
        this.warning = `the model's chat template failed (${(err as Error).message}); this prompt used the built-in ChatML template`;
      }
    }
    return this.fallback.render(context);
  }
}
