/**
 * RL batch files: JSON Lines (one RlRow per line) or Parquet (one row per trajectory, list columns), written
 * as rows stream in, and read back to the same rows.
 */
import { createWriteStream } from "node:fs";
import { once } from "node:events";
import { asyncBufferFromFile, parquetReadObjects } from "hyparquet";
import { fileWriter, parquetWriteRows, type SchemaElement } from "hyparquet-writer";
import { z } from "zod";
import type { RlRow } from "./rl-batch.js";
import { formatIssues } from "./schema.js";

export const RL_FORMATS = ["jsonl", "parquet"] as const;
export type RlFormat = (typeof RL_FORMATS)[number];

type ColumnKind = "string" | "int" | "double" | "int[]" | "double[]";

/** Column order and types of the Parquet file (and the fields of a JSONL row). */
const COLUMNS: [keyof RlRow, ColumnKind][] = [
  ["id", "string"],
  ["group_id", "string"],
  ["gym", "string"],
  ["task_id", "string"],
  ["sample", "int"],
  ["input_ids", "int[]"],
  ["loss_mask", "int[]"],
  ["advantages", "double[]"],
  ["turn_starts", "int[]"],
  ["turn_ends", "int[]"],
  ["rewards", "double[]"],
  ["credits", "double[]"],
  ["score", "double"],
  ["advantage", "double"],
  ["prompt_length", "int"],
];

function schemaElements(name: string, kind: ColumnKind): SchemaElement[] {
  switch (kind) {
    case "string":
      return [{ name, type: "BYTE_ARRAY", converted_type: "UTF8", repetition_type: "REQUIRED" }];
    case "int":
      return [{ name, type: "INT32", repetition_type: "REQUIRED" }];
    case "double":
      return [{ name, type: "DOUBLE", repetition_type: "REQUIRED" }];
    default:
      // The standard three-level LIST layout (readable by pyarrow, pandas, datasets).
      return [
        { name, repetition_type: "REQUIRED", converted_type: "LIST", num_children: 1 },
        { name: "list", repetition_type: "REPEATED", num_children: 1 },
        { name: "element", type: kind === "int[]" ? "INT32" : "DOUBLE", repetition_type: "REQUIRED" },
      ];
  }
}

const PARQUET_SCHEMA: SchemaElement[] = [{ name: "root", num_children: COLUMNS.length }, ...COLUMNS.flatMap(([n, k]) => schemaElements(n, k))];

export interface RlWriteOptions {
  /** Key/value metadata stored in a Parquet file's footer (e.g. the credit options); ignored for JSONL. */
  metadata?: Record<string, string>;
}

/** Write rows to `path`; returns how many were written. */
export async function writeRlBatch(rows: Iterable<RlRow>, path: string, format: RlFormat, opts: RlWriteOptions = {}): Promise<number> {
  let n = 0;
  const counted = (function* () {
    for (const r of rows) {
      n++;
      yield r;
    }
  })();
  if (format === "parquet") {
    await parquetWriteRows({
      writer: fileWriter(path),
      rows: counted,
      columns: COLUMNS.map(([name]) => ({ name })),
      schema: PARQUET_SCHEMA,
      rowGroupSize: 256,
      kvMetadata: Object.entries(opts.metadata ?? {}).map(([key, value]) => ({ key, value })),
      createdBy: "userrl",
    });
    return n;
  }
  const out = createWriteStream(path);
  const failed = once(out, "error").then(([err]) => Promise.reject(err as Error));
  failed.catch(() => undefined);
  for (const r of counted) {
    if (!out.write(`${JSON.stringify(r)}\n`)) await Promise.race([once(out, "drain"), failed]);
  }
  out.end();
  await Promise.race([once(out, "finish"), failed]);
  return n;
}

const int = z.number().int();
export const rlRowSchema = z.object({
  id: z.string(),
  group_id: z.string(),
  gym: z.string(),
  task_id: z.string(),
  sample: int,
  input_ids: z.array(int),
  loss_mask: z.array(z.union([z.literal(0), z.literal(1)])),
  advantages: z.array(z.number()),
  turn_starts: z.array(int),
  turn_ends: z.array(int),
  rewards: z.array(z.number()),
  credits: z.array(z.number()),
  score: z.number(),
  advantage: z.number(),
  prompt_length: int,
});

/** Read an RL batch file (format from the extension unless given), validating every row. */
export async function readRlBatch(path: string, format: RlFormat = formatFromPath(path)): Promise<RlRow[]> {
  let raw: unknown[];
  if (format === "parquet") {
    raw = await parquetReadObjects({ file: await asyncBufferFromFile(path) });
  } else {
    const { readFile } = await import("node:fs/promises");
    const text = await readFile(path, "utf8");
    raw = text
      .split("\n")
      .filter((l) => l.trim() !== "")
      .map((line, i) => {
        try {
          return JSON.parse(line) as unknown;
        } catch {
          throw new Error(`${path}:${i + 1} is not valid JSON`);
        }
      });
  }
  return raw.map((r, i) => {
    const parsed = rlRowSchema.safeParse(r);
    if (!parsed.success) throw new Error(`${path}: row ${i + 1} is not an RL batch row: ${formatIssues(parsed.error.issues)}`);
    return parsed.data;
  });
}

/** `parquet` for *.parquet, else `jsonl`. */
export function formatFromPath(path: string): RlFormat {
  return /\.parquet$/i.test(path) ? "parquet" : "jsonl";
}
