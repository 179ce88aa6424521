/**
 * Credit assignment (spec/pipeline.md §3): turn-level shaping × trajectory scoring → GRPO advantages,
 * down to tokens. One source of truth for the environment server, the CLI, the RL export and trainers.
 */
export {
  TURN_LEVEL_METHODS,
  TRAJECTORY_SCORE_METHODS,
  DEFAULT_GAMMA,
  DEFAULT_EM_K,
  turnCredits,
  trajectoryScore,
  rewardToGo,
  exponentialMapping,
  lookAheadValue,
  type TurnLevelMethod,
  type TrajectoryScoreMethod,
} from "./methods.js";
export { DEFAULT_EPS, normaliseGroup, type GroupNormalisation } from "./grpo.js";
export { scaleTurnAdvantages, maskedTurnTokens, fillTokenAdvantages, type TurnScaling, type TurnSpan } from "./tokens.js";
export {
  computeGroupAdvantages,
  resolveCreditOptions,
  DEFAULT_CREDIT_OPTIONS,
  type CreditId,
  type CreditOptions,
  type CreditTrajectoryInput,
  type CreditGroupInput,
  type TrajectoryCredit,
  type GroupSummary,
  type CreditResult,
} from "./advantages.js";
export { creditRequestSchema, creditOptionsSchema, parseCreditRequest } from "./schema.js";
export { loadChatTokenizer, type ChatTokenizer, type LoadChatTokenizerOptions } from "./chat-tokenizer.js";
export { tokenizeConversation, renderConversation, templateMessages, type ConversationTokens, type RenderOptions } from "./token-spans.js";
export { rlRows, groupTrajectories, tokenizeTrajectory, type RlRow, type RlBatchOptions, type TokenizedTrajectory } from "./rl-batch.js";
export { writeRlBatch, readRlBatch, formatFromPath, rlRowSchema, RL_FORMATS, type RlFormat, type RlWriteOptions } from "./rl-export.js";
export { creditOfRun, EmptyRunError, lookAheadCreditOfRun, type RunCredit, type RunCreditOptions, type RunLookAhead } from "./run-credit.js";
