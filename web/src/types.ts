/** The shapes the API answers with: the server's own types (type imports only; nothing of the server is bundled). */
export type { RunListing, RunDetail, EpisodeDetail, EpisodeSummaryRow as EpisodeRow } from "../../src/ui/runs.js";
export type { RunScores, ComparisonBody as Comparison } from "../../src/ui/app.js";
export type { Line, LiveView } from "../../src/ui/live.js";
export type { RealUserReport, SideStats } from "../../src/ui/real-users.js";
export type { Study, ParticipantProgress as Progress } from "../../src/ui/studies.js";
export type { Rating } from "../../src/ui/ratings.js";
export type { RoleCall, Trajectory, TurnRecord } from "../../src/core/types.js";

/** A built-in persona as `/api/gyms` offers it. */
export interface Persona {
  name: string;
  summary: string;
}

/** A gym as `/api/gyms` lists it. */
export interface GymInfo {
  name: string;
  title: string;
  summary: string;
  /** `--user offline` can play it. */
  offline: boolean;
  offlineUser: string | null;
  agents: string[];
  /** A person can take the user's seat. */
  person: boolean;
}
