/**
 * The process-wide llama.cpp runtime (node-llama-cpp): its prebuilt binary only (never a source build),
 * CPU unless a GPU is asked for, and llama.cpp's log lines kept in a ring buffer instead of printed —
 * a failed load throws only "Failed to load model", and the reason is in those lines.
 */
import { availableParallelism } from "node:os";
import { getLlama, LlamaLogLevel, type Llama } from "node-llama-cpp";

export type GpuSetting = "off" | "auto" | "cuda" | "vulkan" | "metal";

const LOG_LINES = 200;
const logs: { n: number; line: string }[] = [];
let logCount = 0;

function keepLog(level: LlamaLogLevel, message: string): void {
  const line = message.trim();
  if (!line) return;
  logs.push({ n: logCount++, line: `${level}: ${line}` });
  if (logs.length > LOG_LINES) logs.splice(0, logs.length - LOG_LINES);
}

/** A position in the log, to read what one operation logged. */
export function logMark(): number {
  return logCount;
}

/** The kept log lines since `mark`. */
export function logsSince(mark: number): string[] {
  return logs.filter((l) => l.n >= mark).map((l) => l.line);
}

const runtimes = new Map<GpuSetting, Promise<Llama>>();

export function llamaRuntime(gpu: GpuSetting = "off"): Promise<Llama> {
  let r = runtimes.get(gpu);
  if (!r) {
    r = getLlama({
      gpu: gpu === "off" ? false : gpu,
      build: "never",
      logLevel: LlamaLogLevel.warn,
      logger: keepLog,
    });
    r.catch(() => runtimes.delete(gpu));
    runtimes.set(gpu, r);
  }
  return r;
}

/** The most telling llama.cpp line of a failed operation ("error loading model: …"), if any. */
export function failureReason(lines: readonly string[]): string | undefined {
  const pick = (re: RegExp) => [...lines].reverse().find((l) => re.test(l));
  const line = pick(/error loading model:/) ?? pick(/error/i) ?? pick(/fail/i);
  return line?.replace(/^\w+:\s*/, "").replace(/^llama_model_load:\s*(error loading model:\s*)?/, "");
}

/**
 * Threads for a model. ggml's worker threads spin while they wait for each other, so they collapse when
 * they compete for cores with Node's own thread or other work — measured on 2 busy cores: a 115k-parameter
 * model decodes at 2,000 tok/s on 1 thread and 5 on 2, a Qwen3-0.6B-shaped one at 17.5 and 1.5. So: 1 thread
 * for tiny models, else every core but one (Node's).
 */
export function defaultThreads(parameters: number): number {
  if (parameters < 50_000_000) return 1;
  return Math.max(1, Math.min(availableParallelism() - 1, 16));
}
