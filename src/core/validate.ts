/** Validation at the edges: zod issues as one readable line, and JSON files read against a schema. */
import { readFileSync } from "node:fs";
import type { z } from "zod";

/** Zod issues as one line, `path: message; …` (the first five), for error messages people read. */
export function issuesText(error: z.ZodError): string {
  const shown = error.issues.slice(0, 5).map((i) => `${i.path.length ? i.path.map(String).join(".") : "(root)"}: ${i.message}`);
  if (error.issues.length > 5) shown.push(`… and ${error.issues.length - 5} more`);
  return shown.join("; ");
}

/** Read a JSON file and check it against `schema`; the error names the file and the offending fields. */
export function readJsonFile<T>(path: string, schema: z.ZodType<T>, what = "file"): T {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, "utf8"));
  } catch (err) {
    throw new Error(`cannot read ${what} ${path}: ${(err as Error).message}`);
  }
  const r = schema.safeParse(raw);
  if (!r.success) throw new Error(`${what} ${path} does not have the expected shape: ${issuesText(r.error)}`);
  return r.data;
}
