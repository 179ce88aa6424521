/**
 * The content of `[answer]`: a tool call written either as a JSON object
 * `{"name": …, "arguments": {…}}` or as `name: {json arguments}` (split at the first colon; the
 * README's `name {json}` form is not accepted, as in the reference). The name must be a string and
 * the arguments a JSON object, as tau-bench's pydantic `Action` requires.
 */
import { pyStrip } from "../../core/action.js";
import { pyJsonLoads } from "../../core/py-json.js";
import { dictGetOr, isDict, type PyDict } from "./pyvalue.js";

export type ToolCallText = { ok: true; name: string; kwargs: PyDict } | { ok: false };

export function parseToolCallText(content: string): ToolCallText {
  try {
    let name: unknown;
    let kwargs: unknown;
    if (content.startsWith("{") && content.endsWith("}")) {
      const call = pyJsonLoads(content);
      if (!isDict(call)) return { ok: false };
      name = dictGetOr(call, "name", "");
      kwargs = dictGetOr(call, "arguments", {});
    } else {
      const colon = content.indexOf(":");
      if (colon < 0) return { ok: false };
      name = pyStrip(content.slice(0, colon));
      kwargs = pyJsonLoads(pyStrip(content.slice(colon + 1)));
    }
    if (typeof name !== "string" || !isDict(kwargs)) return { ok: false };
    return { ok: true, name, kwargs };
  } catch {
    return { ok: false };
  }
}
