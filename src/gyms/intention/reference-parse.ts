/**
 * IntentionGym's reply parsing exactly as the reference does it (used under `compat: "userrl-2025"`):
 * the greedy regex `\{.*\}` (DOTALL), then Python's strict `json.loads`. A strict parser is needed to
 * keep the reference's outcomes: a trailing comma is an error, and `2.0` is a float the index filter
 * drops, which `JSON.parse` cannot tell from `2`.
 */
import { pyRepr } from "../../core/pyformat.js";

/** A JSON number written with a fraction or exponent (or NaN/Infinity): a Python float. */
export class PyFloat {
  constructor(readonly value: number) {}
}

export type PyJson = null | boolean | number | PyFloat | string | PyJson[] | { [key: string]: PyJson };

export class PyJsonError extends Error {}

/** Python `json.loads(text)` with the default (strict) settings. Throws PyJsonError. */
export function pyJsonLoads(text: string): PyJson {
  let i = 0;
  const fail = (msg: string): never => {
    throw new PyJsonError(`${msg}: line 1 column ${i + 1} (char ${i})`);
  };
  const ws = () => {
    while (i < text.length && " \t\n\r".includes(text[i])) i++;
  };
  const value = (): PyJson => {
    ws();
    const c = text[i];
    if (c === "{") {
      i++;
      const obj: Record<string, PyJson> = {};
      ws();
      if (text[i] === "}") {
        i++;
        return obj;
      }
      for (;;) {
        ws();
        if (text[i] !== '"') fail("Expecting property name enclosed in double quotes");
        const key = str();
        ws();
        if (text[i] !== ":") fail("Expecting ':' delimiter");
        i++;
        obj[key] = value();
        ws();
        if (text[i] === ",") {
          i++;
          continue;
        }
        if (text[i] === "}") {
          i++;
          return obj;
        }
        fail("Expecting ',' delimiter");
      }
    }
    if (c === "[") {
      i++;
      const arr: PyJson[] = [];
      ws();
      if (text[i] === "]") {
        i++;
        return arr;
      }
      for (;;) {
        arr.push(value());
        ws();
        if (text[i] === ",") {
          i++;
          continue;
        }
        if (text[i] === "]") {
          i++;
          return arr;
        }
        fail("Expecting ',' delimiter");
      }
    }
    if (c === '"') return str();
    for (const [word, v] of [
      ["true", true],
      ["false", false],
      ["null", null],
      ["NaN", new PyFloat(NaN)],
      ["Infinity", new PyFloat(Infinity)],
      ["-Infinity", new PyFloat(-Infinity)],
    ] as const) {
      if (text.startsWith(word, i)) {
        i += word.length;
        return v;
      }
    }
    const m = /^-?(?:0|[1-9]\d*)(\.\d+)?([eE][-+]?\d+)?/.exec(text.slice(i, i + 400));
    if (m) {
      i += m[0].length;
      return m[1] !== undefined || m[2] !== undefined ? new PyFloat(Number(m[0])) : Number(m[0]);
    }
    return fail("Expecting value");
  };
  const str = (): string => {
    i++;
    let out = "";
    for (;;) {
      if (i >= text.length) fail("Unterminated string starting at");
      const c = text[i++];
      if (c === '"') return out;
      if (c === "\\") {
        const e = text[i++];
        const simple: Record<string, string> = { '"': '"', "\\": "\\", "/": "/", b: "\b", f: "\f", n: "\n", r: "\r", t: "\t" };
        if (e in simple) out += simple[e];
        else if (e === "u" && /^[0-9a-fA-F]{4}$/.test(text.slice(i, i + 4))) {
          out += String.fromCharCode(parseInt(text.slice(i, i + 4), 16));
          i += 4;
        } else fail("Invalid \\escape");
      } else if (c.charCodeAt(0) < 0x20) fail("Invalid control character at");
      else out += c;
    }
  };
  const v = value();
  ws();
  if (i < text.length) fail("Extra data");
  return v;
}

/** Python truthiness of a parsed JSON value. */
export function pyTruthy(v: PyJson | undefined): boolean {
  if (v === null || v === undefined || v === false || v === "" || v === 0) return false;
  if (v instanceof PyFloat) return v.value !== 0;
  if (Array.isArray(v)) return v.length > 0;
  if (typeof v === "object") return Object.keys(v).length > 0;
  return true;
}

/** The greedy `\{.*\}` match of the reference (first "{" to last "}"), or undefined. */
function greedyObject(text: string): string | undefined {
  const start = text.indexOf("{");
  const end = text.lastIndexOf("}");
  return start >= 0 && end > start ? text.slice(start, end + 1) : undefined;
}

function asDict(v: PyJson): Record<string, PyJson> {
  return v && typeof v === "object" && !Array.isArray(v) && !(v instanceof PyFloat) ? v : {};
}

/** The user simulator's reply: the object's "response", the raw text when there is no object or it does not parse. */
export function referenceUserReply(content: string): string {
  const text = content.trim();
  const obj = greedyObject(text);
  if (obj === undefined) return text;
  let data: PyJson;
  try {
    data = pyJsonLoads(obj);
  } catch {
    return text;
  }
  const r = asDict(data).response;
  if (r === undefined) return "";
  return typeof r === "string" ? r : pyValueStr(r);
}

export interface ReferenceCoverage {
  indices: number[];
  info: Record<string, unknown>;
}

/** The coverage judge's reply: filtered indices (duplicates kept) and the reference's `reward_breakdown`. */
export function referenceCoverage(content: string): ReferenceCoverage {
  const obj = greedyObject(content);
  if (obj === undefined) return { indices: [], info: { method: "plain_text", raw_response: content } };
  let data: Record<string, PyJson>;
  try {
    data = asDict(pyJsonLoads(obj));
  } catch (err) {
    return { indices: [], info: { method: "json_parse_error", error: (err as Error).message } };
  }
  const raw = data.covered_detail_indices ?? [];
  let indices: number[] = [];
  if (Array.isArray(raw)) {
    for (const x of raw) {
      if (typeof x === "number" && Number.isInteger(x) && x >= 0) indices.push(x);
      else if (typeof x === "string" && /^[0-9]+$/.test(x)) indices.push(Number(x));
    }
  }
  const related = "is_task_related" in data ? data.is_task_related : true;
  if (!pyTruthy(related)) indices = [];
  return {
    indices,
    info: {
      method: "llm_evaluation",
      analysis: data.analysis ?? "",
      is_task_related: related instanceof PyFloat ? related.value : related,
      raw_response: content.length > 200 ? `${content.slice(0, 200)}...` : content,
    },
  };
}

/** Python `str()` of a parsed value, for a non-string "response". */
function pyValueStr(v: PyJson): string {
  return pyRepr(toPlain(v));
}

function toPlain(v: PyJson): unknown {
  if (v instanceof PyFloat) return v.value;
  if (Array.isArray(v)) return v.map(toPlain);
  if (v && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, toPlain(x)]));
  return v;
}
