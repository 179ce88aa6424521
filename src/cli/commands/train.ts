import type { Command } from "commander";
import { TRAJECTORY_SCORE_METHODS, TURN_LEVEL_METHODS, type TrajectoryScoreMethod, type TurnLevelMethod } from "../../credit/index.js";
import type { Compat, Mode, Split } from "../../core/types.js";
import { DEFAULT_RUN } from "../../rollout/runner.js";
import {
  CURRICULA,
  isTiny,
  PAPER_EVAL,
  PAPER_RL,
  PAPER_SFT,
  TINY_COMMON,
  TINY_EVAL,
  TINY_RL,
  TINY_SFT,
  TINY_MODEL,
  withDefaults,
  type Curriculum,
  type EvalSettings,
  type RlSettings,
  type SftSettings,
  type TrainCommon,
} from "../../train/options.js";
import { trainRl } from "../../train/rl.js";
import type { TrainReport } from "../../train/run-record.js";
import { trainSft } from "../../train/sft.js";
import { PERSONA_HELP } from "../../personas/help.js";
import { choiceOption, CliError, floatOption, fmt, intOption, printJson, table } from "../util.js";

interface CommonFlags {
  out: string;
  model: string;
  split: Split;
  limit?: number;
  task?: string[];
  user?: string;
  judge?: string;
  persona?: string;
  compat: Compat;
  prompts: "own" | "dataset";
  maxTurns?: number;
  seed: number;
  threads?: number;
  python?: string;
  launcher?: string;
  bf16?: boolean;
  eval: boolean;
  evalSplit: Split;
  evalMode?: Mode;
  evalLimit?: number;
  evalMaxTokens?: number;
  evalServer?: string;
  evalUser?: string;
  lr?: number;
  epochs?: number;
  steps?: number;
  batch?: number;
  json?: boolean;
}

interface SftFlags extends CommonFlags {
  agent: string;
  samples: number;
  topK: number;
  minScore: number;
  data?: string;
  gradAccum?: number;
  maxLength?: number;
  warmup?: number;
  saveSteps?: number;
}

interface RlFlags extends CommonFlags {
  groupSize?: number;
  miniBatch?: number;
  microBatch?: number;
  temperature?: number;
  maxCompletionLength?: number;
  maxTurnTokens?: number;
  turnLevel?: TurnLevelMethod;
  trajectory?: TrajectoryScoreMethod;
  gamma?: number;
  emK?: number;
  std: boolean;
  saveEvery?: number;
  vllm?: "colocate" | "server";
  vllmServerUrl?: string;
  gradientCheckpointing?: boolean;
  curriculum?: Curriculum;
}

function common(cmd: Command): Command {
  return cmd
    .requiredOption("--out <dir>", "training directory: run store, data, checkpoints, model, evaluation")
    .option("--model <m>", `${TINY_MODEL} (a Qwen3-shaped hidden-64, 2-layer model built here) | a Hugging Face model id | a model folder`, TINY_MODEL)
    .option("--split <split>", "task split to train on", choiceOption("--split", ["train", "test"] as const), "train")
    .option("--limit <n>", `first N tasks of each gym (default: all; ${TINY_COMMON.limit} with --model tiny)`, intOption("--limit", 1))
    .option("--task <id...>", "only these task ids")
    .option("--user <spec>", "simulated user: offline | a model spec (the paper trains with Qwen3-32B)")
    .option("--judge <spec>", "a different model spec for judge roles")
    .option("--persona <spec>", PERSONA_HELP)
    .option("--compat <c>", "fixed | userrl-2025", choiceOption("--compat", ["fixed", "userrl-2025"] as const), DEFAULT_RUN.compat)
    .option("--prompts <p>", "own | dataset", choiceOption("--prompts", ["own", "dataset"] as const), DEFAULT_RUN.prompts)
    .option("--max-turns <n>", `agent turns per episode (default 16; ${TINY_COMMON.maxTurns} with --model tiny)`, intOption("--max-turns", 1))
    .option("--seed <n>", "seed", intOption("--seed", 0), 42)
    .option("--lr <x>", "learning rate", floatOption("--lr"))
    .option("--epochs <x>", "epochs", floatOption("--epochs"))
    .option("--steps <n>", "training steps (overrides --epochs)", intOption("--steps", 1))
    .option("--batch <n>", "batch size (see the README)", intOption("--batch", 1))
    .option("--bf16", "bf16 weights and training (GPUs)")
    .option("--threads <n>", `torch CPU threads (default ${TINY_COMMON.threads} with --model tiny)`, intOption("--threads", 1))
    .option("--python <path>", "a Python with python/requirements-train.txt installed (default: the project's venv, built on first use)")
    .option("--launcher <cmd>", 'run the Python stage under a launcher, e.g. "accelerate launch --config_file zero3.yaml --num_processes 8"')
    .option("--no-eval", "skip the evaluation of the trained model")
    .option("--eval-split <split>", "split of the evaluation", choiceOption("--eval-split", ["train", "test"] as const), PAPER_EVAL.split)
    .option("--eval-mode <mode>", `eval: bare feedback, as the paper evaluates | train: the training observations (default eval; train with --model tiny)`, choiceOption("--eval-mode", ["train", "eval"] as const))
    .option("--eval-limit <n>", `first N tasks per gym in the evaluation (default: all; ${TINY_EVAL.limit} with --model tiny)`, intOption("--eval-limit", 1))
    .option("--eval-max-tokens <n>", `agent tokens per turn in the evaluation (default ${PAPER_EVAL.maxTokens}; ${TINY_EVAL.maxTokens} with --model tiny)`, intOption("--eval-max-tokens", 1))
    .option("--eval-server <url>", "evaluate through this OpenAI-compatible server (e.g. vLLM serving <out>/model) instead of the built-in one")
    .option("--eval-user <spec>", "simulated user of the evaluation (default: --user)")
    .option("--json", "print the report as JSON");
}

