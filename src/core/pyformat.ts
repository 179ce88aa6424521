/**
 * Python-compatible number formatting and rounding.
 *
 * The reference implementation is Python; feedback strings, observation text ("Reward: 1.0") and
 * trajectory scores depend on `repr(float)`, `round(x, n)` (exact, ties to even) and `json.dumps`.
 * Every place in the project that must match Python goes through this module.
 */

/** Decompose a finite double into an exact rational `num / 2^shift` (shift >= 0) with BigInt numerator. */
function exactRational(x: number): { num: bigint; shift: bigint } {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const hi = view.getUint32(0);
  const lo = view.getUint32(4);
  const sign = hi >>> 31 ? -1n : 1n;
  const exp = (hi >>> 20) & 0x7ff;
  let mant = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  let e: number;
  if (exp === 0) e = -1074;
  else {
    mant |= 1n << 52n;
    e = exp - 1075;
  }
  if (e >= 0) return { num: sign * (mant << BigInt(e)), shift: 0n };
  return { num: sign * mant, shift: BigInt(-e) };
}

/**
 * Python's `round(x, ndigits)`: the exact binary value is rounded to `ndigits` decimals, ties to even.
 * `round(0.03125, 4) === 0.0312` whereas `(0.03125).toFixed(4) === "0.0313"`.
 */
export function pyRound(x: number, ndigits = 0): number {
  if (!Number.isFinite(x) || x === 0) return x;
  if (ndigits > 22 || Math.abs(x) >= 2 ** 52) return x;
  const { num, shift } = exactRational(x);
  // value * 10^n = num * 10^n / 2^shift (ndigits may be negative)
  let scaledNum = num;
  let den = 1n << shift;
  if (ndigits >= 0) scaledNum *= 10n ** BigInt(ndigits);
  else den *= 10n ** BigInt(-ndigits);
  const neg = scaledNum < 0n;
  const absNum = neg ? -scaledNum : scaledNum;
  let q = absNum / den;
  const rem2 = (absNum % den) * 2n;
  if (rem2 > den || (rem2 === den && q % 2n === 1n)) q += 1n;
  const signed = neg ? -q : q;
  // Convert q / 10^n back to the nearest double via the decimal string (correctly rounded by JS).
  const result = ndigits >= 0 ? Number(`${signed}e-${ndigits}`) : Number(`${signed}e${-ndigits}`);
  return result === 0 && (neg || Object.is(x, -0)) ? -0 : result;
}

/** Python `repr(float)` / `str(float)`: `1.0`, `0.1`, `1e+18`, `1e-05`, `inf`, `nan`, `-0.0`. */
export function pyFloat(x: number): string {
  if (Number.isNaN(x)) return "nan";
  if (x === Infinity) return "inf";
  if (x === -Infinity) return "-inf";
  if (x === 0) return Object.is(x, -0) ? "-0.0" : "0.0";
  const abs = Math.abs(x);
  if (abs >= 1e-4 && abs < 1e16) {
    // Fast path: here both languages print the shortest round-trip digits in fixed notation.
    const s = String(x);
    return s.includes(".") ? s : `${s}.0`;
  }
  // Shortest round-trip digits, as both Python and JS produce them.
  const [mantissa, expStr] = x.toExponential().split("e");
  const exp = Number(expStr);
  const neg = mantissa.startsWith("-");
  const digits = mantissa.replace("-", "").replace(".", "");
  const sign = neg ? "-" : "";
  if (exp >= -4 && exp < 16) {
    let s: string;
    if (exp >= 0) {
      const intPart = digits.slice(0, exp + 1).padEnd(exp + 1, "0");
      const frac = digits.slice(exp + 1);
      s = `${intPart}.${frac || "0"}`;
    } else {
      s = `0.${"0".repeat(-exp - 1)}${digits}`;
    }
    return sign + s;
  }
  const m = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
  const e = Math.abs(exp).toString().padStart(2, "0");
  return `${sign}${m}e${exp < 0 ? "-" : "+"}${e}`;
}

