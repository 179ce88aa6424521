/** The shapes the API answers with (the server's types, as much of them as the pages read). */

export interface RunListing {
  id: string;
  dir: string;
  name: string;
  createdAt: string;
  agent: string;
  user: string;
  persona?: string;
  gyms: string[];
  episodes: number;
  errors: number;
  meanReward: Record<string, number>;
  tokens: { agent: number; user: number };
  live: boolean;
  planned?: number;
}

export interface GymEval {
  gym: string;
  n: number;
  episodes: number;
  score: number;
  stderr: number;
  ci95: [number, number];
  successRate: number;
  effectiveTurns: number;
  meanTurns: number;
  rewardByTurn: number[];
  passAtK: { k: number; avg: number; max: number };
}

export interface RunDetail extends RunListing {
  config: Record<string, unknown>;
  codeVersion: string;
  facets: { gyms: string[]; endReasons: string[] };
}

export interface RunScores {
  gyms: Record<string, GymEval>;
  microAverage: number;
  microAverageStderr: number;
  episodes: number;
}

export interface EpisodeRow {
  key: string;
  gym: string;
  taskId: string;
  sample: number;
  status: string;
  endReason: string;
  totalReward: number;
  score: number;
  turns: number;
  durationMs: number;
  error: string | null;
}

export interface Usage {
  promptTokens: number;
  completionTokens: number;
}

export interface RoleCall {
  role: string;
  model: string;
  usage: Usage;
  latencyMs: number;
  cached?: boolean;
  fallback?: string;
  reply?: unknown;
  [k: string]: unknown;
}

export interface TurnRecord {
  turn: number;
  action: { choice: string; content: string } | null;
  feedback: string;
  reward: number;
  done: boolean;
  truncated: boolean;
  info: Record<string, unknown>;
  usage?: Usage;
  roleCalls?: RoleCall[];
  fallbacks?: string[];
  error?: string;
}

export interface ChatMessage {
  role: "system" | "user" | "assistant" | "tool";
  content: string;
}

export interface Trajectory {
  gym: string;
  taskId: string;
  sample: number;
  agentSpec: string;
  userSpec: string;
  compat: string;
  messages: ChatMessage[];
  turns: TurnRecord[];
  endReason: string;
  totalReward: number;
  durationMs: number;
  meta?: Record<string, unknown>;
}

export interface Rating {
  satisfaction: number;
  efficient: boolean;
  comment: string;
  at: string;
}

export interface EpisodeDetail {
  trajectory: Trajectory;
  status: string;
  error: string | null;
  score: number;
  hidden: unknown;
  rating?: Rating;
}

export interface GymDelta {
  gym: string;
  a: number;
  b: number;
  delta: number;
  stderr: number;
  ci95: [number, number];
  significant: boolean;
  paired: boolean;
  tasks: number;
}

export interface Comparison {
  a: { dir: string; agent: string; user: string };
  b: { dir: string; agent: string; user: string };
  sameUser: boolean;
  gyms: GymDelta[];
  microAverage: { a: number; b: number; delta: number; stderr: number };
  tasks: { gym: string; taskId: string; a: number; b: number; delta: number }[];
}

export interface GymInfo {
  name: string;
  title: string;
  summary: string;
  offlineUser: string | null;
  agents: string[];
}

export interface Line {
  from: "agent" | "user" | "environment" | "system";
  text: string;
}

export interface LiveView {
  id: string;
  seat: "agent" | "user";
  gym: string;
  taskId: string;
  opponent: string;
  version: number;
  waiting: { seat: "agent"; turn: number; maxTurns: number } | { seat: "user"; question: { role: string; turn: number; brief: string; prompt: string; choices?: string[] } } | null;
  lines: Line[];
  brief?: string;
  result?: { runId: string; uiRun: string; runDir: string; key: string; endReason: string; totalReward: number; score: number; turns: number };
  error?: string;
  rated: boolean;
  study?: { id: string; participant: string };
}

export interface Study {
  id: string;
  title: string;
  agent: string;
  items: { gym: string; taskId: string }[];
  maxTurns: number;
  createdAt: string;
}

export interface Progress {
  study: Study;
  participant: string;
  items: { gym: string; taskId: string; done: boolean }[];
  next: number;
}

export interface SideStats {
  score: number;
  ci95: [number, number];
  tasks: number;
  episodes: number;
  meanTurns: number;
}

export interface RealUserReport {
  agent: string;
  agents: string[];
  simulatedUsers: string[];
  people: string[];
  gyms: {
    gym: string;
    simulated?: SideStats;
    human?: SideStats;
    delta?: { delta: number; stderr: number; ci95: [number, number]; paired: boolean; tasks: number };
    ratings: { n: number; satisfaction: number | null; efficient: number | null };
  }[];
  comments: { gym: string; taskId: string; person: string; rating: Rating }[];
}
