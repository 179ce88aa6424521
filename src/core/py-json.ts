/**
 * Python's `json.loads` with its default (strict) settings, for the places that must decide exactly as
 * the reference does (TauGym's tool arguments and catalogue, IntentionGym's reference-mode replies).
 * It keeps what `JSON.parse` loses or allows:
 * - a number written with a fraction or exponent is a float even when integral (`1786.0` boxed as
 *   {@link IntegralFloat}): tau-bench hashes `1786.0` and `1786` differently, and IntentionGym's
 *   reference drops float indices;
 * - objects whose keys a JS object would reorder (integer-like keys, as in the product variants) or
 *   mishandle (`__proto__`) become Maps, so key order survives into `json.dumps` and `repr` output;
 * - Python's extra literals `NaN`, `Infinity`, `-Infinity` are accepted; trailing commas, single
 *   quotes and raw control characters in strings are not.
 * Errors are thrown as {@link PyError} `JSONDecodeError` with Python's message
 * (`Expecting value: line 1 column 1 (char 0)`).
 */
import { PyError } from "./py-error.js";
import { IntegralFloat } from "./pyformat.js";

/** Deeper nesting is refused (Python would raise RecursionError, which callers also treat as invalid). */
const MAX_DEPTH = 500;

function reorderedKey(key: string): boolean {
  return key === "__proto__" || (/^(?:0|[1-9]\d*)$/.test(key) && Number(key) < 2 ** 32 - 1);
}

const ESCAPES: Record<string, string> = { '"': '"', "\\": "\\", "/": "/", b: "\b", f: "\f", n: "\n", r: "\r", t: "\t" };

export function pyJsonLoads(text: string): unknown {
  let i = 0;
  const n = text.length;
  const fail = (what: string, at = i): never => {
    const line = text.slice(0, at).split("\n").length;
    const column = at - (at > 0 ? text.lastIndexOf("\n", at - 1) : -1);
    throw new PyError("JSONDecodeError", `${what}: line ${line} column ${column} (char ${at})`);
  };
  const ws = () => {
    let c = text.charCodeAt(i);
    while (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) c = text.charCodeAt(++i);
  };
  const str = (): string => {
    const start = ++i; // after the opening quote
    // Fast path: no escapes before the closing quote.
    for (;;) {
      if (i >= n) fail("Unterminated string starting at", start - 1);
      const c = text.charCodeAt(i);
      if (c === 0x22) return text.slice(start, i++);
      if (c === 0x5c) break;
      if (c < 0x20) fail("Invalid control character at");
      i++;
    }
    let out = text.slice(start, i);
    for (;;) {
      if (i >= n) fail("Unterminated string starting at", start - 1);
      const c = text.charCodeAt(i);
      if (c === 0x22) {
        i++;
        return out;
      }
      if (c < 0x20) fail("Invalid control character at");
      if (c !== 0x5c) {
        out += text[i++];
        continue;
      }
      const e = text[i + 1];
      if (e === "u") {
        const hex = text.slice(i + 2, i + 6);
        if (!/^[0-9a-fA-F]{4}$/.test(hex)) fail("Invalid \\uXXXX escape", i + 1);
        out += String.fromCharCode(parseInt(hex, 16));
        i += 6;
      } else if (e !== undefined && e in ESCAPES) {
        out += ESCAPES[e];
        i += 2;
      } else if (e === undefined) fail("Unterminated string starting at", start - 1);
      else fail("Invalid \\escape");
    }
  };
  const digits = () => {
    const start = i;
    let c = text.charCodeAt(i);
    while (c >= 0x30 && c <= 0x39) c = text.charCodeAt(++i);
    return i - start;
  };
  const number = (): unknown => {
    const start = i;
    if (text.charCodeAt(i) === 0x2d) i++;
    if (text.charCodeAt(i) === 0x30) i++;
    else if (digits() === 0) fail("Expecting value", start);
    let float = false;
    if (text.charCodeAt(i) === 0x2e && (text.charCodeAt(i + 1) >= 0x30 && text.charCodeAt(i + 1) <= 0x39)) {
      i++;
      digits();
      float = true;
    }
    const c = text.charCodeAt(i);
    if (c === 0x65 || c === 0x45) {
      const mark = i++;
      if (text.charCodeAt(i) === 0x2b || text.charCodeAt(i) === 0x2d) i++;
      if (digits() === 0) i = mark; // not an exponent after all: Python stops before the "e"
      else float = true;
    }
    const x = Number(text.slice(start, i));
    if (!float) return x === 0 ? 0 : x;
    return Number.isInteger(x) ? new IntegralFloat(x) : x;
  };
  const literal = (word: string, v: unknown): unknown => {
    if (!text.startsWith(word, i)) fail("Expecting value");
    i += word.length;
    return v;
  };
  const value = (depth: number): unknown => {
    if (depth > MAX_DEPTH) fail("Nesting too deep");
    ws();
    const c = text.charCodeAt(i);
    if (c === 0x7b) return object(depth);
    if (c === 0x5b) return array(depth);
    if (c === 0x22) return str();
    if (c === 0x6e) return literal("null", null);
    if (c === 0x74) return literal("true", true);
    if (c === 0x66) return literal("false", false);
    if (c === 0x4e) return literal("NaN", NaN);
    if (c === 0x49) return literal("Infinity", Infinity);
    if (c === 0x2d && text.startsWith("-Infinity", i)) return literal("-Infinity", -Infinity);
    return number();
  };
  const object = (depth: number): unknown => {
    i++;
    const entries: [string, unknown][] = [];
    let reordered = false;
    ws();
    if (text.charCodeAt(i) === 0x7d) {
      i++;
      return {};
    }
    for (;;) {
      ws();
      if (text.charCodeAt(i) !== 0x22) fail("Expecting property name enclosed in double quotes");
      const key = str();
      if (!reordered && reorderedKey(key)) reordered = true;
      ws();
      if (text.charCodeAt(i) !== 0x3a) fail("Expecting ':' delimiter");
      i++;
      entries.push([key, value(depth + 1)]);
      ws();
      const c = text.charCodeAt(i++);
      if (c === 0x2c) continue;
      if (c === 0x7d) break;
      i--;
      fail("Expecting ',' delimiter");
    }
    if (reordered) return new Map(entries);
    const obj: Record<string, unknown> = {};
    for (const [k, v] of entries) obj[k] = v;
    return obj;
  };
  const array = (depth: number): unknown[] => {
    i++;
    const arr: unknown[] = [];
    ws();
    if (text.charCodeAt(i) === 0x5d) {
      i++;
      return arr;
    }
    for (;;) {
      arr.push(value(depth + 1));
      ws();
      const c = text.charCodeAt(i++);
      if (c === 0x2c) continue;
      if (c === 0x5d) return arr;
      i--;
      fail("Expecting ',' delimiter");
    }
  };
  const v = value(0);
  ws();
  if (i !== n) fail("Extra data");
  return v;
}
