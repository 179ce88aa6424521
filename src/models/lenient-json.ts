/**
 * Lenient extraction of one JSON-like object from model text: fenced (```json) or bare JSON,
 * Python-style dicts (single quotes, True/False/None, trailing commas), with prose around it.
 */
import { MAX_ARGUMENT_DEPTH, nestedDeeperThan } from "../core/action.js";

/** Parse a JSON or Python literal (dict, list, str, number, bool, None). Throws on anything else. */
export function parseLiteral(text: string): unknown {
  const p = new LiteralParser(text);
  const v = p.value();
  p.ws();
  if (p.i < text.length) throw new SyntaxError(`unexpected text at ${p.i}`);
  return v;
}

class LiteralParser {
  i = 0;
  constructor(private readonly s: string) {}

  ws(): void {
    while (this.i < this.s.length) {
      const c = this.s[this.i];
      if (c === " " || c === "\n" || c === "\r" || c === "\t") this.i++;
      else if (c === "#") {
        while (this.i < this.s.length && this.s[this.i] !== "\n") this.i++;
      } else break;
    }
  }

  value(): unknown {
    this.ws();
    const c = this.s[this.i];
    if (c === "{") return this.object();
    if (c === "[" || c === "(") return this.array(c === "[" ? "]" : ")");
    if (c === '"' || c === "'") return this.string();
    const word = /^(true|false|null|True|False|None)\b/.exec(this.s.slice(this.i, this.i + 6));
    if (word) {
      this.i += word[1].length;
      return word[1] === "true" || word[1] === "True" ? true : word[1] === "false" || word[1] === "False" ? false : null;
    }
    const num = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?/.exec(this.s.slice(this.i));
    if (num) {
      this.i += num[0].length;
      return Number(num[0]);
    }
    throw new SyntaxError(`unexpected character ${JSON.stringify(c ?? "end")} at ${this.i}`);
  }

  object(): Record<string, unknown> {
    this.i++;
    const out: Record<string, unknown> = {};
    for (;;) {
      this.ws();
      if (this.s[this.i] === "}") {
        this.i++;
        return out;
      }
      const key = this.value();
      this.ws();
      if (this.s[this.i] !== ":") throw new SyntaxError(`expected ":" at ${this.i}`);
      this.i++;
      out[String(key)] = this.value();
      this.ws();
      if (this.s[this.i] === ",") this.i++;
      else if (this.s[this.i] !== "}") throw new SyntaxError(`expected "," or "}" at ${this.i}`);
    }
  }

  array(close: string): unknown[] {
    this.i++;
    const out: unknown[] = [];
    for (;;) {
      this.ws();
      if (this.s[this.i] === close) {
        this.i++;
        return out;
      }
      out.push(this.value());
      this.ws();
      if (this.s[this.i] === ",") this.i++;
      else if (this.s[this.i] !== close) throw new SyntaxError(`expected "," or "${close}" at ${this.i}`);
    }
  }

  string(): string {
    const q = this.s[this.i++];
    let out = "";
    while (this.i < this.s.length) {
      const c = this.s[this.i++];
      if (c === q) return out;
      if (c === "\\") {
        const e = this.s[this.i++];
        const map: Record<string, string> = { n: "\n", t: "\t", r: "\r", b: "\b", f: "\f", "/": "/", "\\": "\\", "'": "'", '"': '"' };
        if (e === "u") {
          out += String.fromCharCode(parseInt(this.s.slice(this.i, this.i + 4), 16));
          this.i += 4;
        } else if (e === "x") {
          out += String.fromCharCode(parseInt(this.s.slice(this.i, this.i + 2), 16));
          this.i += 2;
        } else out += map[e] ?? e;
      } else out += c;
    }
    throw new SyntaxError("unterminated string");
  }
}

/** Candidate substrings that may hold the object, most likely first. */
function candidates(text: string): string[] {
  const out: string[] = [];
  const fence = /```[a-zA-Z]*\s*\n?([\s\S]*?)```/g;
  let m: RegExpExecArray | null;
  while ((m = fence.exec(text))) out.push(m[1].trim());
  const trimmed = text.trim();
  out.push(trimmed);
  // An opening fence the model never closed.
  const open = /```[a-zA-Z]*\s*\n?([\s\S]*)$/.exec(trimmed);
  if (open) out.push(open[1].trim());
  // Every balanced {...} span, outermost first.
  for (let start = text.indexOf("{"); start >= 0; start = text.indexOf("{", start + 1)) {
    const end = matchingBrace(text, start);
    if (end > start) out.push(text.slice(start, end + 1));
  }
  return out;
}

function matchingBrace(s: string, start: number): number {
  let depth = 0;
  let quote: string | null = null;
  for (let i = start; i < s.length; i++) {
    const c = s[i];
    if (quote) {
      if (c === "\\") i++;
      else if (c === quote) quote = null;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === "{") depth++;
    else if (c === "}" && --depth === 0) return i;
  }
  return -1;
}

/**
 * The last top-level `{…}` object of the text that parses, else {@link extractObject}'s pick. A role's own
 * verdict comes after whatever it quoted, so reading the last object keeps quoted objects from counting.
 */
export function extractLastObject(text: string): Record<string, unknown> | undefined {
  const spans: string[] = [];
  for (let start = text.indexOf("{"); start >= 0; ) {
    const end = matchingBrace(text, start);
    if (end < 0) break;
    spans.push(text.slice(start, end + 1));
    start = text.indexOf("{", end + 1);
  }
  for (let i = spans.length - 1; i >= 0; i--) {
    const v = extractObject(spans[i]);
    if (v) return v;
  }
  return extractObject(text);
}

/** The first JSON-like object found in the text, or undefined. */
export function extractObject(text: string): Record<string, unknown> | undefined {
  for (const c of candidates(text)) {
    if (nestedDeeperThan(c, MAX_ARGUMENT_DEPTH)) continue; // garbage, and parsing or storing it would recurse per level
    for (const parse of [JSON.parse, parseLiteral]) {
      try {
        const v = parse(c);
        if (v && typeof v === "object" && !Array.isArray(v)) return v as Record<string, unknown>;
      } catch {
        /* next */
      }
    }
  }
  return undefined;
}
