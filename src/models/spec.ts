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
import { CachedModel, ResponseCache } from "./cache.js";
import { OpenAIChatModel } from "./openai.js";
import { ScriptedModel } from "./scripted.js";
import type { ChatModel, ChatOptions } from "./types.js";
import { LimitedModel, MeteredModel, RetryingModel, UsageMeter, endpointSemaphore } from "./wrappers.js";

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

type SchemeFactory = (parsed: ParsedModelSpec, spec: string) => ChatModel | Promise<ChatModel>;

export interface SchemeOptions {
  /** Spec options the scheme reads itself, beyond the common ones. */
  params?: readonly string[];
  /**
   * Default per-attempt timeout, also the floor under per-call timeouts (a role's 10 s suits an HTTP API,
   * not a model computing on a laptop CPU). A spec's own `timeout` replaces both.
   */
  timeoutMs?: number;
  /** Default of the `cache` option (default `on`). */
  cache?: "on" | "off" | "all";
}

const schemes = new Map<string, { factory: SchemeFactory; options: SchemeOptions }>();

/** Let a module add a spec scheme (the local GGUF backend registers `local`). */
export function registerModelScheme(scheme: string, factory: SchemeFactory, options: SchemeOptions = {}): void {
  schemes.set(scheme, { factory, options });
}

/** Schemes whose module registers itself on first use, keeping native backends out of startup. */
const LAZY_SCHEMES: Record<string, () => Promise<unknown>> = {
  local: () => import("./local/scheme.js"),
};

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

function num(params: Record<string, string>, key: string, spec: string): number | undefined {
  if (!(key in params)) return undefined;
  const v = Number(params[key]);
  if (!Number.isFinite(v)) throw new SpecError(`"${spec}": option ${key}=${params[key]} is not a number`);
  return v;
}

const KNOWN_PARAMS = new Set(["temperature", "top_p", "max_tokens", "seed", "timeout", "retries", "concurrency", "cache", "think", "structured"]);

/** Build a ready-to-use model: backend + retry/timeout + endpoint concurrency + cache + meter. */
export async function createModel(spec: string, opts: ModelBuildOptions = {}): Promise<BuiltModel> {
  const parsed = parseModelSpec(spec);
  if (!schemes.has(parsed.scheme)) await LAZY_SCHEMES[parsed.scheme]?.();
  const registered = schemes.get(parsed.scheme);
  const known = new Set([...KNOWN_PARAMS, ...(registered?.options.params ?? [])]);
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

  let base: ChatModel;
  let endpoint = spec;
  let concurrencyDefault = 64;
  switch (parsed.scheme) {
    case "openai": {
      const at = parsed.target.indexOf("@");
      const model = at >= 0 ? parsed.target.slice(0, at) : parsed.target;
      const baseURL = (at >= 0 ? parsed.target.slice(at + 1) : process.env.OPENAI_BASE_URL) || "https://api.openai.com/v1";
      if (!/^https?:\/\//.test(baseURL)) throw new SpecError(`"${spec}": base URL "${baseURL}" must start with http:// or https://`);
      if (!model) throw new SpecError(`"${spec}": no model name before "@"`);
      const isOpenAI = baseURL.startsWith("https://api.openai.com");
      const apiKey = process.env.OPENAI_API_KEY || (isOpenAI ? undefined : "none");
      if (!apiKey) throw new SpecError(`"${spec}": set OPENAI_API_KEY to use api.openai.com`);
      base = new OpenAIChatModel({ model, baseURL, apiKey, spec, keepReasoning: p.think === "1" || p.think === "on", structured: p.structured === "1" || p.structured === "on" });
      endpoint = baseURL;
      break;
    }
    case "scripted":
      base = ScriptedModel.fromFile(parsed.target, spec);
      concurrencyDefault = 1_000_000;
      break;
    default: {
      if (!registered) {
        const names = [...new Set(["openai", "scripted", ...Object.keys(LAZY_SCHEMES), ...schemes.keys()])];
        throw new SpecError(`"${spec}": unknown model scheme "${parsed.scheme}" (known: ${names.join(", ")})`);
      }
      base = await registered.factory(parsed, spec);
      concurrencyDefault = 1_000_000;
    }
  }
  const timeout = num(p, "timeout", spec);
  const retries = num(p, "retries", spec);
  const meter = opts.meter ?? new UsageMeter();
  const timeoutMs = timeout !== undefined ? timeout * 1000 : registered?.options.timeoutMs;
  let model: ChatModel = new RetryingModel(base, { timeoutMs, retries, onRetry: () => meter.retries++ });
  if (timeoutMs !== undefined && registered?.options.timeoutMs !== undefined) model = withTimeoutFloor(model, timeoutMs);
  const concurrency = num(p, "concurrency", spec) ?? concurrencyDefault;
  if (concurrency < 1_000_000) model = new LimitedModel(model, endpointSemaphore(endpoint, concurrency));
  const cacheSetting = p.cache ?? registered?.options.cache ?? "on";
  const cache = cacheSetting === "off" ? null : opts.cache === undefined ? defaultResponseCache() : opts.cache;
  if (cache && parsed.scheme !== "scripted") model = new CachedModel(model, cache, { allTemperatures: cacheSetting === "all" });
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
