/**
 * Python value semantics for the tau-bench tool port.
 *
 * tau-bench's tools are Python functions that never check their arguments' types: a wrong type
 * flows into `in`, `[]`, `.count()`, `+`, `sorted()` and fails (or not) the way Python does, and the
 * exception text becomes the tool's output (`Error: unhashable type: 'list'`). These helpers give the
 * port the same outcomes. Values are the JSON-like values of the database and of the agent's
 * arguments: str, int/float (a JS number; integral floats boxed as {@link IntegralFloat}), bool, None,
 * list (array) and dict (plain object, or a Map where the key order matters).
 */
import { PyError } from "../../core/py-error.js";
import { IntegralFloat, pyFloat, pyRepr, pyRound, pyStr } from "../../core/pyformat.js";

/** The exception the helpers raise; the tools print its message after `Error: `. */
export { PyError };

export type PyDict = Map<string, unknown> | Record<string, unknown>;

export function isDict(v: unknown): v is PyDict {
  if (v instanceof Map) return true;
  return typeof v === "object" && v !== null && !Array.isArray(v) && !(v instanceof IntegralFloat);
}

/** Python's `type(v).__name__`. */
export function typeName(v: unknown): string {
  if (v === null || v === undefined) return "NoneType";
  if (typeof v === "boolean") return "bool";
  if (typeof v === "string") return "str";
  if (typeof v === "number") return Number.isInteger(v) ? "int" : "float";
  if (v instanceof IntegralFloat) return "float";
  if (Array.isArray(v)) return "list";
  return "dict";
}

// ---- numbers ---------------------------------------------------------------------------------

export function isNumber(v: unknown): v is number | boolean | IntegralFloat {
  return typeof v === "number" || typeof v === "boolean" || v instanceof IntegralFloat;
}

export function isFloat(v: unknown): boolean {
  return v instanceof IntegralFloat || (typeof v === "number" && !Number.isInteger(v));
}

export function numberOf(v: number | boolean | IntegralFloat): number {
  if (typeof v === "boolean") return v ? 1 : 0;
  return v instanceof IntegralFloat ? v.value : v;
}

/** A Python number from a JS number: a float keeps its type even when integral; an int has no -0. */
export function pyNumber(x: number, float: boolean): number | IntegralFloat {
  if (float) return Number.isInteger(x) ? new IntegralFloat(x) : x;
  return x === 0 ? 0 : x;
}

function binaryError(op: string, a: unknown, b: unknown): PyError {
  return new PyError("TypeError", `unsupported operand type(s) for ${op}: '${typeName(a)}' and '${typeName(b)}'`);
}

/** `a + b` (`op` is `+=` for augmented assignment, which Python names in the message). */
export function add(a: unknown, b: unknown, op = "+"): unknown {
  if (isNumber(a) && isNumber(b)) return pyNumber(numberOf(a) + numberOf(b), isFloat(a) || isFloat(b));
  if (typeof a === "string" && typeof b === "string") return a + b;
  if (Array.isArray(a) && Array.isArray(b)) return [...a, ...b];
  if (typeof a === "string") throw new PyError("TypeError", `can only concatenate str (not "${typeName(b)}") to str`);
  if (Array.isArray(a)) throw new PyError("TypeError", `can only concatenate list (not "${typeName(b)}") to list`);
  throw binaryError(op, a, b);
}

export function sub(a: unknown, b: unknown, op = "-"): unknown {
  if (isNumber(a) && isNumber(b)) return pyNumber(numberOf(a) - numberOf(b), isFloat(a) || isFloat(b));
  throw binaryError(op, a, b);
}

/** Largest str/list a repetition may build; Python would build it, but nothing useful needs more. */
const MAX_REPEAT = 1_000_000;

export function mul(a: unknown, b: unknown): unknown {
  if (isNumber(a) && isNumber(b)) return pyNumber(numberOf(a) * numberOf(b), isFloat(a) || isFloat(b));
  const [seq, n] = typeof a === "string" || Array.isArray(a) ? [a, b] : [b, a];
  if (typeof seq === "string" || Array.isArray(seq)) {
    if (!isNumber(n) || isFloat(n)) throw new PyError("TypeError", `can't multiply sequence by non-int of type '${typeName(n)}'`);
    const times = Math.max(0, numberOf(n));
    if (times * seq.length > MAX_REPEAT) throw new PyError("MemoryError", "repetition result too large");
    if (typeof seq === "string") return seq.repeat(times);
    const out: unknown[] = [];
    for (let i = 0; i < times; i++) out.push(...seq);
    return out;
  }
  throw binaryError("*", a, b);
}

