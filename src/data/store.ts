/**
 * The dataset manager. Files resolve in this order:
 *  1. `USERRL_DATA_DIR` (an override folder laid out like the manifest keys; CI points it at ../shared/data);
 *  2. the user cache (`USERRL_CACHE_DIR`, else `$XDG_CACHE_HOME/userrl`, else `~/.cache/userrl`), `data/<key>`;
 *  3. a download from the pinned upstream commit into the cache, verified by sha256.
 * Parsed content is memoised, so each data file is parsed at most once per process.
 */
import { promises as fs, existsSync } from "node:fs";
import { homedir } from "node:os";
import { join, resolve } from "node:path";
import { asyncBufferFromFile, parquetReadObjects } from "hyparquet";
import type { z } from "zod";
import type { DataSource } from "../core/types.js";
import { issuesText } from "../core/validate.js";
import { MANIFEST, manifestEntry, sourceUrl, type ManifestEntry } from "./manifest.js";
import { downloadFile, sha256File } from "./download.js";

export class DataMissingError extends Error {
  constructor(
    readonly key: string,
    message: string,
  ) {
    super(message);
    this.name = "DataMissingError";
  }
}

export interface DataStoreOptions {
  /** Override folder (takes precedence over the cache); defaults to `USERRL_DATA_DIR`. */
  dataDir?: string;
  /** Cache root; defaults to `USERRL_CACHE_DIR`, `$XDG_CACHE_HOME/userrl` or `~/.cache/userrl`. */
  cacheDir?: string;
  /** Never download (defaults to `USERRL_OFFLINE=1`). */
  offline?: boolean;
  fetchImpl?: typeof fetch;
  onProgress?: (key: string, received: number, total: number | undefined) => void;
}

export interface FileStatus {
  key: string;
  source: "override" | "cache" | "missing";
  path?: string;
  size: number;
  expectedSize: number;
  /** Set when checked (`verify`): whether the sha256 matches the manifest. */
  sha256Ok?: boolean;
}

export function defaultCacheDir(): string {
  if (process.env.USERRL_CACHE_DIR) return resolve(process.env.USERRL_CACHE_DIR);
  const xdg = process.env.XDG_CACHE_HOME;
  return join(xdg ? resolve(xdg) : join(homedir(), ".cache"), "userrl");
}

export class DataStore implements DataSource {
  readonly dataDir?: string;
  readonly cacheDir: string;
  readonly offline: boolean;
  private readonly fetchImpl?: typeof fetch;
  private readonly onProgress?: DataStoreOptions["onProgress"];
  private readonly memo = new Map<string, Promise<unknown>>();
  private readonly inflight = new Map<string, Promise<string>>();

  constructor(opts: DataStoreOptions = {}) {
    const dir = opts.dataDir ?? process.env.USERRL_DATA_DIR;
    this.dataDir = dir ? resolve(dir) : undefined;
    this.cacheDir = opts.cacheDir ?? defaultCacheDir();
    this.offline = opts.offline ?? process.env.USERRL_OFFLINE === "1";
    this.fetchImpl = opts.fetchImpl;
    this.onProgress = opts.onProgress;
  }

  private static shared?: DataStore;
  /** The process-wide store built from the environment. */
  static default(): DataStore {
    DataStore.shared ??= new DataStore();
    return DataStore.shared;
  }

  private cachePath(key: string): string {
    return join(this.cacheDir, "data", key);
  }

  private entry(key: string): ManifestEntry {
    const e = manifestEntry(key);
    if (!e) throw new DataMissingError(key, `"${key}" is not a file in the userrl data manifest`);
    return e;
  }

  /** Local path of a manifest file, downloading it into the cache when needed. */
  async path(key: string): Promise<string> {
    const e = this.entry(key);
    if (this.dataDir) {
      const p = join(this.dataDir, key);
      if (existsSync(p)) return p;
      throw new DataMissingError(
        key,
        `Data file "${key}" is missing from USERRL_DATA_DIR (${this.dataDir}). ` +
          `That folder must hold the files listed by \`userrl data status\`; unset USERRL_DATA_DIR to use the ` +
          `download cache instead, or run \`userrl data fetch\` without it to download them.`,
      );
    }
    const p = this.cachePath(key);
    if (existsSync(p)) return p;
    let pending = this.inflight.get(key);
    if (!pending) {
      pending = this.download(e).finally(() => this.inflight.delete(key));
      this.inflight.set(key, pending);
    }
    return pending;
  }

  private async download(e: ManifestEntry): Promise<string> {
    const dest = this.cachePath(e.key);
    if (this.offline) {
      throw new DataMissingError(
        e.key,
        `Data file "${e.key}" is not in the cache (${join(this.cacheDir, "data")}) and downloads are off ` +
          `(USERRL_OFFLINE=1). Run \`userrl data fetch\` on a machine with internet, or set USERRL_DATA_DIR ` +
          `to a folder with the public datasets (see \`userrl data status\`).`,
      );
    }
    try {
      await downloadFile(sourceUrl(e), dest, {
        sha256: e.sha256,
        size: e.size,
        fetchImpl: this.fetchImpl,
        onProgress: this.onProgress ? (r, t) => this.onProgress!(e.key, r, t) : undefined,
      });
    } catch (err) {
      throw new DataMissingError(
        e.key,
        `Data file "${e.key}" is not available offline and could not be downloaded: ${(err as Error).message}. ` +
          `Connect to the internet and run \`userrl data fetch\`, or set USERRL_DATA_DIR to a folder holding ` +
          `the public datasets (the UserRL and tau-bench files listed by \`userrl data status\`).`,
      );
    }
    return dest;
  }

