/**
 * Small lexical tools for the deterministic (offline) users: normalised words, a light stemmer and a
 * stop-word list. Deliberately simple and dependency-free: the offline users must be predictable,
 * and their matching rules are documented in the README.
 */
import { foldText } from "./text.js";

/** Lowercase, strip accents, turn `&` into "and", keep letters/digits, collapse spaces. */
export function normalizeText(text: string): string {
  return foldText(text)
    .replace(/&/g, " and ")
    .replace(/['’‘`]/g, "")
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim();
}

/**
 * Runs of letters and digits of a text (apostrophes too, when `apostrophes`), lower-cased and otherwise as written:
 * no accents folded, nothing stemmed (what the audits compare with hidden text). Most text is ASCII, where the plain
 * class is several times quicker than the Unicode one and means the same.
 */
export function lowerWordRuns(text: string, apostrophes = false): string[] {
  const lower = text.toLowerCase();
  const ascii = !/[^\x00-\x7f]/.test(lower);
  const run = apostrophes ? (ascii ? /[a-z0-9']+/g : /[\p{L}\p{N}']+/gu) : ascii ? /[a-z0-9]+/g : /[\p{L}\p{N}]+/gu;
  return lower.match(run) ?? [];
}

/** Words of a text after {@link normalizeText}. */
export function words(text: string): string[] {
  const n = normalizeText(text);
  return n ? n.split(" ") : [];
}

/**
 * A light suffix stemmer (plural and common verb endings) so that "hotels"/"hotel", "planning"/"plan",
 * "preferred"/"prefer" meet. It only needs to be consistent with itself.
 */
export function stem(word: string): string {
  let s = stems.get(word);
  if (s === undefined) {
    if (stems.size >= MAX_STEMS) stems.clear();
    s = stemOf(word);
    stems.set(word, s);
  }
  return s;
}

/** Stems already computed: the offline users and the audit stem the same few thousand words over and over. */
const stems = new Map<string, string>();
const MAX_STEMS = 50_000;

function stemOf(word: string): string {
  let w = word;
  if (w.length <= 3 || /^\d/.test(w)) return w;
  if (w.endsWith("ies") && w.length > 4) w = `${w.slice(0, -3)}y`;
  else if (/(ches|shes|sses|xes|zes)$/.test(w)) w = w.slice(0, -2);
  else if (w.endsWith("s") && !/(ss|us|is)$/.test(w)) w = w.slice(0, -1);
  if (w.endsWith("ing") && w.length > 5) w = undouble(w.slice(0, -3));
  else if (w.endsWith("ed") && w.length > 4) w = undouble(w.slice(0, -2));
  if (w.endsWith("e") && w.length > 4) w = w.slice(0, -1);
  return w;
}

function undouble(w: string): string {
  return /([b-df-hj-np-tv-z])\1$/.test(w) && !/(ll|ss|zz)$/.test(w) ? w.slice(0, -1) : w;
}

/** Function words and question scaffolding that carry no topic. */
export const STOP_WORDS: ReadonlySet<string> = new Set(
  (
    "a an the and or but if then than so of to in on at by for with from into onto about as per via " +
    "is are was were be been being am do does did done doing have has had having can could would should will shall may might must " +
    "i me my mine we us our ours you your yours he him his she her hers it its they them their theirs this that these those there here " +
    "what which who whom whose when where why how any some all each every both either neither no not nor only own same such too very " +
    "just also more most other another much many few lot lots kind sort type types please thanks thank ok okay yes yeah " +
    "like would d ll m re s t ve let lets want wants wanted need needs needed tell know think thinking looking look going get got " +
    "one ones thing things something anything everything someone anyone specific particular particularly certain really quite " +
    "dont doesnt didnt isnt arent wasnt werent cant couldnt wont wouldnt shouldnt im ive youre youve whats hows theres thats"
  ).split(" "),
);

/** Content words of a text, stemmed, stop words removed (order kept, duplicates dropped). */
export function contentStems(text: string, extraStop: ReadonlySet<string> = new Set()): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  for (const w of words(text)) {
    if (STOP_WORDS.has(w) || extraStop.has(w)) continue;
    const s = stem(w);
    if (extraStop.has(s) || seen.has(s)) continue;
    seen.add(s);
    out.push(s);
  }
  return out;
}

