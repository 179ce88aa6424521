/**
 * Result text as the reference's Serper helper writes it: numbered entries, an answer first when there
 * is one, `N. <title>\n- Answer: <answer>` or `N. <title>\n- Snippet: <snippet>`, at most `max`, stripped.
 */
import { pyStrip } from "../../../core/action.js";
import type { SearchEntry } from "./types.js";

/** Shown when a search found nothing (the reference retries for 30 s and then says "Search Error: Timeout"). */
export const NO_RESULTS = "No results found.";

export function formatResults(entries: readonly SearchEntry[], max: number): string {
  const lines: string[] = [];
  for (const e of entries) {
    if (lines.length >= max) break;
    const n = lines.length + 1;
    if (e.answer !== undefined) lines.push(`${n}. ${e.title}\n- Answer: ${e.answer}`);
    else if (e.snippet !== undefined) lines.push(`${n}. ${e.title}\n- Snippet: ${e.snippet}`);
  }
  return lines.length ? pyStrip(lines.join("\n")) : NO_RESULTS;
}

/** The whole feedback of a successful search. */
export function searchFeedback(query: string, entries: readonly SearchEntry[], max: number): string {
  return `Search results for '${query}':\n${formatResults(entries, max)}`;
}
