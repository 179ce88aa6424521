/**
 * Hidden text quoted rather than paraphrased: the simulator audit's leak checks of the gyms (src/gyms/<gym>/audit.ts)
 * ask whether a user's reply repeats a long enough run of words of what the user was told to keep to itself.
 */

const quoteTokens = (s: string): string[] => s.toLowerCase().match(/[\p{L}\p{N}']+/gu) ?? [];

/** A hidden text's words joined, its word set, and its runs of `min` words: built once per text, since every turn reads them. */
interface HiddenIndex {
  text: string;
  words: Set<string>;
  grams: Set<string>;
}
const hiddenIndexes = new Map<string, HiddenIndex>();
const HIDDEN_INDEXES_KEPT = 2048;

function hiddenIndex(hidden: string, min: number): HiddenIndex {
  const key = `${min}\u0000${hidden}`;
  let index = hiddenIndexes.get(key);
  if (!index) {
    const h = quoteTokens(hidden);
    const grams = new Set<string>();
    for (let i = 0; i + min <= h.length; i++) grams.add(h.slice(i, i + min).join(" "));
    if (hiddenIndexes.size >= HIDDEN_INDEXES_KEPT) hiddenIndexes.clear();
    index = { text: h.join(" "), words: new Set(h), grams };
    hiddenIndexes.set(key, index);
  }
  return index;
}

/**
 * The longest run of consecutive words `reply` shares with `hidden` (case and punctuation ignored), when it has
 * at least `min` words: the mark of hidden text quoted rather than paraphrased. Only where `min` words in a row
 * are all words of the hidden text is a run looked up (most replies have none), and runs are cut from the reply's
 * words joined once rather than joined again at each place.
 */
export function quotedSpan(reply: string, hidden: string, min: number): string | undefined {
  const r = quoteTokens(reply);
  const h = hiddenIndex(hidden, min);
  if (r.length < min || h.grams.size === 0) return undefined;
  const joined = r.join(" ");
  const starts: number[] = [];
  let at = 0;
  for (const w of r) {
    starts.push(at);
    at += w.length + 1;
  }
  const words = (from: number, to: number) => joined.slice(starts[from], starts[to - 1] + r[to - 1].length);
  let best: [number, number] | undefined;
  let hiddenRun = 0;
  for (let j = 0; j < r.length; j++) {
    hiddenRun = h.words.has(r[j]) ? hiddenRun + 1 : 0;
    if (hiddenRun < min) continue;
    const i = j - min + 1;
    if (!h.grams.has(words(i, j + 1))) continue;
    let end = i + min;
    while (end < r.length && h.text.includes(words(i, end + 1))) end++;
    if (!best || end - i > best[1] - best[0]) best = [i, end];
  }
  return best ? words(best[0], best[1]) : undefined;
}
