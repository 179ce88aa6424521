/**
 * Rule-based answer matching for SearchGym: the cheap check made before (or, offline, instead of) the
 * LLM judge.
 *
 * - `userrl-2025` (the reference): equal after keeping only Unicode letters and digits, lower-cased
 *   (`"James Madison!"` = `"jamesmadison"`).
 * - `fixed` (default) accepts that, and also these formatting-only variants:
 *   - SQuAD-style normalisation (lower case, punctuation and the articles a/an/the removed, whitespace
 *     collapsed), with diacritics folded: `"The Golden State"` = `"Golden State"`, `"Toghon Temur"` =
 *     `"Toghon Temür"`;
 *   - the same calendar date in another common English format: `"30 April 1789"` = `"April 30, 1789"` =
 *     `"1789-04-30"`.
 *   Each of these only rewrites formatting, never content, so no wrong answer can pass.
 */
import type { Compat } from "../../core/types.js";
import { foldText } from "../kit/text.js";

/** The reference's `answer_normalize`: Python `isalnum` characters, each lower-cased. */
export function compactNormalize(text: string): string {
  let out = "";
  for (const ch of text) if (/[\p{L}\p{N}]/u.test(ch)) out += ch.toLowerCase();
  return out;
}

/** SQuAD's answer normalisation, Unicode-aware, with diacritics folded. */
export function squadNormalize(text: string): string {
  const noPunct = foldText(text).replace(/[^\p{L}\p{N}\s]/gu, "");
  return noPunct
    .replace(/\b(a|an|the)\b/g, " ")
    .split(/\s+/)
    .filter(Boolean)
    .join(" ");
}

const MONTHS = [
  "january",
  "february",
  "march",
  "april",
  "may",
  "june",
  "july",
  "august",
  "september",
  "october",
  "november",
  "december",
];

function monthNumber(name: string): number | undefined {
  // Full names and the usual abbreviations (`Apr`, `Apr.`, `Sept`).
  const n = name.toLowerCase().replace(/\.$/, "");
  const i = MONTHS.findIndex((m) => m === n || m.slice(0, 3) === n || (n === "sept" && m === "september"));
  return i >= 0 ? i + 1 : undefined;
}

/**
 * A whole answer that is one calendar date, as `YYYY-MM-DD`; undefined otherwise. Understands
 * `April 30, 1789`, `30 April 1789`, `Apr. 30 1789`, `30th of April, 1789`, `1789-04-30`, with an
 * optional leading "on".
 */
export function canonicalDate(text: string): string | undefined {
  const s = text.trim().replace(/^on\s+/i, "").replace(/[.\s]+$/, "");
  let y: number, m: number | undefined, d: number;
  let r = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(s);
  if (r) [y, m, d] = [Number(r[1]), Number(r[2]), Number(r[3])];
  else if ((r = /^([A-Za-z]+\.?)\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{1,4})$/.exec(s))) {
    [m, d, y] = [monthNumber(r[1]), Number(r[2]), Number(r[3])];
  } else if ((r = /^(\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?([A-Za-z]+\.?),?\s+(\d{1,4})$/i.exec(s))) {
    [d, m, y] = [Number(r[1]), monthNumber(r[2]), Number(r[3])];
  } else return undefined;
  if (!m || m < 1 || m > 12 || d < 1 || d > 31) return undefined;
  return `${String(y).padStart(4, "0")}-${String(m).padStart(2, "0")}-${String(d).padStart(2, "0")}`;
}

/** Whether the answer matches the gold answer by rule (no LLM). */
export function exactMatch(answer: string, gold: string, compat: Compat): boolean {
  const a = compactNormalize(answer);
  const g = compactNormalize(gold);
  if (compat === "userrl-2025") return a === g;
  if (a !== "" && a === g) return true;
  const sa = squadNormalize(answer);
  if (sa !== "" && sa === squadNormalize(gold)) return true;
  const da = canonicalDate(answer);
  return da !== undefined && da === canonicalDate(gold);
}