export function neg(a: unknown): unknown {
  if (isNumber(a)) return pyNumber(-numberOf(a), isFloat(a));
  throw new PyError("TypeError", `bad operand type for unary -: '${typeName(a)}'`);
}

export function pyAbs(a: unknown): unknown {
  if (isNumber(a)) return pyNumber(Math.abs(numberOf(a)), isFloat(a));
  throw new PyError("TypeError", `bad operand type for abs(): '${typeName(a)}'`);
}

/** `round(x, 2)`: an int stays an int, a float is rounded half-to-even on its exact value. */
export function round2(a: unknown): unknown {
  if (typeof a === "boolean") return a ? 1 : 0;
  if (isNumber(a)) return isFloat(a) ? pyNumber(pyRound(numberOf(a), 2), true) : a;
  throw new PyError("TypeError", `type ${typeName(a)} doesn't define __round__ method`);
}

/** `sum(values)`, starting from the int 0. */
export function pySum(values: Iterable<unknown>): unknown {
  let total: unknown = 0;
  for (const v of values) total = add(total, v);
  return total;
}

// ---- comparison ------------------------------------------------------------------------------

/** Python `a == b`. */
export function pyEq(a: unknown, b: unknown): boolean {
  if (isNumber(a) && isNumber(b)) return numberOf(a) === numberOf(b);
  if (typeof a === "string" || typeof b === "string") return a === b;
  if ((a === null || a === undefined) && (b === null || b === undefined)) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => pyEq(x, b[i]));
  if (isDict(a) && isDict(b)) {
    const ea = dictEntries(a);
    if (ea.length !== dictEntries(b).length) return false;
    return ea.every(([k, v]) => dictHas(b, k) && pyEq(v, dictGet(b, k)));
  }
  return false;
}

/** Python `a < b`. */
export function pyLess(a: unknown, b: unknown): boolean {
  return order(a, b, "<", a, b) < 0;
}

/** Python `a > b` (its TypeError names the operands in this order). */
export function pyGreater(a: unknown, b: unknown): boolean {
  return order(b, a, ">", a, b) < 0;
}

/** Python `max(a, b)`: `b` replaces `a` only when `b > a`. */
export function pyMax(a: unknown, b: unknown): unknown {
  return pyGreater(b, a) ? b : a;
}

function order(a: unknown, b: unknown, op: string, left: unknown, right: unknown): number {
  if (isNumber(a) && isNumber(b)) return numberOf(a) < numberOf(b) ? -1 : numberOf(a) > numberOf(b) ? 1 : 0;
  if (typeof a === "string" && typeof b === "string") return codePointCompare(a, b);
  if (Array.isArray(a) && Array.isArray(b)) {
    for (let i = 0; i < Math.min(a.length, b.length); i++) {
      if (!pyEq(a[i], b[i])) return order(a[i], b[i], op, a[i], b[i]);
    }
    return a.length - b.length;
  }
  throw new PyError("TypeError", `'${op}' not supported between instances of '${typeName(left)}' and '${typeName(right)}'`);
}

export function codePointCompare(a: string, b: string): number {
  if (a === b) return 0;
  const ia = a[Symbol.iterator]();
  const ib = b[Symbol.iterator]();
  for (;;) {
    const x = ia.next();
    const y = ib.next();
    if (x.done || y.done) return x.done ? (y.done ? 0 : -1) : 1;
    if (x.value !== y.value) return x.value.codePointAt(0)! - y.value.codePointAt(0)!;
  }
}

// ---- containers ------------------------------------------------------------------------------

export function dictEntries(d: PyDict): [string, unknown][] {
  return d instanceof Map ? [...d] : Object.entries(d);
}

export function dictHas(d: PyDict, key: string): boolean {
  return d instanceof Map ? d.has(key) : Object.prototype.hasOwnProperty.call(d, key);
}

