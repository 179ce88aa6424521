/**
 * The shape of a tau-bench tool in the port, its OpenAI-style schema, the `[search] tools` listing,
 * and the call itself: Python's keyword-argument binding (`X.invoke() missing 1 required positional
 * argument: 'order_id'`) and the `Error: <exception>` wrapping tau-bench applies to every tool.
 */
import type { TauDb } from "../db.js";
import { deepCopy, dictEntries, PyError, type PyDict } from "../pyvalue.js";

export type Domain = "retail" | "airline";

export interface ParamSchema {
  type: "string" | "number" | "integer" | "array" | "object";
  description?: string;
  enum?: readonly string[];
  items?: ParamSchema;
  properties?: Record<string, ParamSchema>;
  required?: readonly string[];
}

export interface ToolSchema {
  type: "function";
  function: {
    name: string;
    description: string;
    parameters: { type: "object"; properties: Record<string, ParamSchema>; required: readonly string[] };
  };
}

export interface TauTool {
  name: string;
  /** What the agent reads about the tool: our own words, one line (the listing is line-oriented). */
  description: string;
  /** Parameters in the order of the Python signature (after `data`), all required. */
  params: readonly [string, ParamSchema][];
  /** Whether a successful call can change the database. */
  writes?: boolean;
  /** A lookup that names the customer (by id, email or name), used by the no-op task rule. */
  identifiesCustomer?: boolean;
  /** The tool body; arguments are bound and deep-copied. `null` stands for Python's `None`. */
  invoke(db: TauDb, args: Record<string, unknown>): string | null;
}

/** tau-bench's Python class name of a tool (`get_order_details` → `GetOrderDetails`). */
export function className(tool: TauTool): string {
  return tool.name
    .split("_")
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join("");
}

export function toolSchema(tool: TauTool): ToolSchema {
  return {
    type: "function",
    function: {
      name: tool.name,
      description: tool.description,
      parameters: { type: "object", properties: Object.fromEntries(tool.params), required: tool.params.map(([n]) => n) },
    },
  };
}

/** The `[search] tools` text: each tool's description and its parameters' descriptions. */
export function toolsListing(tools: readonly TauTool[]): string {
  const lines = ["Available Tools:"];
  for (const t of tools) {
    lines.push(`- ${t.name}: ${t.description}`);
    if (t.params.length === 0) continue;
    lines.push("  Parameters:");
    for (const [name, p] of t.params) lines.push(`    - ${name}: ${p.description ?? ""}`);
  }
  return lines.join("\n");
}

function quotedList(names: string[]): string {
  const q = names.map((n) => `'${n}'`);
  if (q.length === 1) return q[0];
  if (q.length === 2) return `${q[0]} and ${q[1]}`;
  return `${q.slice(0, -1).join(", ")}, and ${q[q.length - 1]}`;
}

/** Python's keyword binding of `Tool.invoke(data=data, **kwargs)`; returns the TypeError text, if any. */
export function bindError(domain: Domain, tool: TauTool, kwargs: PyDict): string | undefined {
  const cls = className(tool);
  const names = dictEntries(kwargs).map(([k]) => k);
  if (names.includes("data")) {
    return `tau_bench.envs.${domain}.tools.${tool.name}.${cls}.invoke() got multiple values for keyword argument 'data'`;
  }
  const params = tool.params.map(([n]) => n);
  const unexpected = names.find((n) => !params.includes(n));
  if (unexpected !== undefined) return `${cls}.invoke() got an unexpected keyword argument '${unexpected}'`;
  const missing = params.filter((p) => !names.includes(p));
  if (missing.length > 0) {
    const s = missing.length === 1 ? "" : "s";
    return `${cls}.invoke() missing ${missing.length} required positional argument${s}: ${quotedList(missing)}`;
  }
  return undefined;
}

export interface ToolOutcome {
  /** The observation text; `null` when the tool returned Python's `None`. */
  output: string | null;
  /** Set when the port itself failed (a bug, not a Python exception the reference would raise too). */
  internalError?: string;
}

/** Call a tool as tau-bench does: bind the arguments, run it, and turn any exception into `Error: …`. */
export function callTool(domain: Domain, tool: TauTool, db: TauDb, kwargs: PyDict): ToolOutcome {
  const bad = bindError(domain, tool, kwargs);
  if (bad) return { output: `Error: ${bad}` };
  const args: Record<string, unknown> = Object.create(null);
  for (const [k, v] of dictEntries(kwargs)) args[k] = deepCopy(v);
  try {
    return { output: tool.invoke(db, args) };
  } catch (err) {
    if (err instanceof PyError) return { output: `Error: ${err.message}` };
    const message = err instanceof Error ? err.message : String(err);
    return { output: `Error: ${message}`, internalError: message };
  }
}
