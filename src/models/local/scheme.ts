/**
 * The `local:` model backend (the registry imports this module on first use of a `local:` spec):
 *
 *   local:<path.gguf> | local:<catalog name> | local:hf:<org>/<repo>[@<revision>]/<file.gguf>
 *     [?threads=N&context=N&parallel=N&gpu=off|auto|cuda|vulkan|metal&thinking=on|off&…common options]
 */
import { SpecError, type ModelBackend, type ParsedModelSpec } from "../backend.js";
import { LocalChatModel, type LocalModelOptions } from "./local-model.js";
import { fetchModelFile, ModelSourceError, parseModelRef } from "./model-source.js";

const GPU = ["off", "auto", "cuda", "vulkan", "metal"] as const;

function intParam(params: Record<string, string>, key: string, spec: string, min: number, max: number): number | undefined {
  if (!(key in params)) return undefined;
  const v = Number(params[key]);
  if (!Number.isInteger(v) || v < min || v > max) throw new SpecError(`"${spec}": ${key}=${params[key]} must be an integer from ${min} to ${max}`);
  return v;
}

/** The engine settings a `local:` spec's options ask for. */
export function localOptions(parsed: ParsedModelSpec, spec: string): Omit<LocalModelOptions, "file"> {
  const p = parsed.params;
  const gpu = p.gpu ?? "off";
  if (!(GPU as readonly string[]).includes(gpu)) throw new SpecError(`"${spec}": gpu=${gpu} (use ${GPU.join(", ")})`);
  let thinking: boolean | undefined;
  if ("thinking" in p) {
    if (!["on", "off", "true", "false", "1", "0"].includes(p.thinking)) throw new SpecError(`"${spec}": thinking=${p.thinking} (use on or off)`);
    thinking = ["on", "true", "1"].includes(p.thinking);
  }
  return {
    spec,
    threads: intParam(p, "threads", spec, 1, 256),
    contextSize: intParam(p, "context", spec, 256, 1 << 20),
    parallel: intParam(p, "parallel", spec, 1, 64),
    gpu: gpu as LocalModelOptions["gpu"],
    thinking,
  };
}

export const LOCAL_BACKEND: ModelBackend = {
  factory: async (parsed, spec) => {
    const options = localOptions(parsed, spec);
    let file: string;
    try {
      file = await fetchModelFile(parseModelRef(parsed.target));
    } catch (err) {
      if (err instanceof ModelSourceError) throw new SpecError(`"${spec}": ${err.message}`);
      throw err;
    }
    return LocalChatModel.create({ ...options, file });
  },
  // CPU generation takes minutes where an API takes seconds; local replies are not cached by default
  // because a file at a path can change under the same spec.
  options: { params: ["threads", "context", "parallel", "gpu", "thinking"], timeoutMs: 30 * 60_000, cache: "off" },
};