function commonSettings(f: CommonFlags, gyms: string[]): TrainCommon {
  const tiny = isTiny(f.model);
  const evalSettings: EvalSettings = withDefaults(PAPER_EVAL, tiny ? TINY_EVAL : undefined, {
    enabled: f.eval,
    split: f.evalSplit,
    mode: f.evalMode,
    limit: f.evalLimit,
    maxTokens: f.evalMaxTokens,
    server: f.evalServer,
    user: f.evalUser,
  });
  return {
    gyms,
    out: f.out,
    model: f.model,
    split: f.split,
    limit: f.limit ?? (tiny && !f.task ? TINY_COMMON.limit : undefined),
    taskIds: f.task,
    user: f.user,
    judge: f.judge,
    persona: f.persona,
    compat: f.compat,
    prompts: f.prompts,
    maxTurns: f.maxTurns ?? (tiny ? TINY_COMMON.maxTurns : DEFAULT_RUN.maxTurns),
    seed: f.seed,
    threads: f.threads ?? (tiny ? TINY_COMMON.threads : undefined),
    python: f.python,
    launcher: f.launcher,
    bf16: f.bf16 === true,
    eval: evalSettings,
  };
}

function printReport(r: TrainReport, json: boolean | undefined): void {
  if (json) return printJson(r);
  const losses = r.losses;
  const rows: (string | number)[][] = [
    ["model", r.model],
    ["steps", r.steps],
    ["loss first → last", losses.length ? `${fmt(losses[0])} → ${fmt(losses.at(-1)!)}` : "–"],
    ["time", `${r.seconds.toFixed(0)} s`],
  ];
  if (r.records !== undefined) rows.splice(1, 0, ["SFT records", r.records]);
  if (r.tasks !== undefined) rows.splice(1, 0, ["tasks", r.tasks]);
  if (r.evaluation) {
    const s = r.evaluation.summary as { microAverage?: number };
    rows.push(["eval micro-average", fmt(s.microAverage ?? NaN)], ["eval valid tool calls", `${(r.evaluation.validCallRate * 100).toFixed(0)}%`], ["eval report", r.evaluation.report]);
  }
  console.log(table([`train ${r.stage}`, r.out], rows));
}

/** Ctrl-C stops the Python stage (and the evaluation) cleanly; a second one quits now. */
async function withInterrupt<T>(fn: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  let count = 0;
  const onSigint = () => {
    count++;
    if (count > 1) process.exit(130);
    process.stderr.write("\nStopping the training (Ctrl-C again quits now)…\n");
    controller.abort(new Error("interrupted"));
  };
  process.on("SIGINT", onSigint);
  try {
    return await fn(controller.signal);
  } finally {
    process.off("SIGINT", onSigint);
  }
}

const io = (signal: AbortSignal) => ({ log: (line: string) => process.stderr.write(`${line}\n`), signal });

function wrap(err: unknown): never {
  throw err instanceof RangeError ? new CliError(err.message) : err;
}