export function dictGet(d: PyDict, key: string): unknown {
  return d instanceof Map ? d.get(key) : dictHas(d, key) ? d[key] : undefined;
}

export function dictSet(d: PyDict, key: string, value: unknown): void {
  if (d instanceof Map) d.set(key, value);
  else if (key === "__proto__") Object.defineProperty(d, key, { value, enumerable: true, writable: true, configurable: true });
  else d[key] = value;
}

export function dictDelete(d: PyDict, key: string): void {
  if (d instanceof Map) d.delete(key);
  else delete d[key];
}

/** `d.get(key, fallback)`. */
export function dictGetOr(d: PyDict, key: string, fallback: unknown): unknown {
  return dictHas(d, key) ? dictGet(d, key) : fallback;
}

function checkHashable(key: unknown): void {
  if (Array.isArray(key) || isDict(key)) throw new PyError("TypeError", `unhashable type: '${typeName(key)}'`);
}

/** Python `x in container`. */
export function contains(container: unknown, x: unknown): boolean {
  if (typeof container === "string") {
    if (typeof x !== "string") throw new PyError("TypeError", `'in <string>' requires string as left operand, not ${typeName(x)}`);
    return container.includes(x);
  }
  if (Array.isArray(container)) return container.some((y) => pyEq(y, x));
  if (isDict(container)) {
    checkHashable(x);
    return typeof x === "string" && dictHas(container, x);
  }
  throw new PyError("TypeError", `argument of type '${typeName(container)}' is not iterable`);
}

/** Python `container[key]` for dicts, lists and strings. */
export function getItem(container: unknown, key: unknown): unknown {
  if (isDict(container)) {
    checkHashable(key);
    if (typeof key === "string" && dictHas(container, key)) return dictGet(container, key);
    throw new PyError("KeyError", pyRepr(key));
  }
  if (Array.isArray(container) || typeof container === "string") {
    const kind = typeof container === "string" ? "string" : "list";
    if (typeof key === "number" && Number.isInteger(key)) {
      const items = typeof container === "string" ? [...container] : container;
      const i = key < 0 ? items.length + key : key;
      if (i < 0 || i >= items.length) throw new PyError("IndexError", `${kind} index out of range`);
      return items[i];
    }
    if (kind === "string") throw new PyError("TypeError", `string indices must be integers, not '${typeName(key)}'`);
    throw new PyError("TypeError", `list indices must be integers or slices, not ${typeName(key)}`);
  }
  throw new PyError("TypeError", `'${typeName(container)}' object is not subscriptable`);
}

/** Python `container[key] = value` on a dict (the only assignment target the tools use). */
export function setItem(container: unknown, key: unknown, value: unknown): void {
  if (!isDict(container)) throw new PyError("TypeError", `'${typeName(container)}' object does not support item assignment`);
  checkHashable(key);
  dictSet(container, typeof key === "string" ? key : pyStr(key), value);
}

/** Python `iter(v)`: list items, string characters, dict keys. */
export function iterate(v: unknown): unknown[] {
  if (Array.isArray(v)) return v;
  if (typeof v === "string") return [...v];
  if (isDict(v)) return dictEntries(v).map(([k]) => k);
  throw new PyError("TypeError", `'${typeName(v)}' object is not iterable`);
}

/** Python `len(v)`. */
export function len(v: unknown): number {
  if (Array.isArray(v)) return v.length;
  if (typeof v === "string") return [...v].length;
  if (isDict(v)) return dictEntries(v).length;
  throw new PyError("TypeError", `object of type '${typeName(v)}' has no len()`);
}

/** Python `seq.count(x)` for lists and strings. */
export function count(seq: unknown, x: unknown): number {
  if (Array.isArray(seq)) return seq.filter((y) => pyEq(y, x)).length;
  if (typeof seq === "string") {
    if (typeof x !== "string") throw new PyError("TypeError", `must be str, not ${typeName(x)}`);
    if (x === "") return [...seq].length + 1;
    return seq.split(x).length - 1;
  }
  throw new PyError("AttributeError", `'${typeName(seq)}' object has no attribute 'count'`);
}