/**
 * A Python float whose value is integral (`1.0`), which a JS number cannot tell from the int `1`.
 * Code that must keep Python's int/float distinction (e.g. tau-bench's database) boxes such floats;
 * `pyJsonDumps`, `pyRepr` and `pyStr` print them as floats. (Non-integral numbers are floats anyway.)
 */
export class IntegralFloat {
  constructor(readonly value: number) {}
}

/** Python `repr(int)` for a JS number that holds an integer. */
export function pyInt(x: number): string {
  return Number.isInteger(x) ? BigInt(x).toString() : pyFloat(x);
}

/** Python repr of a list of floats: `[1.0, 2.0, 3.0, 4.0]`. */
export function pyFloatList(xs: readonly number[]): string {
  return `[${xs.map(pyFloat).join(", ")}]`;
}

/** Python repr of a list of ints: `[3, 5, 5, 3]`. */
export function pyIntList(xs: readonly number[]): string {
  return `[${xs.map(pyInt).join(", ")}]`;
}

/** Python `"{:.Nf}".format(x)` (same exact, ties-to-even rounding as `round`). */
export function pyFixed(x: number, digits: number): string {
  if (!Number.isFinite(x)) return pyFloat(x);
  const r = pyRound(x, digits);
  return r.toFixed(digits);
}

/** Python `"{:.2%}".format(x)`: `25.00%`. */
export function pyPercent(x: number, digits = 2): string {
  return `${pyFixed(x * 100, digits)}%`;
}

export interface PyJsonOptions {
  /** Python's default `ensure_ascii=True` escapes non-ASCII as \uXXXX. */
  ensureAscii?: boolean;
  /** Python `indent`; undefined gives the one-line `", "` / `": "` layout. */
  indent?: number;
  /** Numbers that must print as Python floats (`1.0`) rather than ints; default: integers print as ints. */
  floatKeys?: ReadonlySet<string>;
}

/** Printable ASCII other than `"` and `\\`: such strings need no escaping. */
const PLAIN_JSON_STRING = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;

function pyJsonString(s: string, ensureAscii: boolean): string {
  if (PLAIN_JSON_STRING.test(s)) return `"${s}"`;
  let out = '"';
  for (const ch of s) {
    const code = ch.codePointAt(0)!;
    if (ch === '"') out += '\\"';
    else if (ch === "\\") out += "\\\\";
    else if (ch === "\n") out += "\\n";
    else if (ch === "\r") out += "\\r";
    else if (ch === "\t") out += "\\t";
    else if (ch === "\b") out += "\\b";
    else if (ch === "\f") out += "\\f";
    else if (code < 0x20) out += `\\u${code.toString(16).padStart(4, "0")}`;
    else if (ensureAscii && code > 0x7e) {
      if (code > 0xffff) {
        const v = code - 0x10000;
        const hi = 0xd800 + (v >> 10);
        const lo = 0xdc00 + (v & 0x3ff);
        out += `\\u${hi.toString(16).padStart(4, "0")}\\u${lo.toString(16).padStart(4, "0")}`;
      } else out += `\\u${code.toString(16).padStart(4, "0")}`;
    } else out += ch;
  }
  return `${out}"`;
}