export function register(program: Command): void {
  const train = program.command("train").description("train a policy with an existing engine (TRL): SFT cold start, then multi-turn GRPO against the environment server");
  common(
    train
      .command("sft")
      .description("SFT cold start: collect trajectories with a strong agent (default: the gyms' baselines), keep the best, fine-tune, evaluate")
      .argument("<gyms...>", "gym names, or all"),
  )
    .option("--agent <spec>", "who collects the trajectories: baseline | a model spec (the paper: GPT-4o)", "baseline")
    .option("--samples <k>", "attempts per task", intOption("--samples", 1), 1)
    .option("--top-k <n>", "trajectories kept per gym", intOption("--top-k", 1), 1000)
    .option("--min-score <x>", "keep trajectories scoring above this", floatOption("--min-score"), 0)
    .option("--data <file>", "train on this SFT file (userrl sft export --format trl) instead of collecting")
    .option("--grad-accum <n>", `gradient accumulation (paper ${PAPER_SFT.gradAccum})`, intOption("--grad-accum", 1))
    .option("--max-length <n>", `longest training sequence in tokens (paper ${PAPER_SFT.maxLength})`, intOption("--max-length", 1))
    .option("--warmup <x>", `warm-up fraction (paper ${PAPER_SFT.warmup})`, floatOption("--warmup"))
    .option("--save-steps <n>", "checkpoint every N steps (default: every epoch)", intOption("--save-steps", 1))
    .action(async (gyms: string[], f: SftFlags) => {
      const base = commonSettings(f, gyms);
      const sft: SftSettings = withDefaults(
        { ...PAPER_SFT, agent: f.agent, samples: f.samples, topK: f.topK, minScore: f.minScore },
        isTiny(f.model) ? TINY_SFT : undefined,
        { data: f.data, learningRate: f.lr, epochs: f.epochs, steps: f.steps, batch: f.batch, gradAccum: f.gradAccum, maxLength: f.maxLength, warmup: f.warmup, saveSteps: f.saveSteps },
      );
      const report = await withInterrupt((signal) => trainSft({ ...base, sft }, io(signal)).catch(wrap));
      printReport(report, f.json);
    });
  common(
    train
      .command("rl")
      .description("multi-turn GRPO (TRL) against `userrl serve`, with turn-level credit from the credit service; evaluates the result")
      .argument("<gyms...>", "gym names, or all"),
  )
    .option("--group-size <n>", `rollouts per prompt (paper ${PAPER_RL.groupSize})`, intOption("--group-size", 2))
    .option("--mini-batch <n>", `prompts per optimiser update (paper ${PAPER_RL.miniBatch})`, intOption("--mini-batch", 1))
    .option("--micro-batch <n>", `trajectories per device per pass (paper ${PAPER_RL.microBatch})`, intOption("--micro-batch", 1))
    .option("--temperature <t>", `sampling temperature (paper ${PAPER_RL.temperature})`, floatOption("--temperature", { min: 0, max: 2 }))
    .option("--max-completion-length <n>", `tokens of a whole multi-turn completion (paper ${PAPER_RL.maxCompletionLength})`, intOption("--max-completion-length", 1))
    .option("--max-turn-tokens <n>", "tokens of one reply (paper: no cap but the whole budget; 96 with --model tiny)", intOption("--max-turn-tokens", 1))
    .option("--turn-level <m>", `${TURN_LEVEL_METHODS.join(" | ")} (paper's best: Equalized)`, choiceOption("--turn-level", TURN_LEVEL_METHODS))
    .option("--trajectory <m>", `${TRAJECTORY_SCORE_METHODS.join(" | ")} (paper's best: R2G; the paper's "Sum" is Mean)`, choiceOption("--trajectory", TRAJECTORY_SCORE_METHODS))
    .option("--gamma <g>", `discount of R2G (paper ${PAPER_RL.gamma})`, floatOption("--gamma", { min: 0, max: 1 }))
    .option("--em-k <k>", `EM steepness (paper ${PAPER_RL.emK})`, floatOption("--em-k"))
    .option("--no-std", "GRPO without dividing by the group's standard deviation")
    .option("--save-every <n>", "checkpoint every N steps", intOption("--save-every", 1))
    .option("--vllm <mode>", "generate with vLLM: colocate | server (GPUs)", choiceOption("--vllm", ["colocate", "server"] as const))
    .option("--vllm-server-url <url>", "the `trl vllm-serve` endpoint for --vllm server")
    .option("--gradient-checkpointing", "trade compute for memory (large models)")
    .option("--curriculum <c>", "uniform (each task once per epoch, as the paper) | variance (tasks whose recent groups had non-zero variance drawn more often)", choiceOption("--curriculum", CURRICULA))
    .action(async (gyms: string[], f: RlFlags) => {
      const base = commonSettings(f, gyms);
      const rl: RlSettings = withDefaults(PAPER_RL, isTiny(f.model) ? TINY_RL : undefined, {
        learningRate: f.lr,
        epochs: f.epochs,
        steps: f.steps,
        batch: f.batch,
        groupSize: f.groupSize,
        miniBatch: f.miniBatch,
        microBatch: f.microBatch,
        temperature: f.temperature,
        maxCompletionLength: f.maxCompletionLength,
        maxTurnTokens: f.maxTurnTokens,
        turnLevel: f.turnLevel,
        trajectory: f.trajectory,
        gamma: f.gamma,
        emK: f.emK,
        normByStd: f.std,
        saveEvery: f.saveEvery,
        vllm: f.vllm,
        vllmServerUrl: f.vllmServerUrl,
        gradientCheckpointing: f.gradientCheckpointing,
        curriculum: f.curriculum,
      });
      // A --batch below the default mini-batch means one update per step; an unset micro-batch follows the group.
      if (f.miniBatch === undefined && (rl.miniBatch > rl.batch || rl.batch % rl.miniBatch)) rl.miniBatch = rl.batch;
      if (f.microBatch === undefined && (rl.miniBatch * rl.groupSize) % rl.microBatch) rl.microBatch = rl.groupSize;
      const report = await withInterrupt((signal) => trainRl({ ...base, rl }, io(signal)).catch(wrap));
      printReport(report, f.json);
    });
}