/** Python `sorted(v)`. */
export function sorted(v: unknown): unknown[] {
  const items = [...iterate(v)];
  return items.sort((a, b) => (pyLess(b, a) ? 1 : pyLess(a, b) ? -1 : 0));
}

/** Python `s.lower()`. */
export function lower(s: unknown): string {
  if (typeof s !== "string") throw new PyError("AttributeError", `'${typeName(s)}' object has no attribute 'lower'`);
  return s.toLowerCase();
}

/** Python truthiness. */
export function truthy(v: unknown): boolean {
  if (v === null || v === undefined || v === false) return false;
  if (isNumber(v)) return numberOf(v) !== 0;
  if (typeof v === "string" || Array.isArray(v)) return v.length > 0;
  if (isDict(v)) return dictEntries(v).length > 0;
  return true;
}

/** Python `int(s)` of a string (base 10, surrounding whitespace, a sign, `_` between digits). */
export function pyIntOfString(s: unknown): number {
  if (typeof s !== "string") {
    if (isNumber(s)) return Math.trunc(numberOf(s));
    throw new PyError("TypeError", `int() argument must be a string, a bytes-like object or a real number, not '${typeName(s)}'`);
  }
  const m = /^\s*([+-]?\d(?:_?\d)*)\s*$/u.exec(s);
  if (!m) throw new PyError("ValueError", `invalid literal for int() with base 10: ${pyRepr(s)}`);
  return Number(m[1].replace(/_/g, ""));
}

/** Python `s[-n:]` of a string or list. */
export function tail(s: unknown, n: number): unknown {
  if (typeof s === "string") return [...s].slice(-n).join("");
  if (Array.isArray(s)) return s.slice(-n);
  if (isDict(s)) throw new PyError("TypeError", "unhashable type: 'slice'");
  throw new PyError("TypeError", `'${typeName(s)}' object is not subscriptable`);
}

/** Python `str(v)` / f-string interpolation. */
export function fstr(v: unknown): string {
  return pyStr(v);
}

/** A deep copy (Python `copy.deepcopy` of JSON-like values). Boxed floats are immutable and shared. */
export function deepCopy<T>(v: T): T {
  if (Array.isArray(v)) return v.map(deepCopy) as T;
  if (v instanceof Map) return new Map([...v].map(([k, x]) => [k, deepCopy(x)])) as T;
  if (isDict(v)) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) dictSet(out, k, deepCopy(x));
    return out as T;
  }
  return v;
}

/**
 * Whether two values would give the same tau-bench data hash: `str()` of the "hashable" form, in
 * which dicts become key-sorted tuples of (key, value) pairs and lists become tuples. So ints and
 * floats differ (`1` vs `1.0`), bools differ from ints (`True` vs `1`), strings differ from numbers,
 * while a dict equals a list of its key/value pairs (both print as the same tuple).
 */
export function sameHashable(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  const ka = hashKind(a);
  if (ka !== hashKind(b)) return false;
  switch (ka) {
    case "float":
      return pyFloat(numberOf(a as number)) === pyFloat(numberOf(b as number));
    case "none":
      return true;
    case "seq": {
      if (isDict(a) && isDict(b)) {
        // Same keys and same values is the same key-sorted tuple; no need to sort.
        const ea = dictEntries(a);
        if (ea.length !== dictEntries(b).length) return false;
        return ea.every(([k, v]) => dictHas(b, k) && sameHashable(v, dictGet(b, k)));
      }
      const sa = asSequence(a);
      const sb = asSequence(b);
      return sa.length === sb.length && sa.every((x, i) => sameHashable(x, sb[i]));
    }
    default:
      return false; // equal primitives were caught by `a === b`
  }
}

function hashKind(v: unknown): string {
  if (v === null || v === undefined) return "none";
  if (Array.isArray(v) || isDict(v)) return "seq";
  if (typeof v === "number") return Number.isInteger(v) ? "int" : "float";
  if (v instanceof IntegralFloat) return "float";
  return typeof v;
}

function asSequence(v: unknown): unknown[] {
  if (Array.isArray(v)) return v;
  return dictEntries(v as PyDict)
    .sort(([x], [y]) => codePointCompare(x, y))
    .map(([k, x]) => [k, x]);
}
