/**
 * The Python side of training: the project's venv (built once by scripts/python-env.sh from
 * python/requirements-train.txt, offline from the machine's wheel index where it has one) and the stages of
 * `python -m userrl_bridge.train`, whose `@userrl {json}` lines are parsed into events as they arrive.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createWriteStream, existsSync, mkdirSync, writeFileSync, type WriteStream } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

/** The repository (or installed package) root: the nearest folder above this module holding `python/` and `scripts/`. */
export const PACKAGE_ROOT = findPackageRoot(dirname(fileURLToPath(import.meta.url)));

function findPackageRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, "python", "userrl_bridge")) && existsSync(join(dir, "scripts", "python-env.sh"))) return dir;
    if (dirname(dir) === dir) return resolve(from, "..", "..");
  }
}

export const EVENT_PREFIX = "@userrl ";

export interface TrainEvent {
  kind: string;
  [key: string]: unknown;
}

/** Offline, quiet, unbuffered: the Python side never reaches for a hub, and its lines arrive as printed. */
export function pythonEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    PYTHONUNBUFFERED: "1",
    HF_HUB_OFFLINE: "1",
    TRANSFORMERS_OFFLINE: "1",
    HF_DATASETS_OFFLINE: "1",
    TOKENIZERS_PARALLELISM: "false",
    TRL_EXPERIMENTAL_SILENCE: "1",
    TRANSFORMERS_VERBOSITY: "error",
    PYTHONWARNINGS: "ignore",
    ...extra,
  };
}

/** Build (or reuse) the training venv and return its python; the build's output goes to `log`. */
export async function preparePython(log?: (line: string) => void): Promise<string> {
  const script = join(PACKAGE_ROOT, "scripts", "python-env.sh");
  const reqs = join(PACKAGE_ROOT, "python", "requirements-train.txt");
  if (!existsSync(script) || !existsSync(reqs)) throw new Error(`the Python bridge is missing (${script}, ${reqs}); reinstall userrl`);
  const lines: string[] = [];
  const code = await new Promise<number>((res, rej) => {
    const child = spawn("bash", [script, "train", reqs], { cwd: PACKAGE_ROOT, stdio: ["ignore", "pipe", "pipe"] });
    const collect = (s: NodeJS.ReadableStream) =>
      createInterface({ input: s }).on("line", (l) => {
        lines.push(l);
        log?.(l);
      });
    collect(child.stdout);
    collect(child.stderr);
    child.on("error", rej);
    child.on("close", (c) => res(c ?? 1));
  });
  const python = lines.filter((l) => l.endsWith("/bin/python")).at(-1);
  if (code !== 0 || !python) {
    const tail = lines.filter((l) => !l.startsWith("WARNING: Location")).slice(-8).join("\n");
    throw new Error(`cannot prepare the training venv (scripts/python-env.sh exited ${code}):\n${tail}`);
  }
  return python;
}

/** Split a launcher command line on spaces, honouring simple quotes. */
export function splitCommand(cmd: string): string[] {
  const out: string[] = [];
  for (const m of cmd.matchAll(/"([^"]*)"|'([^']*)'|(\S+)/g)) out.push(m[1] ?? m[2] ?? m[3]);
  return out;
}

export interface StageOptions {
  python: string;
  /** Prefix command, e.g. `accelerate launch --num_processes 8` (run from the venv's bin folder). */
  launcher?: string;
  /** Where the settings file is written and the full output logged. */
  workDir: string;
  onEvent: (e: TrainEvent) => void;
  signal?: AbortSignal;
}

export interface RunningStage {
  child: ChildProcess;
  /** Resolves with the exit code; rejects only if the process cannot start. */
  exited: Promise<number>;
  /** The last `error` event, if any. */
  lastError(): string | undefined;
  logFile: string;
  stop(): void;
}

/** Start `python -m userrl_bridge.train <stage> <settings.json>`; events stream to `onEvent`. */
export function startStage(stage: string, settings: Record<string, unknown>, o: StageOptions): RunningStage {
  mkdirSync(o.workDir, { recursive: true });
  const settingsFile = join(o.workDir, `${stage}-settings.json`);
  writeFileSync(settingsFile, `${JSON.stringify(settings, null, 2)}\n`);
  const logFile = join(o.workDir, `${stage}.log`);
  const log: WriteStream = createWriteStream(logFile, { flags: "a" });
  const moduleArgs = ["-m", "userrl_bridge.train", stage, settingsFile];
  const binDir = dirname(o.python);
  const [cmd, ...args] = o.launcher ? [...splitCommand(o.launcher), ...moduleArgs] : [o.python, ...moduleArgs];
  const child = spawn(cmd, args, {
    cwd: join(PACKAGE_ROOT, "python"),
    env: pythonEnv({ PATH: `${binDir}:${process.env.PATH ?? ""}` }),
    stdio: ["pipe", "pipe", "pipe"],
  });
  let lastError: string | undefined;
  createInterface({ input: child.stdout! }).on("line", (line) => {
    log.write(`${line}\n`);
    if (!line.startsWith(EVENT_PREFIX)) return;
    let e: TrainEvent;
    try {
      e = JSON.parse(line.slice(EVENT_PREFIX.length)) as TrainEvent;
    } catch {
      return; // a torn line is only log output
    }
    if (e.kind === "error") lastError = String(e.message ?? "error");
    o.onEvent(e);
  });
  createInterface({ input: child.stderr! }).on("line", (line) => log.write(`${line}\n`));
  const stop = () => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
  };
  o.signal?.addEventListener("abort", stop, { once: true });
  const exited = new Promise<number>((res, rej) => {
    child.on("error", (err) => rej(new Error(`cannot start ${cmd}: ${err.message}`)));
    child.on("close", (code, sig) => {
      o.signal?.removeEventListener("abort", stop);
      log.end();
      res(code ?? (sig ? 128 + 15 : 1));
    });
  });
  return { child, exited, lastError: () => lastError, logFile, stop };
}

/** Run a stage to its end; a non-zero exit is an error naming the log. */
export async function runStage(stage: string, settings: Record<string, unknown>, o: StageOptions): Promise<void> {
  const s = startStage(stage, settings, o);
  const code = await s.exited;
  if (o.signal?.aborted) throw new Error(`${stage} interrupted`);
  if (code !== 0) throw new Error(`the ${stage} stage failed (exit ${code})${s.lastError() ? `: ${s.lastError()}` : ""}; full output in ${s.logFile}`);
}
