/**
 * What a person thought of the agent after playing the user's seat: satisfaction 1–5, whether the agent
 * was efficient, a comment. Kept in a side table of the run's own database (`ratings`, keyed by episode),
 * so the episodes table — and everything that reads it: report, compare, export, credit — is unchanged.
 */
import type Database from "better-sqlite3";
import { z } from "zod";

export const ratingSchema = z.object({
  satisfaction: z.number().int().min(1).max(5),
  efficient: z.boolean(),
  comment: z.string().max(2000).default(""),
});

export type Rating = z.infer<typeof ratingSchema> & { at: string };

export function ensureRatingsTable(db: Database.Database): void {
  db.exec(
    "CREATE TABLE IF NOT EXISTS ratings (episode_key TEXT PRIMARY KEY, satisfaction INTEGER NOT NULL, efficient INTEGER NOT NULL, comment TEXT NOT NULL, at TEXT NOT NULL)",
  );
}

export function saveRating(db: Database.Database, key: string, r: z.infer<typeof ratingSchema>): Rating {
  ensureRatingsTable(db);
  const at = new Date().toISOString();
  db.prepare("INSERT OR REPLACE INTO ratings (episode_key, satisfaction, efficient, comment, at) VALUES (?, ?, ?, ?, ?)").run(
    key,
    r.satisfaction,
    r.efficient ? 1 : 0,
    r.comment,
    at,
  );
  return { ...r, at };
}

/** Every rating of a run, by episode key (none when the run never had a person in the user's seat). */
export function ratingsOf(db: Database.Database): Map<string, Rating> {
  const exists = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'ratings'").get();
  if (!exists) return new Map();
  const rows = db.prepare("SELECT * FROM ratings").all() as { episode_key: string; satisfaction: number; efficient: number; comment: string; at: string }[];
  return new Map(rows.map((r) => [r.episode_key, { satisfaction: r.satisfaction, efficient: r.efficient === 1, comment: r.comment, at: r.at }]));
}
