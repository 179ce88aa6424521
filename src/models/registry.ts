/**
 * The one registry of model backends, by spec scheme: `openai` and `scripted` are built in, `local` loads its
 * module on first use (keeping the native llama.cpp backend out of startup), and library users may register
 * their own (`registerModelScheme`).
 */
import { SpecError, type ModelBackend, type ParsedModelSpec, type SchemeFactory, type SchemeOptions } from "./backend.js";
import { OpenAIChatModel } from "./openai.js";
import { ScriptedModel } from "./scripted.js";

const backends = new Map<string, ModelBackend>();

/** Add (or replace) the backend of a spec scheme. */
export function registerModelScheme(scheme: string, factory: SchemeFactory, options: SchemeOptions = {}): void {
  backends.set(scheme, { factory, options });
}

/** Backends whose module is imported on first use of their scheme. */
const LAZY: Record<string, () => Promise<ModelBackend>> = {
  local: async () => (await import("./local/scheme.js")).LOCAL_BACKEND,
};

/** The backend of `scheme`, loading a lazy one; unknown schemes are a SpecError naming the known ones. */
export async function modelBackend(scheme: string, spec: string): Promise<ModelBackend> {
  let backend = backends.get(scheme);
  if (!backend && LAZY[scheme]) {
    backend = await LAZY[scheme]();
    backends.set(scheme, backend);
  }
  if (!backend) {
    const names = [...new Set(["openai", "scripted", ...Object.keys(LAZY), ...backends.keys()])];
    throw new SpecError(`"${spec}": unknown model scheme "${scheme}" (known: ${names.join(", ")})`);
  }
  return backend;
}

/** `openai:<model>[@<base-url>]`: the model name and the endpoint (`OPENAI_BASE_URL`, else OpenAI's). */
function openaiTarget(parsed: ParsedModelSpec, spec: string): { model: string; baseURL: string } {
  const at = parsed.target.indexOf("@");
  const model = at >= 0 ? parsed.target.slice(0, at) : parsed.target;
  const baseURL = (at >= 0 ? parsed.target.slice(at + 1) : process.env.OPENAI_BASE_URL) || "https://api.openai.com/v1";
  if (!/^https?:\/\//.test(baseURL)) throw new SpecError(`"${spec}": base URL "${baseURL}" must start with http:// or https://`);
  if (!model) throw new SpecError(`"${spec}": no model name before "@"`);
  return { model, baseURL };
}

registerModelScheme(
  "openai",
  (parsed, spec) => {
    const { model, baseURL } = openaiTarget(parsed, spec);
    const isOpenAI = baseURL.startsWith("https://api.openai.com");
    const apiKey = process.env.OPENAI_API_KEY || (isOpenAI ? undefined : "none");
    if (!apiKey) throw new SpecError(`"${spec}": set OPENAI_API_KEY to use api.openai.com`);
    const on = (key: string) => parsed.params[key] === "1" || parsed.params[key] === "on";
    return new OpenAIChatModel({ model, baseURL, apiKey, spec, keepReasoning: on("think"), structured: on("structured") });
  },
  { params: ["structured"], concurrency: 64, endpoint: (parsed, spec) => openaiTarget(parsed, spec).baseURL },
);

registerModelScheme("scripted", (parsed, spec) => ScriptedModel.fromFile(parsed.target, spec), { cache: "never" });
