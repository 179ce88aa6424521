/**
 * Model specs: the strings users type to name a model.
 *
 *   openai:<model>[@<base-url>][?<option>=<value>&…]   any OpenAI-compatible endpoint
 *   scripted:<replies.json>                            replies from a file (tests, demos)
 *   local:<path.gguf | hf:<org>/<repo>/<file.gguf>>    an in-process GGUF model (see models/local)
 *
 * Options: temperature, top_p, max_tokens, seed, timeout (seconds per attempt), retries,
 * concurrency (per endpoint), cache (on = temperature 0 only | all | off), think (keep reasoning in history).
 * Without `@<base-url>`, `OPENAI_BASE_URL` (else https://api.openai.com/v1) is used; the key comes from
 * `OPENAI_API_KEY` (local servers need none).
 */
import { join } from "node:path";
import { defaultCacheDir } from "../data/store.js";
import { parseModelSpec, SpecError } from "./backend.js";
import { CachedModel, ResponseCache } from "./cache.js";
import { modelBackend } from "./registry.js";
import type { ChatModel, ChatOptions } from "./types.js";
import { LimitedModel, MeteredModel, RetryingModel, UsageMeter, endpointSemaphore } from "./wrappers.js";

export { parseModelSpec, SpecError, type ParsedModelSpec, type SchemeOptions } from "./backend.js";
export { registerModelScheme } from "./registry.js";

export interface ModelBuildOptions {
  /** Metering shared by the models of one role (default: a fresh meter per model). */
  meter?: UsageMeter;
  /** Response cache; null turns it off (default: the user cache, unless USERRL_RESPONSE_CACHE=off). */
  cache?: ResponseCache | null;
  /** Sampling defaults under the spec's own options. */
  defaults?: ChatOptions;
}

export interface BuiltModel extends ChatModel {
  readonly meter: UsageMeter;
}

const caches = new Map<string, ResponseCache>();

export function defaultResponseCache(): ResponseCache | null {
  const setting = process.env.USERRL_RESPONSE_CACHE;
  if (setting === "off" || setting === "0") return null;
  const path = setting && setting !== "on" ? setting : join(defaultCacheDir(), "responses.sqlite");
  let c = caches.get(path);
  if (!c) {
    c = new ResponseCache(path);
    caches.set(path, c);
  }
  return c;
}

/** A numeric option's accepted range: `min` inclusive unless `above` (exclusive), optionally an integer. */
interface NumRange {
  min: number;
  above?: boolean;
  max?: number;
  integer?: boolean;
  /** What the option is, in the user's terms, for the message. */
  what: string;
}

const NUMERIC: Record<string, NumRange> = {
  temperature: { min: 0, max: 2, what: "the sampling temperature" },
  top_p: { min: 0, above: true, max: 1, what: "the nucleus sampling mass" },
  max_tokens: { min: 1, integer: true, what: "tokens per reply" },
  seed: { min: 0, integer: true, what: "the sampling seed" },
  timeout: { min: 0, above: true, max: 86_400, what: "seconds per attempt" },
  retries: { min: 0, max: 100, integer: true, what: "attempts after the first" },
  concurrency: { min: 1, integer: true, what: "requests in flight at once to this endpoint" },
};

/** A numeric spec option, checked against its range, with a message that says what it means. */
function num(params: Record<string, string>, key: keyof typeof NUMERIC, spec: string): number | undefined {
  if (!(key in params)) return undefined;
  const r = NUMERIC[key];
  const v = Number(params[key]);
  const ok =
    params[key].trim() !== "" &&
    Number.isFinite(v) &&
    (r.above ? v > r.min : v >= r.min) &&
    (r.max === undefined || v <= r.max) &&
    (!r.integer || Number.isInteger(v));
  if (!ok) {
    const range = `${r.integer ? "an integer" : "a number"} ${r.above ? ">" : "≥"} ${r.min}${r.max !== undefined ? ` and ≤ ${r.max}` : ""}`;
    throw new SpecError(`"${spec}": option ${key}=${params[key]} must be ${range} (${r.what})`);
  }
  return v;
}

const KNOWN_PARAMS = new Set(["temperature", "top_p", "max_tokens", "seed", "timeout", "retries", "concurrency", "cache", "think"]);

/** Build a ready-to-use model: backend + retry/timeout + endpoint concurrency + cache + meter. */
export async function createModel(spec: string, opts: ModelBuildOptions = {}): Promise<BuiltModel> {
  const parsed = parseModelSpec(spec);
  const backend = await modelBackend(parsed.scheme, spec);
  const known = new Set([...KNOWN_PARAMS, ...(backend.options.params ?? [])]);
  for (const k of Object.keys(parsed.params)) {
    if (!known.has(k)) throw new SpecError(`"${spec}": unknown option "${k}" (known: ${[...known].join(", ")})`);
  }
  const p = parsed.params;
  const defaults: ChatOptions = { ...opts.defaults };
  const temperature = num(p, "temperature", spec);
  if (temperature !== undefined) defaults.temperature = temperature;
  const topP = num(p, "top_p", spec);
  if (topP !== undefined) defaults.topP = topP;
  const maxTokens = num(p, "max_tokens", spec);
  if (maxTokens !== undefined) defaults.maxTokens = maxTokens;
  const seed = num(p, "seed", spec);
  if (seed !== undefined) defaults.seed = seed;

  const { options } = backend;
  const base = await backend.factory(parsed, spec);
  const timeout = num(p, "timeout", spec);
  const retries = num(p, "retries", spec);
  const meter = opts.meter ?? new UsageMeter();
  const timeoutMs = timeout !== undefined ? timeout * 1000 : options.timeoutMs;
  let model: ChatModel = new RetryingModel(base, { timeoutMs, retries, onRetry: () => meter.retries++ });
  if (timeoutMs !== undefined && options.timeoutMs !== undefined) model = withTimeoutFloor(model, timeoutMs);
  const concurrency = num(p, "concurrency", spec) ?? options.concurrency;
  if (concurrency !== undefined) model = new LimitedModel(model, endpointSemaphore(options.endpoint?.(parsed, spec) ?? spec, concurrency));
  const cacheSetting = options.cache === "never" ? "off" : (p.cache ?? options.cache ?? "on");
  const cache = cacheSetting === "off" ? null : opts.cache === undefined ? defaultResponseCache() : opts.cache;
  if (cache) model = new CachedModel(model, cache, { allTemperatures: cacheSetting === "all" });
  // Defaults go on top so the cache key sees the options actually sent.
  if (Object.keys(defaults).length) model = withDefaults(model, defaults);
  return new MeteredModel(model, meter);
}

/** Raise per-call timeouts shorter than `floorMs` to it. */
function withTimeoutFloor(inner: ChatModel, floorMs: number): ChatModel {
  return {
    spec: inner.spec,
    chat: (messages, options = {}) =>
      inner.chat(messages, options.timeoutMs !== undefined && options.timeoutMs < floorMs ? { ...options, timeoutMs: floorMs } : options),
    close: () => inner.close?.() ?? Promise.resolve(),
  };
}

/** Apply default options under each call's own options. */
function withDefaults(inner: ChatModel, defaults: ChatOptions): ChatModel {
  return {
    spec: inner.spec,
    chat: (messages, options = {}) => inner.chat(messages, { ...defaults, ...options }),
    close: () => inner.close?.() ?? Promise.resolve(),
  };
}
