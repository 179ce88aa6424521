/**
 * The gym kit: what every gym shares. A gym is one folder built from these pieces and one registry line
 * (see docs/adding-a-gym.md).
 */
export { KitEpisode, afterEndResult, EPISODE_COMPLETE, gymOptions, optionsCheck, optionsError, clip, storedEntry, infoHistory, type Played, type TruncationPolicy } from "./episode.js";
export {
  askRole,
  roleInfo,
  roleModel,
  roleTrace,
  ownObject,
  referenceLiteral,
  NoOfflineUserError,
  requireRoleModels,
  ROLE_DEFAULTS,
  type RoleSpec,
  type RoleRequest,
  type RoleAnswer,
  type RoleParse,
  type PersonSide,
} from "./roles.js";
export { chooseUser, userProblem, playedBy, personBrief, isHumanSpec, UserChoiceError, type UserChoice, type ChosenUser } from "./choose.js";
export { binaryScoring, sumScoring } from "./scoring.js";
export { quoteAgentText, DATA_NOT_INSTRUCTIONS, DEFAULT_QUOTE_CHARS, type Quoted } from "./quote.js";
export { buildSystemPrompt, type PromptParts } from "./system-prompt.js";
export { datasetPrompt, memoizeTasks } from "./dataset-prompt.js";
export { tasksFromParquet } from "./parquet-tasks.js";
export { Rng, hashSeed } from "./random.js";
export { fnv1a32 } from "./hash.js";
export { foldText } from "./text.js";
export type { PersonaView, HumanSeat, HumanRequest, Seat, RoleInfo, GymScoring } from "../../core/types.js";
