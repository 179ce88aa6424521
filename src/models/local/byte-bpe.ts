/**
 * A GPT-2/Qwen-style byte-level BPE vocabulary learned from a small text, for generated test models:
 * 256 byte tokens (each byte written as its GPT-2 "printable" character) followed by learned merges.
 */

/** GPT-2's byte → character table: printable bytes map to themselves, the rest to U+0100 onwards. */
export function byteToChar(): string[] {
  const printable: number[] = [];
  for (let b = 0x21; b <= 0x7e; b++) printable.push(b);
  for (let b = 0xa1; b <= 0xac; b++) printable.push(b);
  for (let b = 0xae; b <= 0xff; b++) printable.push(b);
  const table = new Array<string>(256);
  for (const b of printable) table[b] = String.fromCodePoint(b);
  let next = 256;
  for (let b = 0; b < 256; b++) if (table[b] === undefined) table[b] = String.fromCodePoint(next++);
  return table;
}

/** Qwen2's pre-tokenizer split, close enough for learning merges. */
const PRE_SPLIT = /'(?:[sdmt]|ll|ve|re)| ?\p{L}+| ?\p{N}| ?[^\s\p{L}\p{N}]+|\s*[\r\n]+|\s+(?!\S)|\s+/gu;

export interface ByteBpe {
  /** Byte tokens (ids 0–255, in byte order) then one token per merge. */
  tokens: string[];
  /** Merges in rank order, as `"left right"`. */
  merges: string[];
}

/**
 * Learn `count` merges from `text` (most frequent adjacent pair first, ties broken alphabetically, so the
 * result is deterministic). Pairs touching a newline are never merged, so "\n" stays a token of its own.
 */
export function learnByteBpe(text: string, count: number): ByteBpe {
  const table = byteToChar();
  const newline = table[10];
  const words = new Map<string, number>();
  for (const piece of text.match(PRE_SPLIT) ?? []) {
    const chars = [...Buffer.from(piece, "utf8")].map((b) => table[b]).join("\u0000");
    words.set(chars, (words.get(chars) ?? 0) + 1);
  }
  let split = [...words].map(([w, n]) => ({ syms: w.split("\u0000"), n }));
  const tokens = [...table];
  const merges: string[] = [];
  for (let m = 0; m < count; m++) {
    const pairs = new Map<string, number>();
    for (const { syms, n } of split) {
      for (let i = 0; i + 1 < syms.length; i++) {
        if (syms[i].includes(newline) || syms[i + 1].includes(newline)) continue;
        const key = `${syms[i]} ${syms[i + 1]}`;
        pairs.set(key, (pairs.get(key) ?? 0) + n);
      }
    }
    let best = "";
    let bestN = 1;
    for (const [k, n] of pairs) if (n > bestN || (n === bestN && best && k < best)) [best, bestN] = [k, n];
    if (!best) break;
    const [a, b] = best.split(" ");
    merges.push(best);
    tokens.push(a + b);
    split = split.map(({ syms, n }) => {
      const out: string[] = [];
      for (let i = 0; i < syms.length; i++) {
        if (i + 1 < syms.length && syms[i] === a && syms[i + 1] === b) {
          out.push(a + b);
          i++;
        } else out.push(syms[i]);
      }
      return { syms: out, n };
    });
  }
  return { tokens, merges };
}
