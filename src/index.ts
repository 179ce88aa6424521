/** The userrl library API. */
export * from "./core/action.js";
export * from "./core/observation.js";
export * from "./core/pyformat.js";
export * from "./core/types.js";
export * from "./core/data-command.js";
export * from "./models/types.js";
export { createModel, parseModelSpec, registerModelScheme, SpecError } from "./models/spec.js";
export { OpenAIChatModel } from "./models/openai.js";
export { ScriptedModel } from "./models/scripted.js";
export { startFakeServer } from "./models/fake-server.js";
export { ResponseCache, CachedModel } from "./models/cache.js";
export { RetryingModel, LimitedModel, MeteredModel, UsageMeter } from "./models/wrappers.js";
export { extractObject, parseLiteral } from "./models/lenient-json.js";
// Local GGUF models: use createModel("local:…"); these need no native code (node-llama-cpp loads on first use).
export { DEFAULT_LOCAL_MODEL, LOCAL_MODELS, expandLocalAlias, type CatalogModel } from "./models/local/catalog.js";
export { writeTinyModel, tinyModelGguf, type TinyModelOptions } from "./models/local/tiny-model.js";
export { encodeGguf, writeGguf, type GgufTensor, type GgufValue } from "./models/local/gguf-writer.js";
export { DataStore, DataMissingError } from "./data/store.js";
export { GYMS, getGym, resolveGyms } from "./gyms/index.js";
export { turtleGym, TurtleEpisode, type TurtlePayload, type TurtleOptions } from "./gyms/turtle/index.js";
export { persuadeGym, PersuadeEpisode, type PersuadePayload, type PersuadeOptions } from "./gyms/persuade/index.js";
export { STANCES, type Stance } from "./gyms/persuade/stance.js";
export { telepathyGym, TelepathyEpisode, type TelepathyPayload } from "./gyms/telepathy/index.js";
export { intentionGym, IntentionEpisode, type IntentionPayload, type IntentionDetail } from "./gyms/intention/index.js";
export {
  askRole,
  roleModel,
  roleInfo,
  chooseUser,
  userProblem,
  playedBy,
  personBrief,
  UserChoiceError,
  KitEpisode,
  binaryScoring,
  sumScoring,
  quoteAgentText,
  type RoleSpec,
  type RoleRequest,
  type RoleAnswer,
  type PersonSide,
  type UserChoice,
  type ChosenUser,
  type Played,
  type TruncationPolicy,
} from "./gyms/kit/index.js";
export {
  travelGym,
  TravelEpisode,
  rewardPreset as travelRewardPreset,
  generateScenario as generateTravelScenario,
  checkScenario as checkTravelScenario,
  parseScenario as parseTravelScenario,
  loadScenarioDir as loadTravelScenarioDir,
  writeScenarioDir as writeTravelScenarioDir,
  type TravelPayload,
  type TravelOptions,
  type TravelScenario,
} from "./gyms/travel/index.js";
export {
  searchGym,
  resolveSearchProvider,
  SerperProvider,
  SearxngProvider,
  Bm25Provider,
  Bm25Index,
  SearchError,
  type SearchProvider,
  type SearchEntry,
  type SearchGymOptions,
} from "./gyms/search/index.js";
export {
  tauGym,
  TauEpisode,
  domainData as tauDomainData,
  tauReward,
  type TauPayload,
  type TauOptions,
  type DomainData as TauDomainData,
  type RewardInfo as TauRewardInfo,
} from "./gyms/tau/index.js";
export { LlmAgent } from "./agents/llm.js";
export { HumanAgent } from "./agents/human.js";
export { resolveAgent, resolveUser } from "./agents/resolve.js";
export { runEpisode, openingMessages } from "./rollout/episode.js";
export { runBatch, planJobs, DEFAULT_RUN, type RunConfig, type RunSummary, type Progress } from "./rollout/runner.js";
export { RunStore } from "./rollout/store.js";
export { exportJsonl } from "./rollout/export.js";
// What the CLI orchestrates, as library calls: run, evaluate, report, compare, SFT export (credit: below).
export { runRollouts, gymsToRun, defaultUserSpec, type RunRequest, type RunHooks } from "./rollout/run.js";
export { evaluate, type EvaluateOptions, type EvalEvent, type EvalResult, type AgentStart, type InProcessAgent } from "./eval/evaluate.js";
export { evaluateRun, scoringOf, type EvaluatedRun } from "./eval/load.js";
export { evalJson, writeReports, type EvalJson } from "./eval/reports.js";
export { summarize, type EvalSummary, type GymEval } from "./eval/aggregate.js";
export { compareRuns, compareText } from "./eval/compare.js";
export { textReport } from "./eval/report-text.js";
export { htmlReport } from "./eval/report-html.js";
export { exportRunSft, writeSft, type SftExportStats } from "./sft/export.js";
export { selectForSft, type SelectOptions, type RankBy } from "./sft/select.js";
export { SFT_FORMATS, toSft, type SftFormat } from "./sft/formats.js";
export type { AgentFactory } from "./agents/resolve.js";
// In-process agents (the AI SDK adapter is the separate entry `userrl/ai`; assertions are `userrl/testing`).
export { functionAgent, type AgentFunction, type FunctionReply, type FunctionTurn, type WireMessage } from "./sdk/function-agent.js";
export { startGymSession, type GymSession, type GymSessionOptions, type EpisodeResult } from "./sdk/gym-session.js";
export * from "./credit/index.js";
export * from "./server/index.js";
export * from "./train/index.js";