/** Python `json.dumps(value)` with its default separators (and optional indent). */
export function pyJsonDumps(value: unknown, opts: PyJsonOptions = {}): string {
  const ensureAscii = opts.ensureAscii ?? true;
  const indent = opts.indent;
  const enc = (v: unknown, depth: number, key?: string): string => {
    if (v === null || v === undefined) return "null";
    if (typeof v === "boolean") return v ? "true" : "false";
    if (typeof v === "number") {
      if (Number.isNaN(v)) return "NaN";
      if (v === Infinity) return "Infinity";
      if (v === -Infinity) return "-Infinity";
      if (key !== undefined && opts.floatKeys?.has(key)) return pyFloat(v);
      return Number.isInteger(v) && !Object.is(v, -0) ? pyInt(v) : pyFloat(v);
    }
    if (typeof v === "bigint") return v.toString();
    if (typeof v === "string") return pyJsonString(v, ensureAscii);
    if (v instanceof IntegralFloat) return pyFloat(v.value);
    const pad = indent === undefined ? "" : "\n" + " ".repeat(indent * (depth + 1));
    const padEnd = indent === undefined ? "" : "\n" + " ".repeat(indent * depth);
    const itemSep = indent === undefined ? ", " : ",";
    if (Array.isArray(v)) {
      if (v.length === 0) return "[]";
      return `[${pad}${v.map((x) => enc(x, depth + 1)).join(itemSep + pad)}${padEnd}]`;
    }
    if (typeof v === "object") {
      // A Map is a dict whose key order a plain object would not keep (integer-like keys).
      const all =
        v instanceof Map
          ? [...(v as Map<unknown, unknown>)].map(([k, x]) => [String(k), x] as const)
          : Object.entries(v as Record<string, unknown>);
      const entries = all.filter(([, x]) => x !== undefined);
      if (entries.length === 0) return "{}";
      const parts = entries.map(([k, x]) => `${pyJsonString(k, ensureAscii)}: ${enc(x, depth + 1, k)}`);
      return `{${pad}${parts.join(itemSep + pad)}${padEnd}}`;
    }
    return pyJsonString(String(v), ensureAscii);
  };
  return enc(value, 0);
}

/**
 * Python `str()` of a JSON-like value (dict/list repr with single quotes, True/False/None).
 * The reference passes tool arguments through `str()`, so an object `content` becomes this text.
 */
export function pyRepr(value: unknown): string {
  if (value === null || value === undefined) return "None";
  if (typeof value === "boolean") return value ? "True" : "False";
  if (typeof value === "number") return Number.isInteger(value) ? pyInt(value) : pyFloat(value);
  if (typeof value === "string") return pyStrRepr(value);
  if (value instanceof IntegralFloat) return pyFloat(value.value);
  if (Array.isArray(value)) return `[${value.map(pyRepr).join(", ")}]`;
  if (value instanceof Map) {
    return `{${[...(value as Map<unknown, unknown>)].map(([k, v]) => `${pyRepr(k)}: ${pyRepr(v)}`).join(", ")}}`;
  }
  if (typeof value === "object") {
    const parts = Object.entries(value as Record<string, unknown>).map(([k, v]) => `${pyStrRepr(k)}: ${pyRepr(v)}`);
    return `{${parts.join(", ")}}`;
  }
  return String(value);
}

/** Python `repr(str)`: single quotes unless the text has a single quote and no double quote. */
export function pyStrRepr(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = quote;
  for (const ch of s) {
    if (ch === quote) out += `\\${ch}`;
    else if (ch === "\\") out += "\\\\";
    else if (ch === "\n") out += "\\n";
    else if (ch === "\r") out += "\\r";
    else if (ch === "\t") out += "\\t";
    else if ((ch.codePointAt(0) ?? 0) < 0x20 || ch === "\x7f") out += `\\x${ch.codePointAt(0)!.toString(16).padStart(2, "0")}`;
    else out += ch;
  }
  return out + quote;
}

/** Python `str(x)` where x is a JS value the reference would hold as str/float/int/dict. */
export function pyStr(value: unknown): string {
  return typeof value === "string" ? value : pyRepr(value);
}

/** Python `float(text)`: accepts `2.25e2`, `+5`, `1_000`, `inf`, `nan`, surrounding whitespace. */
export function pyParseFloat(text: string): number | undefined {
  const s = text.trim();
  const digits = String.raw`\d(?:_?\d)*`;
  const re = new RegExp(String.raw`^[+-]?(?:(?:${digits})?\.${digits}|${digits}\.?)(?:[eE][+-]?${digits})?$`);
  if (re.test(s)) return Number(s.replace(/_/g, ""));
  const special = /^([+-]?)(inf|infinity|nan)$/i.exec(s);
  if (special) {
    if (special[2].toLowerCase() === "nan") return NaN;
    return special[1] === "-" ? -Infinity : Infinity;
  }
  return undefined;
}
