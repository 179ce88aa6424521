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
 * Threads for a model: 1 for tiny models — on a 2-core machine ggml's threads fight Node's main thread
 * and a 115k-parameter model decodes at 67 tok/s with 2 threads against 4,000 with 1 — otherwise
 * every core (a 0.6B model decodes as fast on 1 or 2 threads but prefills 1.7× faster on 2).
 */
export function defaultThreads(parameters: number): number {
  if (parameters < 50_000_000) return 1;
  return Math.max(1, Math.min(availableParallelism(), 16));
}