  private memoize<T>(key: string, kind: string, load: () => Promise<T>): Promise<T> {
    const k = `${kind}:${key}`;
    let p = this.memo.get(k) as Promise<T> | undefined;
    if (!p) {
      p = load();
      this.memo.set(k, p);
      p.catch(() => this.memo.delete(k));
    }
    return p;
  }

  text(key: string): Promise<string> {
    return this.memoize(key, "text", async () => fs.readFile(await this.path(key), "utf8"));
  }

  /** Parsed JSON; the same object is shared by every caller, so treat it as read-only. */
  json<T = unknown>(key: string): Promise<T> {
    return this.parsed(key, "json", (text) => JSON.parse(text) as T);
  }

  /**
   * A file's text through `parse` (memoized per `kind`, shared by every caller: treat it as read-only); a file
   * that does not parse (truncated, damaged) is named, key and path, in one line.
   */
  parsed<T>(key: string, kind: string, parse: (text: string) => T): Promise<T> {
    return this.memoize(key, kind, async () => {
      const path = await this.path(key);
      const text = await fs.readFile(path, "utf8");
      try {
        return parse(text);
      } catch (err) {
        throw damagedFile(key, path, `is not valid JSON (${(err as Error).message})`);
      }
    });
  }

  /** Parsed JSON checked against `schema`; a file of another shape is named, with what is wrong, in one line. */
  async jsonOf<T>(key: string, schema: z.ZodType<T>): Promise<T> {
    const r = schema.safeParse(await this.json(key));
    if (r.success) return r.data;
    throw new DataMissingError(key, `Data file "${key}" does not have the expected shape (${issuesText(r.error)}); \`userrl data status --verify\` checks every file`);
  }

  /** Rows of a parquet file as plain objects (int64 columns become numbers). */
  parquet(key: string): Promise<Record<string, unknown>[]> {
    return this.memoize(key, "parquet", async () => {
      const path = await this.path(key);
      let rows: Record<string, unknown>[];
      try {
        rows = (await parquetReadObjects({ file: await asyncBufferFromFile(path) })) as Record<string, unknown>[];
      } catch (err) {
        throw damagedFile(key, path, `is not a readable parquet file (${(err as Error).message})`);
      }
      return rows.map((r) => bigintsToNumbers(r) as Record<string, unknown>);
    });
  }

  async status(verify = false): Promise<FileStatus[]> {
    const out: FileStatus[] = [];
    for (const e of MANIFEST) {
      const candidates: [FileStatus["source"], string][] = this.dataDir
        ? [["override", join(this.dataDir, e.key)]]
        : [["cache", this.cachePath(e.key)]];
      let st: FileStatus = { key: e.key, source: "missing", size: 0, expectedSize: e.size };
      for (const [source, p] of candidates) {
        try {
          const s = await fs.stat(p);
          st = { key: e.key, source, path: p, size: s.size, expectedSize: e.size };
          if (verify) st.sha256Ok = (await sha256File(p)) === e.sha256;
          break;
        } catch {
          /* not there */
        }
      }
      out.push(st);
    }
    return out;
  }

  /** Make every (or the given) manifest file available locally. */
  async fetchAll(keys: readonly string[] = MANIFEST.map((e) => e.key)): Promise<void> {
    for (const key of keys) await this.path(key);
  }
}

function bigintsToNumbers(v: unknown): unknown {
  if (typeof v === "bigint") return Number(v);
  if (Array.isArray(v)) return v.map(bigintsToNumbers);
  if (v && typeof v === "object" && !(v instanceof Uint8Array) && !(v instanceof Date)) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = bigintsToNumbers(x);
    return out;
  }
  return v;
}

/** A data file that is there but cannot be read (truncated, damaged), named by key and path. */
function damagedFile(key: string, path: string, what: string): DataMissingError {
  return new DataMissingError(key, `Data file "${key}" (${path}) ${what}; \`userrl data status --verify\` checks every file against its pinned checksum`);
}

/** Split ids (task id per split) from a per-gym parquet pair, e.g. `function_multiturn`. */
export async function parquetSplitRows(
  data: DataSource,
  name: string,
  splits: readonly ("train" | "test")[] = ["train", "test"],
): Promise<{ split: "train" | "test"; row: Record<string, unknown> }[]> {
  const out: { split: "train" | "test"; row: Record<string, unknown> }[] = [];
  for (const split of splits) {
    for (const row of await data.parquet(`userrl/parquet/${name}/${split}.parquet`)) out.push({ split, row });
  }
  return out;
}

/** The `create_kwargs` struct of a parquet row (`extra_info.tools_kwargs.interact_with_env.create_kwargs`). */
export function createKwargs(row: Record<string, unknown>): Record<string, unknown> {
  const extra = row.extra_info as Record<string, unknown> | undefined;
  const tk = extra?.tools_kwargs as Record<string, unknown> | undefined;
  const iwe = tk?.interact_with_env as Record<string, unknown> | undefined;
  return (iwe?.create_kwargs as Record<string, unknown>) ?? {};
}
