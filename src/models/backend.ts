/**
 * What a model backend is: the spec syntax every backend shares (`<scheme>:<target>[?<option>=<value>&…]`) and
 * the shape a backend registers in `registry.ts`. A leaf module, so backends and the registry import it, not
 * each other.
 */
import type { ChatModel } from "../core/chat.js";

export class SpecError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SpecError";
  }
}

export interface ParsedModelSpec {
  scheme: string;
  target: string;
  params: Record<string, string>;
}

export function parseModelSpec(spec: string): ParsedModelSpec {
  const trimmed = spec.trim();
  const colon = trimmed.indexOf(":");
  if (colon <= 0) {
    throw new SpecError(
      `"${spec}" is not a model spec; use openai:<model>[@<base-url>], scripted:<file.json> or local:<file.gguf>`,
    );
  }
  const scheme = trimmed.slice(0, colon).toLowerCase();
  let rest = trimmed.slice(colon + 1);
  const params: Record<string, string> = {};
  const q = rest.indexOf("?");
  if (q >= 0) {
    for (const [k, v] of new URLSearchParams(rest.slice(q + 1))) params[k] = v;
    rest = rest.slice(0, q);
  }
  if (!rest) throw new SpecError(`"${spec}": nothing after "${scheme}:"`);
  return { scheme, target: rest, params };
}

/** Builds the bare model of a spec; `createModel` adds retry, limits, cache and metering around it. */
export type SchemeFactory = (parsed: ParsedModelSpec, spec: string) => ChatModel | Promise<ChatModel>;

export interface SchemeOptions {
  /** Spec options the scheme reads itself, beyond the common ones. */
  params?: readonly string[];
  /**
   * Default per-attempt timeout, also the floor under per-call timeouts (a role's 10 s suits an HTTP API,
   * not a model computing on a laptop CPU). A spec's own `timeout` replaces both.
   */
  timeoutMs?: number;
  /** Default of the `cache` option (default `on`); `never` for replies that are local and ordered already. */
  cache?: "on" | "off" | "all" | "never";
  /** Default requests in flight per endpoint (default: unlimited). */
  concurrency?: number;
  /** The endpoint a spec talks to, which concurrency limits are shared by (default: the spec itself). */
  endpoint?(parsed: ParsedModelSpec, spec: string): string;
}

export interface ModelBackend {
  factory: SchemeFactory;
  options: SchemeOptions;
}
