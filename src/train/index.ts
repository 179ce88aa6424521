/** Training with an existing engine (TRL): `userrl train sft|rl`, their settings, and the metrics they record. */
export { trainSft, type SftRunOptions } from "./sft.js";
export type { TrainReport } from "./run-record.js";
export { trainRl, type RlRunOptions } from "./rl.js";
export {
  PAPER_SFT,
  PAPER_RL,
  PAPER_EVAL,
  TINY_MODEL,
  TINY_SFT,
  TINY_RL,
  TINY_EVAL,
  TINY_COMMON,
  isTiny,
  withDefaults,
  rlSteps,
  type TrainCommon,
  type SftSettings,
  type RlSettings,
  type EvalSettings,
} from "./options.js";
export { trainMetrics, stepMetrics, TrainLog, type TrainMetricRow } from "./metrics.js";
export { preparePython } from "./python.js";
