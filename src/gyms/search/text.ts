/**
 * Term analysis shared by the BM25 index and the search baseline: lower-cased Unicode word tokens
 * with diacritics folded, English stop words dropped, Porter-stemmed (the `stemmer` package).
 */
import { stemmer } from "stemmer";
import { foldText } from "../kit/text.js";

/** Function words that carry no retrieval signal (a short English list, as classic IR systems use). */
export const STOP_WORDS: ReadonlySet<string> = new Set(
  (
    "a an and are as at be been being but by can could did do does for from had has have he her his how i if in into is it its " +
    "of on or our she so than that the their them then there these they this those to was were what when where which who whom " +
    "whose why will with would you your also after before during about ever most more many much"
  ).split(" "),
);

/** Word tokens (letters and digits; apostrophes inside words are dropped: `o'brien` → `obrien`). */
export function words(text: string): string[] {
  return foldText(text).replace(/['’]/g, "").match(/[\p{L}\p{N}]+/gu) ?? [];
}

/** Index terms of a text: words without stop words, stemmed. */
export function terms(text: string): string[] {
  const out: string[] = [];
  for (const w of words(text)) if (!STOP_WORDS.has(w)) out.push(stem(w));
  return out;
}

const stemCache = new Map<string, string>();

function stem(word: string): string {
  // Digits and very short tokens are kept as they are; the stemmer is meant for English words.
  if (word.length < 3 || /\d/.test(word)) return word;
  let s = stemCache.get(word);
  if (s === undefined) {
    // Porter leaves "die" but cuts "died" to "di"; dropping a final "e" from every stem joins such pairs.
    s = stemmer(word).replace(/(?<=..)e$/, "");
    if (stemCache.size < 200_000) stemCache.set(word, s);
  }
  return s;
}
