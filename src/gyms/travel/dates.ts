/**
 * Calendar dates as TravelGym's users write them ("April 10th") and as agents may search for them
 * ("Apr 10", "10 April", "2025-04-10", "4/10"). Years are ignored: the trips name none.
 */
import { MONTHS } from "./places.js";

export interface DayMention {
  month: number;
  day: number;
  start: number;
  end: number;
}

const MONTH_RE = "(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\\.?";
const ORD = "(?:st|nd|rd|th)?";

const PATTERNS: { re: RegExp; read(m: RegExpExecArray): [number, number] }[] = [
  // 2025-04-10
  { re: /\b(\d{4})-(\d{1,2})-(\d{1,2})\b/g, read: (m) => [Number(m[2]), Number(m[3])] },
  // April 10th, Apr. 10
  { re: new RegExp(`\\b${MONTH_RE}\\s+(\\d{1,2})${ORD}\\b`, "gi"), read: (m) => [monthNumber(m[1]), Number(m[2])] },
  // 10th of April, 10 April
  { re: new RegExp(`\\b(\\d{1,2})${ORD}\\s+(?:of\\s+)?${MONTH_RE}\\b`, "gi"), read: (m) => [monthNumber(m[2]), Number(m[1])] },
  // 04/10 or 4/10/2025 (month first, as the trips are written in US style)
  { re: /\b(\d{1,2})\/(\d{1,2})(?:\/\d{2,4})?\b/g, read: (m) => [Number(m[1]), Number(m[2])] },
];

function monthNumber(word: string): number {
  const w = word.toLowerCase().replace(/\.$/, "");
  return MONTHS.findIndex((m) => m.startsWith(w.slice(0, 3))) + 1;
}

/** Every date written in `text`, in order of appearance (overlapping forms counted once). */
export function findDays(text: string): DayMention[] {
  const out: DayMention[] = [];
  for (const { re, read } of PATTERNS) {
    re.lastIndex = 0;
    for (let m = re.exec(text); m; m = re.exec(text)) {
      const [month, day] = read(m);
      const start = m.index;
      const end = start + m[0].length;
      if (month < 1 || month > 12 || day < 1 || day > 31) continue;
      if (out.some((d) => start < d.end && end > d.start)) continue;
      out.push({ month, day, start, end });
    }
  }
  return out.sort((a, b) => a.start - b.start);
}

/** A comparable key: "4-10". */
export function dayKey(d: { month: number; day: number }): string {
  return `${d.month}-${d.day}`;
}

/** The key of a date written in `text`, or undefined when it holds none or several. */
export function parseDayKey(text: string): string | undefined {
  const days = findDays(text);
  return days.length === 1 ? dayKey(days[0]) : undefined;
}

/** "April 10th". */
export function formatDay(d: { month: number; day: number }): string {
  const m = MONTHS[d.month - 1];
  return `${m[0].toUpperCase()}${m.slice(1)} ${d.day}${ordinal(d.day)}`;
}

function ordinal(n: number): string {
  if (n % 100 >= 11 && n % 100 <= 13) return "th";
  return ["th", "st", "nd", "rd"][n % 10] ?? "th";
}

/** Nights between two dates of the same trip (a trip may cross New Year). */
export function nightsBetween(a: { month: number; day: number }, b: { month: number; day: number }): number {
  const y = 2025;
  const t0 = Date.UTC(y, a.month - 1, a.day);
  let t1 = Date.UTC(y, b.month - 1, b.day);
  if (t1 < t0) t1 = Date.UTC(y + 1, b.month - 1, b.day);
  return Math.round((t1 - t0) / 86_400_000);
}
