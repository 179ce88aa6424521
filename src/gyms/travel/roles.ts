/**
 * The simulated-user side of TravelGym, as one interface with two implementations: LLM roles
 * (`llm-roles.ts`, through ChatModel) and the deterministic offline user (`offline.ts`).
 * A role answers `value: null` when it could not produce a usable answer; the episode then applies the
 * reference's fallback (or, in fixed mode, a better one).
 */
import type { RoleCall } from "../../core/types.js";
import type { Preference, Scenario } from "./scenario.js";

export interface HistoryEntry {
  role: "agent" | "user" | "database";
  content: string;
  /** Why the user answered as they did (shown to the role models with the history, as in the reference). */
  note?: string;
}

export interface SearchVerdict {
  /** "True"/"False"/"N/A" as the reference's judge writes them; "invalid" for anything unusable. */
  verdict: "True" | "False" | "N/A" | "invalid";
  /** The aspect a "True" verdict names, as written. */
  aspect?: string;
}

export type UtteranceType = "1" | "2" | "3" | "4";

export interface Classification {
  type: UtteranceType;
  /** For type 2: the remaining preference asked about. */
  preferenceId?: string;
}

export interface RoleOutcome<T> {
  value: T;
  calls: RoleCall[];
  /** Set when the role fell back (unusable reply, failed call). */
  fallback?: string;
}

export interface TravelRoles {
  judgeSearch(query: string, scenario: Scenario): Promise<RoleOutcome<SearchVerdict>>;
  classify(utterance: string, history: readonly HistoryEntry[], remaining: readonly Preference[], scenario: Scenario): Promise<RoleOutcome<Classification | null>>;
  /** The user answers a question about one of their preferences, revealing it indirectly. */
  preferenceReply(pref: Preference, history: readonly HistoryEntry[], utterance: string): Promise<RoleOutcome<string | null>>;
  /** The user brings up a preference on their own after the talk has drifted. */
  proactiveReply(pref: Preference, history: readonly HistoryEntry[], utterance: string): Promise<RoleOutcome<string | null>>;
  /** A neutral reply that reveals nothing. */
  naturalReply(history: readonly HistoryEntry[], utterance: string): Promise<RoleOutcome<string | null>>;
}

/** The conversation as the role models read it: "Agent: …" / "[Note: …]" / "User: …" / "Database: …". */
export function renderHistory(history: readonly HistoryEntry[], withNotes: boolean): string {
  if (history.length === 0) return "No previous conversation.";
  const label = { agent: "Agent", user: "User", database: "Database" } as const;
  return history
    .map((e) => `${label[e.role]}: ${e.content}${withNotes && e.role === "agent" && e.note ? `\n[Note: ${e.note}]` : ""}`)
    .join("\n\n");
}
