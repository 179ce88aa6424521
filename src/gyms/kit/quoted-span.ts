/**
 * Hidden text quoted rather than paraphrased: the simulator audit's leak checks of the gyms (src/gyms/<gym>/audit.ts)
 * ask whether a user's reply repeats a long enough run of words of what the user was told to keep to itself.
 */

const quoteTokens = (s: string): string[] => s.toLowerCase().match(/[\p{L}\p{N}']+/gu) ?? [];

/** A hidden text's words joined, and its runs of `min` words: built once per text, since every turn reads them. */
const hiddenIndexes = new Map<string, { text: string; grams: Set<string> }>();
const HIDDEN_INDEXES_KEPT = 2048;

function hiddenIndex(hidden: string, min: number): { text: string; grams: Set<string> } {
  const key = `${min}\u0000${hidden}`;
  let index = hiddenIndexes.get(key);
  if (!index) {
    const h = quoteTokens(hidden);
    const grams = new Set<string>();
    for (let i = 0; i + min <= h.length; i++) grams.add(h.slice(i, i + min).join(" "));
    if (hiddenIndexes.size >= HIDDEN_INDEXES_KEPT) hiddenIndexes.clear();
    index = { text: h.join(" "), grams };
    hiddenIndexes.set(key, index);
  }
  return index;
}

/**
 * The longest run of consecutive words `reply` shares with `hidden` (case and punctuation ignored), when it has
 * at least `min` words: the mark of hidden text quoted rather than paraphrased.
 */
export function quotedSpan(reply: string, hidden: string, min: number): string | undefined {
  const r = quoteTokens(reply);
  const h = hiddenIndex(hidden, min);
  if (r.length < min || h.grams.size === 0) return undefined;
  let best: [number, number] | undefined;
  for (let i = 0; i + min <= r.length; i++) {
    if (!h.grams.has(r.slice(i, i + min).join(" "))) continue;
    let end = i + min;
    while (end < r.length && h.text.includes(r.slice(i, end + 1).join(" "))) end++;
    if (!best || end - i > best[1] - best[0]) best = [i, end];
  }
  return best ? r.slice(best[0], best[1]).join(" ") : undefined;
}
