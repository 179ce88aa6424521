/**
 * GuessGym's offline user: answers a yes/no question about its secret number by rule, so the gym plays
 * without any model (`--user offline`) and its tests are deterministic. It reads the first cue it knows, in
 * this order, and ignores negation ("isn't it above 50?" is answered as "is it above 50?"):
 *  - a range: "between A and B" (inclusive, either order);
 *  - a bound: "at least N", "N or more", "no less than N" (≥); "at most N", "N or less", "no more than N" (≤);
 *  - a comparison: "greater / more / bigger / larger / higher than N", "above / over / exceeds N", "> N" (>),
 *    "less / fewer / smaller / lower than N", "below / under N", "< N" (<);
 *  - parity ("even", "odd"), "prime", "divisible by N" / "a multiple of N";
 *  - equality: exactly one number and none of the above ("is it 42?").
 * Anything else gets "Maybe": the user cannot tell what is asked.
 */

import type { YesNo } from "../kit/yes-no.js";
export type { YesNo };

/** A whole number starting at a word boundary (so a long run of digits is tried once, not from every digit). */
const N = String.raw`(-?\b\d+)`;

/** Cues in the order they are tried: a pattern, and the test it puts to the secret. */
const CUES: { re: RegExp; holds: (s: number, m: RegExpExecArray) => boolean }[] = [
  { re: new RegExp(String.raw`\bbetween\s+${N}\s+and\s+${N}`), holds: (s, m) => Math.min(+m[1], +m[2]) <= s && s <= Math.max(+m[1], +m[2]) },
  { re: new RegExp(String.raw`\b(?:at\s+least|no\s+less\s+than|not\s+less\s+than)\s+${N}|${N}\s+or\s+(?:more|higher|greater|above)\b|>=\s*${N}`), holds: (s, m) => s >= num(m) },
  { re: new RegExp(String.raw`\b(?:at\s+most|no\s+more\s+than|not\s+more\s+than)\s+${N}|${N}\s+or\s+(?:less|lower|smaller|below|fewer)\b|<=\s*${N}`), holds: (s, m) => s <= num(m) },
  { re: new RegExp(String.raw`\b(?:(?:greater|more|bigger|larger|higher)\s+than|above|over|exceeds?)\s+${N}|>\s*${N}`), holds: (s, m) => s > num(m) },
  { re: new RegExp(String.raw`\b(?:(?:less|fewer|smaller|lower)\s+than|below|under)\s+${N}|<\s*${N}`), holds: (s, m) => s < num(m) },
  { re: /\beven\b/, holds: (s) => s % 2 === 0 },
  { re: /\bodd\b/, holds: (s) => s % 2 !== 0 },
  { re: /\bprime\b/, holds: (s) => isPrime(s) },
  { re: new RegExp(String.raw`\b(?:divisible\s+by|multiple\s+of)\s+${N}`), holds: (s, m) => num(m) !== 0 && s % num(m) === 0 },
];

/** The one number a pattern captured (alternatives leave the others undefined). */
function num(m: RegExpExecArray): number {
  return Number(m.slice(1).find((g) => g !== undefined));
}

function isPrime(n: number): boolean {
  if (n < 2) return false;
  for (let d = 2; d * d <= n; d++) if (n % d === 0) return false;
  return true;
}

/** The offline user's answer to `question` about `secret`. */
export function offlineAnswer(secret: number, question: string): YesNo {
  const q = question.toLowerCase();
  for (const cue of CUES) {
    const m = cue.re.exec(q);
    if (m) return cue.holds(secret, m) ? "Yes" : "No";
  }
  const numbers = q.match(/-?\d+/g) ?? [];
  if (numbers.length === 1) return Number(numbers[0]) === secret ? "Yes" : "No";
  return "Maybe";
}
