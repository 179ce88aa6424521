/**
 * Hidden text quoted rather than paraphrased: the simulator audit's leak checks of the gyms (src/gyms/<gym>/audit.ts)
 * ask whether a user's reply repeats a long enough run of words of what the user was told to keep to itself.
 */
import { lowerWordRuns } from "./lexical.js";

/** Words of a text as quotes are compared: lower-cased, apostrophes kept ("don't" is one word). */
const quoteTokens = (s: string): string[] => lowerWordRuns(s, true);

/**
 * A hidden text's words joined (a space at each end, so that a run is found only as whole words), its word set,
 * and its runs of `min` words: built once per text, since every turn reads them.
 */
interface HiddenIndex {
  text: string;
  words: Set<string>;
  grams: Set<string>;
}
/** By run length, then by hidden text (the text itself the key: a task's text is one string, hashed once). */
const hiddenIndexes = new Map<number, Map<string, HiddenIndex>>();
const HIDDEN_INDEXES_KEPT = 2048;

function hiddenIndex(hidden: string, min: number): HiddenIndex {
  let byText = hiddenIndexes.get(min);
  if (!byText) hiddenIndexes.set(min, (byText = new Map()));
  let index = byText.get(hidden);
  if (!index) {
    const h = quoteTokens(hidden);
    const grams = new Set<string>();
    for (let i = 0; i + min <= h.length; i++) grams.add(h.slice(i, i + min).join(" "));
    if (byText.size >= HIDDEN_INDEXES_KEPT) byText.clear();
    index = { text: ` ${h.join(" ")} `, words: new Set(h), grams };
    byText.set(hidden, index);
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
  if (r.length < min) return undefined;
  const h = hiddenIndex(hidden, min);
  if (h.grams.size === 0 || !hasRun(r, h.words, min)) return undefined;
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
    while (end < r.length && h.text.includes(` ${words(i, end + 1)} `)) end++;
    if (!best || end - i > best[1] - best[0]) best = [i, end];
  }
  return best ? words(best[0], best[1]) : undefined;
}

/**
 * Whether `min` words in a row of `r` are all in `words` (most replies have no such run, and are settled here).
 * Any `min` words in a row include exactly one position p with p % min === min - 1, so only those positions are
 * looked up first, and a run is measured only around one that is a hidden word.
 */
function hasRun(r: readonly string[], words: ReadonlySet<string>, min: number): boolean {
  for (let p = min - 1; p < r.length; p += min) {
    if (!words.has(r[p])) continue;
    let from = p;
    while (from > 0 && p - from < min - 1 && words.has(r[from - 1])) from--;
    let to = p + 1;
    while (to < r.length && to - from < min && words.has(r[to])) to++;
    if (to - from >= min) return true;
  }
  return false;
}
