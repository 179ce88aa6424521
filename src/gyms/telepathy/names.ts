/**
 * Names of a Telepathy entity and the rule that settles a clear hit: a guess that, once normalised
 * (case, accents, punctuation, articles, a plural "s", lead-ins such as "my guess is"), equals the
 * title, the name in `target_entity`, or an alias the data itself gives ("also known as …", a
 * parenthesis, a quoted nickname, a possessive prefix such as "Da Vinci's The Last Supper").
 */
import { normalizeText } from "../kit/lexical.js";

const ARTICLES = /^(?:the|a|an)\s+/;
const LEAD_INS = [
  /^(?:my|our) (?:final )?(?:guess|answer) (?:is|would be)\s+/,
  /^(?:final )?(?:guess|answer)\s+/,
  /^the answer is\s+/,
  /^i (?:think|guess|believe) (?:it is|its|it might be|that it is|you are thinking of|youre thinking of)\s+/,
  /^i (?:think|guess|believe)\s+/,
  /^(?:is it|it is|its|it must be|could it be|it might be|it could be|maybe)\s+/,
  /^(?:are you thinking of|you are thinking of|youre thinking of|were you thinking of)\s+/,
];

/** Abbreviations written either way in names ("Mt. Everest", "St. Louis"). */
const ABBREVIATIONS: Record<string, string> = { mt: "mount", st: "saint", dr: "doctor", jr: "junior", sr: "senior" };
const COMPANY_SUFFIXES = new Set(["inc", "corp", "corporation", "ltd", "llc", "co"]);

/** "j k rowling" and "jk rowling" are the same name: runs of single letters become one word. */
function joinInitials(s: string): string {
  return s.replace(/(?<![\p{L}\p{N}])(\p{L}) (?=\p{L}(?![\p{L}\p{N}]))/gu, "$1");
}

/** The comparable form of a name: normalised, no lead-in or leading article, no plural "s" at the end. */
export function nameKey(text: string): string {
  let s = normalizeText(text.replace(/\([^)]*\)/g, " "));
  for (let changed = true; changed; ) {
    changed = false;
    for (const re of LEAD_INS) {
      const next = s.replace(re, "");
      if (next !== s && next.length > 0) {
        s = next;
        changed = true;
      }
    }
  }
  s = s.replace(ARTICLES, "");
  const parts = joinInitials(s)
    .split(" ")
    .map((w) => ABBREVIATIONS[w] ?? w)
    .filter((w, i, a) => !(i === a.length - 1 && a.length > 1 && COMPANY_SUFFIXES.has(w)));
  const last = parts[parts.length - 1];
  if (last.length > 3 && last.endsWith("s") && !last.endsWith("ss")) parts[parts.length - 1] = last.slice(0, -1);
  return parts.join(" ");
}

/** Every name the data gives for an entity, as written (deduplicated by key). */
export function entityNames(title: string, targetEntity: string): string[] {
  const dash = targetEntity.indexOf(" - ");
  const name = (dash >= 0 ? targetEntity.slice(0, dash) : targetEntity).replace(/^['"]|['"]$/g, "").trim();
  const attributes = dash >= 0 ? targetEntity.slice(dash + 3) : "";
  const out: string[] = [title, name];
  for (const n of [title, name]) {
    const paren = /\(([^)]+)\)/.exec(n);
    if (paren) out.push(n.replace(paren[0], " ").trim(), paren[1].trim());
    const nick = /^(.*?)\s+['"](.+?)['"]\s+(.*)$/.exec(n);
    if (nick) out.push(`${nick[1]} ${nick[3]}`, nick[2]);
    const poss = /^[^']+'s\s+(.+)$/.exec(n);
    if (poss && normalizeText(poss[1]).replace(ARTICLES, "").split(" ").length >= 2) out.push(poss[1]);
  }
  for (const m of attributes.matchAll(/also known as ([^,.;]+)/gi)) {
    out.push(m[1].split(/\s+(?:in|by|from|for|and|or|who|which|is|are)\s+/i)[0].trim());
  }
  const seen = new Set<string>();
  return out.filter((n) => {
    const k = nameKey(n);
    if (!k || seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** True when the guess names the entity by one of its names (a clear hit no judge needs to confirm). */
export function isClearHit(guess: string, names: readonly string[]): boolean {
  return clearHitTest(names)(guess);
}

/** {@link isClearHit} for one entity, its names' keys computed once: for a user that tests many guesses. */
export function clearHitTest(names: readonly string[]): (guess: string) => boolean {
  const keys = new Set(names.map(nameKey));
  return (guess) => {
    const g = nameKey(guess);
    return g !== "" && keys.has(g);
  };
}

/** True when the text mentions one of the names as whole words (used to keep a judge from revealing it). */
export function mentionsName(text: string, names: readonly string[]): boolean {
  return mentionTest(names)(text);
}

/** {@link mentionsName} for one entity, its names normalised once: for a check that reads many texts. */
export function mentionTest(names: readonly string[]): (text: string) => boolean {
  const keys = names.map((n) => ` ${normalizeText(n).replace(ARTICLES, "")} `).filter((k) => k.length >= 5);
  return (text) => {
    const t = ` ${normalizeText(text)} `;
    return keys.some((k) => t.includes(k));
  };
}
