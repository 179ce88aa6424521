/**
 * Settings of `userrl train sft|rl`: the paper's hyperparameters as defaults (spec pipeline.md §4, §6;
 * paper-results.md §4), a toy preset for the tiny CPU model, and the checks that keep bad values out of the
 * Python side.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import type { Compat, Mode, Split } from "../core/types.js";
import { TRAJECTORY_SCORE_METHODS, TURN_LEVEL_METHODS, type TrajectoryScoreMethod, type TurnLevelMethod } from "../credit/index.js";

/** `--model tiny`: a Qwen3-shaped model (hidden 64, 2 layers) and tokenizer built on the spot from the data. */
export const TINY_MODEL = "tiny";

/** What both commands share: the data, the simulated user, the Python side and the final evaluation. */
export interface TrainCommon {
  gyms: string[];
  out: string;
  /** `tiny`, a Hugging Face model id, or a local model folder. */
  model: string;
  split: Split;
  limit?: number;
  taskIds?: string[];
  user?: string;
  judge?: string;
  /** The simulated user's persona spec (src/personas/), for collection, the served environment and the evaluation. */
  persona?: string;
  compat: Compat;
  prompts: "own" | "dataset";
  maxTurns: number;
  seed: number;
  /** torch CPU threads (CPU runs); unset: torch's default. */
  threads?: number;
  /** A Python interpreter with the training requirements; default: the project's venv (scripts/python-env.sh). */
  python?: string;
  /** A launcher the Python stage runs under, e.g. `accelerate launch --config_file zero3.yaml --num_processes 8`. */
  launcher?: string;
  bf16: boolean;
  eval: EvalSettings;
}

export interface EvalSettings {
  enabled: boolean;
  split: Split;
  /**
   * `eval`: bare feedback, evaluation rewards (the paper's evaluation); `train`: the observations the model was
   * trained on (with `Reward:` lines). The tiny model uses `train`: it does not survive the shift.
   */
  mode: Mode;
  limit?: number;
  /** The agent's tokens per turn in the evaluation (the paper: 2048). */
  maxTokens: number;
  /** An OpenAI-compatible server already serving the trained model (e.g. vLLM); default: userrl's own small one. */
  server?: string;
  /** The simulated user of the evaluation (default: the training user); the paper trains with Qwen3-32B, evaluates with GPT-4o. */
  user?: string;
  concurrency: number;
}

export interface SftSettings {
  /** Who collects the cold-start trajectories: `baseline` (each gym's scripted player) or a model spec. */
  agent: string;
  samples: number;
  topK: number;
  minScore: number;
  /** An existing SFT file in TRL format (skips collection). */
  data?: string;
  learningRate: number;
  epochs: number;
  /** Optimiser steps; overrides `epochs` when set. */
  steps?: number;
  batch: number;
  gradAccum: number;
  maxLength: number;
  warmup: number;
  /** transformers' scheduler name (the paper: cosine). */
  scheduler: string;
  saveSteps?: number;
}

export interface RlSettings {
  groupSize: number;
  /** Prompts per training step (each played `groupSize` times). */
  batch: number;
  /** Prompts per optimiser update (the paper: 16, i.e. 8 updates per step). */
  miniBatch: number;
  /** Trajectories per device per forward/backward pass. */
  microBatch: number;
  epochs: number;
  /** Training steps (generation batches); overrides `epochs` when set. */
  steps?: number;
  learningRate: number;
  temperature: number;
  /** Token budget of one whole multi-turn completion (the paper's response length). */
  maxCompletionLength: number;
  /** Tokens of one reply (the paper: no cap beyond the whole budget). */
  maxTurnTokens?: number;
  turnLevel: TurnLevelMethod;
  trajectory: TrajectoryScoreMethod;
  gamma: number;
  emK: number;
  normByStd: boolean;
  saveEvery: number;
  vllm?: "colocate" | "server";
  vllmServerUrl?: string;
  gradientCheckpointing: boolean;
  /** Which tasks each step plays: `uniform` (shuffled epochs, as the paper) or `variance` (tasks whose recent groups had signal, more often). */
  curriculum: Curriculum;
}

export const CURRICULA = ["uniform", "variance"] as const;
export type Curriculum = (typeof CURRICULA)[number];

/** The paper's SFT (LLaMA-Factory: full fine-tune, lr 1e-5, 3 epochs, 2 × 4 per device, cosine, warm-up 0.1, 16k). */
export const PAPER_SFT: Omit<SftSettings, "agent" | "samples" | "topK" | "minScore"> = {
  learningRate: 1e-5,
  epochs: 3,
  batch: 2,
  gradAccum: 4,
  maxLength: 16384,
  warmup: 0.1,
  scheduler: "cosine",
};

/** The paper's GRPO (VERL): 128 prompts × 8, mini-batch 16, micro 8, lr 1e-6, 15 epochs, T = 1, 8192 response tokens, Equalized/R2G. */
export const PAPER_RL: RlSettings = {
  groupSize: 8,
  batch: 128,
  miniBatch: 16,
  microBatch: 8,
  epochs: 15,
  learningRate: 1e-6,
  temperature: 1,
  maxCompletionLength: 8192,
  turnLevel: "Equalized",
  trajectory: "R2G",
  gamma: 0.8,
  emK: 2,
  normByStd: true,
  saveEvery: 1,
  gradientCheckpointing: false,
  curriculum: "uniform",
};

