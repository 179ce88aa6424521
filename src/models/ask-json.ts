/**
 * Ask a role model (simulated user, judge, classifier) for a JSON object of a known shape.
 * The reply is parsed leniently; if it does not fit, one corrective follow-up is sent; if that fails
 * too (or the model errors out), the caller's documented fallback is used and recorded.
 */
import type { z } from "zod";
import type { RoleCall } from "../core/types.js";
import { extractObject } from "./lenient-json.js";
import type { ChatMessage, ChatModel, ChatOptions } from "./types.js";
import { ModelError, mustPropagate } from "./types.js";

export interface AskJsonOptions<T> {
  /** Name of the role, recorded on each call (e.g. "turtle.judge"). */
  role: string;
  schema: z.ZodType<T>;
  /** Used when no valid reply arrives; described in `fallbackReason`. */
  fallback: T;
  /** Extra corrective attempts after the first reply (default 1). */
  corrections?: number;
  /** Sampling options (the spec's defaults: temperature 0, max 2048 tokens, 10 s per request). */
  options?: ChatOptions;
}

export interface AskJsonResult<T> {
  value: T;
  /** Set when the fallback was used: why. */
  fallback?: string;
  calls: RoleCall[];
  /** The last raw reply text. */
  raw: string;
}

export const ROLE_DEFAULTS: ChatOptions = { temperature: 0, maxTokens: 2048, timeoutMs: 10_000 };

export async function askJson<T>(model: ChatModel, messages: ChatMessage[], opts: AskJsonOptions<T>): Promise<AskJsonResult<T>> {
  const calls: RoleCall[] = [];
  const options = { ...ROLE_DEFAULTS, ...opts.options };
  const convo = [...messages];
  const corrections = opts.corrections ?? 1;
  let raw = "";
  let problem = "";
  for (let attempt = 0; attempt <= corrections; attempt++) {
    try {
      const r = await model.chat(convo, options);
      raw = r.text;
      const call: RoleCall = { role: opts.role, model: model.spec, usage: r.usage, latencyMs: r.latencyMs, cached: r.cached };
      calls.push(call);
      const obj = extractObject(r.text);
      const parsed = obj ? opts.schema.safeParse(obj) : undefined;
      if (parsed?.success) return { value: parsed.data, calls, raw };
      problem = obj ? `reply did not fit the expected shape (${parsed?.error.issues[0]?.message ?? "invalid"})` : "reply held no JSON object";
      call.fallback = problem;
      convo.push(
        { role: "assistant", content: r.text },
        {
          role: "user",
          content:
            "Your last reply could not be used: " +
            problem +
            ". Answer again with only the JSON object in the required format, and nothing else.",
        },
      );
    } catch (err) {
      if (mustPropagate(err)) throw err;
      const e = err instanceof ModelError ? err : new ModelError(String(err), "other");
      problem = `model call failed: ${e.message}`;
      calls.push({ role: opts.role, model: model.spec, usage: { promptTokens: 0, completionTokens: 0 }, latencyMs: 0, fallback: problem });
      break;
    }
  }
  return { value: opts.fallback, fallback: `${opts.role}: ${problem}; used the fallback`, calls, raw };
}
