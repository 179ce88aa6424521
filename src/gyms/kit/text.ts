/** Text helpers shared by the gyms: the one text folding, and plain-text tools for the scripted baselines. */

/** Lower case, compatibility-normalised, diacritics removed (`Temür` → `temur`). */
export function foldText(text: string): string {
  // Plain ASCII has nothing to decompose or strip: the common case skips both passes.
  if (!/[^\x00-\x7f]/.test(text)) return text.toLowerCase();
  return text.normalize("NFKD").replace(/\p{M}+/gu, "").toLowerCase();
}

/** Sentences of a prose text (a simple split on terminal punctuation followed by a space). */
export function sentences(text: string): string[] {
  return text
    .replace(/\s+/g, " ")
    .split(/(?<=[.!?])\s+(?=["'“A-Z0-9])/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

/** Cut text to at most `n` characters at a word boundary, without a trailing sentence stop. */
export function shorten(text: string, n: number): string {
  const t = text.trim().replace(/[.!?;:,]+$/, "");
  if (t.length <= n) return t;
  const cut = t.slice(0, n);
  const space = cut.lastIndexOf(" ");
  return `${(space > n / 2 ? cut.slice(0, space) : cut).replace(/[.!?;:,]+$/, "")}…`;
}

/** The first letter in lower case, unless the word looks like a name or an acronym. */
export function lowerFirst(text: string): string {
  const [first = ""] = text.split(" ");
  if (first.length > 1 && first === first.toUpperCase()) return text;
  return /^(I|I'm|I've)$/.test(first) ? text : text.charAt(0).toLowerCase() + text.slice(1);
}