/** The toy scale for `--model tiny` on a CPU: minutes, not days. Every value can still be set by flag. */
/** The tiny model memorises its few trajectories: a high constant rate keeps the loss falling to the end. */
export const TINY_SFT: Partial<SftSettings> = { learningRate: 1e-2, steps: 100, batch: 4, gradAccum: 1, maxLength: 4096, warmup: 0.1, scheduler: "constant_with_warmup", saveSteps: 50 };
export const TINY_RL: Partial<RlSettings> = {
  groupSize: 4,
  batch: 2,
  miniBatch: 2,
  microBatch: 8,
  steps: 4,
  learningRate: 1e-4,
  maxCompletionLength: 1024,
  maxTurnTokens: 96,
};
export const TINY_COMMON = { maxTurns: 10, threads: 2, limit: 4 };
export const TINY_EVAL: Partial<EvalSettings> = { limit: 4, maxTokens: 96, mode: "train" };

/** Paper defaults of the evaluation: every test task, 2048 tokens per turn. */
export const PAPER_EVAL: EvalSettings = { enabled: true, split: "test", mode: "eval", maxTokens: 2048, concurrency: 2 };

/** Written by the Python side into the tiny model and every model trained from it. */
export const TINY_MARKER = "userrl_tiny.json";

/** `tiny`, or a model folder that descends from the tiny model (the toy defaults then apply). */
export function isTiny(model: string): boolean {
  return model === TINY_MODEL || existsSync(join(model, TINY_MARKER));
}

/** Plain values only: `undefined` entries of `over` do not replace defaults. */
export function withDefaults<T extends object>(defaults: T, ...over: (Partial<T> | undefined)[]): T {
  const out = { ...defaults } as Record<string, unknown>;
  for (const o of over) for (const [k, v] of Object.entries(o ?? {})) if (v !== undefined) out[k] = v;
  return out as T;
}

function positive(name: string, v: number | undefined, integer = true): void {
  if (v === undefined) return;
  if (!Number.isFinite(v) || v <= 0 || (integer && !Number.isInteger(v))) throw new RangeError(`${name} must be a positive ${integer ? "integer" : "number"} (got ${v})`);
}

export function checkSft(s: SftSettings): void {
  positive("--lr", s.learningRate, false);
  positive("--epochs", s.epochs, false);
  positive("--steps", s.steps);
  positive("--batch", s.batch);
  positive("--grad-accum", s.gradAccum);
  positive("--max-length", s.maxLength);
  positive("--samples", s.samples);
  positive("--top-k", s.topK);
  if (!(s.warmup >= 0 && s.warmup < 1)) throw new RangeError(`--warmup is a fraction of the steps in [0, 1) (got ${s.warmup})`);
}

export function checkRl(s: RlSettings): void {
  for (const [k, v] of [
    ["--group-size", s.groupSize],
    ["--batch", s.batch],
    ["--mini-batch", s.miniBatch],
    ["--micro-batch", s.microBatch],
    ["--steps", s.steps],
    ["--max-completion-length", s.maxCompletionLength],
    ["--max-turn-tokens", s.maxTurnTokens],
    ["--save-every", s.saveEvery],
  ] as const) {
    positive(k, v);
  }
  positive("--lr", s.learningRate, false);
  positive("--epochs", s.epochs, false);
  if (s.groupSize < 2) throw new RangeError("--group-size must be at least 2 (GRPO normalises within a group)");
  if (s.batch % s.miniBatch) throw new RangeError(`--batch (${s.batch}) must be a multiple of --mini-batch (${s.miniBatch})`);
  if ((s.miniBatch * s.groupSize) % s.microBatch) {
    throw new RangeError(`--mini-batch × --group-size (${s.miniBatch * s.groupSize}) must be a multiple of --micro-batch (${s.microBatch})`);
  }
  if (!(s.temperature > 0)) throw new RangeError("--temperature must be above 0 (GRPO needs sampled groups)");
  if (!TURN_LEVEL_METHODS.includes(s.turnLevel)) throw new RangeError(`--turn-level must be one of ${TURN_LEVEL_METHODS.join(", ")}`);
  if (!TRAJECTORY_SCORE_METHODS.includes(s.trajectory)) throw new RangeError(`--trajectory must be one of ${TRAJECTORY_SCORE_METHODS.join(", ")}`);
  if (!CURRICULA.includes(s.curriculum)) throw new RangeError(`--curriculum must be one of ${CURRICULA.join(", ")}`);
  if (s.vllm === "server" && !s.vllmServerUrl) throw new RangeError("--vllm server needs --vllm-server-url (a `trl vllm-serve` endpoint)");
}

/** Steps of an RL run: `--steps`, else epochs × ⌊tasks / batch⌋ (the last partial batch is dropped, as VERL does). */
export function rlSteps(s: RlSettings, tasks: number): number {
  if (s.steps !== undefined) return s.steps;
  return Math.max(1, Math.floor(s.epochs * Math.max(1, Math.floor(tasks / s.batch))));
}
