/** Shared CLI helpers: option parsing, errors, output. */
import { InvalidArgumentError } from "commander";

/** An error the user can fix; printed without a stack trace. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
    this.name = "CliError";
  }
}

export function intOption(name: string, min = 0): (v: string) => number {
  return (v) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < min) throw new InvalidArgumentError(`${name} must be an integer >= ${min}`);
    return n;
  };
}

/** A finite number, optionally within [min, max]. */
export function floatOption(name: string, range: { min?: number; max?: number } = {}): (v: string) => number {
  const { min, max } = range;
  const within = min !== undefined && max !== undefined ? ` between ${min} and ${max}` : min !== undefined ? ` >= ${min}` : max !== undefined ? ` <= ${max}` : "";
  return (v) => {
    const n = Number(v);
    if (v.trim() === "" || !Number.isFinite(n) || (min !== undefined && n < min) || (max !== undefined && n > max)) {
      throw new InvalidArgumentError(`${name} must be a number${within} (got ${v})`);
    }
    return n;
  };
}

export function choiceOption<T extends string>(name: string, choices: readonly T[]): (v: string) => T {
  return (v) => {
    if (!(choices as readonly string[]).includes(v)) throw new InvalidArgumentError(`${name} must be one of ${choices.join(", ")}`);
    return v as T;
  };
}

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** A plain text table with aligned columns. */
export function table(headers: string[], rows: (string | number)[][]): string {
  const cells = [headers, ...rows.map((r) => r.map(String))];
  const widths = headers.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? "").length)));
  const line = (r: string[]) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join("  ").trimEnd();
  return [line(cells[0]), widths.map((w) => "-".repeat(w)).join("  "), ...cells.slice(1).map(line)].join("\n");
}

export function fmt(x: number, digits = 4): string {
  return Number.isFinite(x) ? x.toFixed(digits) : String(x);
}

/** `--gym-option search.search=bm25:corpus.jsonl` → `{search: {search: "bm25:corpus.jsonl"}}` (JSON values are parsed). */
export function parseGymOptions(items: readonly string[] = []): Record<string, Record<string, unknown>> {
  const out: Record<string, Record<string, unknown>> = {};
  for (const item of items) {
    const m = /^([a-z0-9_-]+)\.([A-Za-z0-9_]+)=(.*)$/s.exec(item);
    if (!m) throw new CliError(`--gym-option must look like <gym>.<key>=<value> (got "${item}")`);
    let value: unknown = m[3];
    try {
      value = JSON.parse(m[3]);
    } catch {
      /* a plain string */
    }
    (out[m[1]] ??= {})[m[2]] = value;
  }
  return out;
}
