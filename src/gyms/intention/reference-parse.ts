/**
 * IntentionGym's reply parsing exactly as the reference does it (used under `compat: "userrl-2025"`):
 * the greedy regex `\{.*\}` (DOTALL), then Python's strict `json.loads`. A strict parser is needed to
 * keep the reference's outcomes: a trailing comma is an error, and `2.0` is a float the index filter
 * drops, which `JSON.parse` cannot tell from `2`.
 */
import { pyJsonLoads } from "../../core/py-json.js";
import { IntegralFloat, pyRepr } from "../../core/pyformat.js";

/** Python truthiness of a value `json.loads` gave. */
function pyTruthy(v: unknown): boolean {
  if (v === null || v === undefined || v === false || v === "" || v === 0) return false;
  if (v instanceof IntegralFloat) return v.value !== 0;
  if (Array.isArray(v)) return v.length > 0;
  if (v instanceof Map) return v.size > 0;
  if (typeof v === "object") return Object.keys(v).length > 0;
  return true;
}

/** The greedy `\{.*\}` match of the reference (first "{" to last "}"), or undefined. */
function greedyObject(text: string): string | undefined {
  const start = text.indexOf("{");
  const end = text.lastIndexOf("}");
  return start >= 0 && end > start ? text.slice(start, end + 1) : undefined;
}

/** A parsed value as plain JSON for the step info (floats as numbers, Maps as objects). */
function plain(v: unknown): unknown {
  if (v instanceof IntegralFloat) return v.value;
  if (Array.isArray(v)) return v.map(plain);
  if (v instanceof Map) return plain(Object.fromEntries(v));
  if (v && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plain(x)]));
  return v;
}

/** A parsed object's fields (`json.loads` gives a Map where key order matters; it does not here), or none. */
function asDict(v: unknown): Record<string, unknown> {
  if (v instanceof Map) return Object.fromEntries(v);
  return v && typeof v === "object" && !Array.isArray(v) && !(v instanceof IntegralFloat) ? (v as Record<string, unknown>) : {};
}

/** The user simulator's reply: the object's "response", the raw text when there is no object or it does not parse. */
export function referenceUserReply(content: string): string {
  const text = content.trim();
  const obj = greedyObject(text);
  if (obj === undefined) return text;
  let data: unknown;
  try {
    data = pyJsonLoads(obj);
  } catch {
    return text;
  }
  const r = asDict(data).response;
  if (r === undefined) return "";
  // Python's str() of a non-string value is its repr.
  return typeof r === "string" ? r : pyRepr(r);
}

export interface ReferenceCoverage {
  indices: number[];
  info: Record<string, unknown>;
}

/** The coverage judge's reply: filtered indices (duplicates kept) and the reference's `reward_breakdown`. */
export function referenceCoverage(content: string): ReferenceCoverage {
  const obj = greedyObject(content);
  if (obj === undefined) return { indices: [], info: { method: "plain_text", raw_response: content } };
  let data: Record<string, unknown>;
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
      analysis: plain(data.analysis ?? ""),
      is_task_related: plain(related),
      raw_response: content.length > 200 ? `${content.slice(0, 200)}...` : content,
    },
  };
}
