/**
 * Where a `local:` model's file comes from:
 *   local:<path.gguf>                               a file on disk (`~` expands);
 *   local:<name>                                    a pinned model of the catalog (e.g. qwen3-0.6b);
 *   local:hf:<org>/<repo>[@<revision>]/<file.gguf>  a file of a Hugging Face repository.
 * Hugging Face files are downloaded once into `<cache>/models/<org>/<repo>/<revision>/<file>` with
 * `downloadFile` (resumable from `.part`, progress, sha256). The checksum is the catalog's pin, else the
 * one Hugging Face publishes for the file (the `X-Linked-Etag` of its LFS object).
 */
import { existsSync } from "node:fs";
import { homedir } from "node:os";
import { join, resolve } from "node:path";
import { downloadFile } from "../../data/download.js";
import { defaultCacheDir } from "../../data/store.js";
import { LOCAL_MODELS } from "./catalog.js";

export type ModelRef =
  | { kind: "path"; path: string }
  | { kind: "hf"; repo: string; revision: string; file: string; sha256?: string; size?: number; name?: string };

export class ModelSourceError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ModelSourceError";
  }
}

const SAFE_SEGMENT = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/** Parse the part of a `local:` spec after the scheme. */
export function parseModelRef(target: string): ModelRef {
  const t = target.trim();
  if (t.startsWith("hf:")) {
    const rest = t.slice(3);
    const parts = rest.split("/");
    if (parts.length < 3) throw new ModelSourceError(`"hf:${rest}" must read hf:<org>/<repo>[@<revision>]/<file.gguf>`);
    const [org, repoRev, ...fileParts] = parts;
    const at = repoRev.indexOf("@");
    const repoName = at >= 0 ? repoRev.slice(0, at) : repoRev;
    const revision = at >= 0 ? repoRev.slice(at + 1) : "main";
    const segments = [org, repoName, revision, ...fileParts];
    if (!segments.every((s) => SAFE_SEGMENT.test(s))) {
      throw new ModelSourceError(`"hf:${rest}": names may hold only letters, digits, ".", "_" and "-"`);
    }
    return { kind: "hf", repo: `${org}/${repoName}`, revision, file: fileParts.join("/") };
  }
  const known = LOCAL_MODELS[t.toLowerCase()];
  if (known) return { kind: "hf", ...known, name: t.toLowerCase() };
  if (!/[/\\]|\.gguf$/i.test(t)) {
    throw new ModelSourceError(
      `"${t}" is neither a .gguf path, an hf:<org>/<repo>/<file.gguf> reference nor a known model (${Object.keys(LOCAL_MODELS).join(", ")})`,
    );
  }
  const expanded = t === "~" || t.startsWith("~/") ? join(homedir(), t.slice(1)) : t;
  return { kind: "path", path: resolve(expanded) };
}

export interface ModelFetchOptions {
  /** Cache root (default: the user cache, see `defaultCacheDir`). */
  cacheDir?: string;
  /** Never download (default: `USERRL_OFFLINE=1`). */
  offline?: boolean;
  /** Hugging Face endpoint (default: `HF_ENDPOINT`, else https://huggingface.co). */
  endpoint?: string;
  /** Access token for gated repositories (default: `HF_TOKEN`). */
  token?: string;
  fetchImpl?: typeof fetch;
  onProgress?: (file: string, received: number, total: number | undefined) => void;
}

export function cachedModelPath(ref: Extract<ModelRef, { kind: "hf" }>, cacheDir = defaultCacheDir()): string {
  return join(cacheDir, "models", ...ref.repo.split("/"), ref.revision, ...ref.file.split("/"));
}

export function hfFileUrl(ref: Extract<ModelRef, { kind: "hf" }>, endpoint: string): string {
  const path = ref.file.split("/").map(encodeURIComponent).join("/");
  return `${endpoint.replace(/\/+$/, "")}/${ref.repo}/resolve/${encodeURIComponent(ref.revision)}/${path}`;
}

const inflight = new Map<string, Promise<string>>();

/** The local file of a model reference, downloading (once per process and cache) when needed. */
export async function fetchModelFile(ref: ModelRef, opts: ModelFetchOptions = {}): Promise<string> {
  if (ref.kind === "path") {
    if (!existsSync(ref.path)) throw new ModelSourceError(`model file ${ref.path} does not exist`);
    return ref.path;
  }
  const dest = cachedModelPath(ref, opts.cacheDir);
  if (existsSync(dest)) return dest;
  let pending = inflight.get(dest);
  if (!pending) {
    pending = download(ref, dest, opts).finally(() => inflight.delete(dest));
    inflight.set(dest, pending);
  }
  return pending;
}

async function download(ref: Extract<ModelRef, { kind: "hf" }>, dest: string, opts: ModelFetchOptions): Promise<string> {
  const label = `${ref.repo}/${ref.file}`;
  const offline = opts.offline ?? process.env.USERRL_OFFLINE === "1";
  if (offline) {
    throw new ModelSourceError(
      `${label} is not in the model cache (${dest}) and downloads are off (USERRL_OFFLINE=1). ` +
        `Run once with internet, or pass local:<path.gguf> to a model file you have.`,
    );
  }
  const endpoint = opts.endpoint ?? process.env.HF_ENDPOINT ?? "https://huggingface.co";
  const token = opts.token ?? process.env.HF_TOKEN;
  const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
  const url = hfFileUrl(ref, endpoint);
  const fetchImpl = opts.fetchImpl ?? fetch;
  let { sha256, size } = ref;
  // The resolve URL answers with a redirect that names the LFS object's sha256 and size.
  let head: Response;
  try {
    head = await fetchImpl(url, { method: "HEAD", redirect: "manual", headers, signal: AbortSignal.timeout(60_000) });
  } catch (err) {
    throw new ModelSourceError(
      `cannot reach ${endpoint} for ${label}: ${(err as Error).message} (without internet, pass local:<path.gguf> to a model file you have)`,
    );
  }
  if (head.status === 401 || head.status === 403) {
    throw new ModelSourceError(`${label}: access denied (HTTP ${head.status}); for a gated repository set HF_TOKEN`);
  }
  if (head.status === 404) throw new ModelSourceError(`${label}: no such file at revision ${ref.revision} (HTTP 404)`);
  if (head.status >= 400) throw new ModelSourceError(`${label}: HTTP ${head.status} from ${endpoint}`);
  const linkedSha = (head.headers.get("x-linked-etag") ?? "").replace(/^W\//, "").replace(/"/g, "").toLowerCase();
  const linkedSize = Number(head.headers.get("x-linked-size") ?? head.headers.get("content-length") ?? NaN);
  if (/^[0-9a-f]{64}$/.test(linkedSha)) {
    if (sha256 && sha256 !== linkedSha) {
      throw new ModelSourceError(`${label}: the server's sha256 ${linkedSha} differs from the pinned ${sha256}; refusing to download`);
    }
    sha256 ??= linkedSha;
  }
  if (size === undefined && Number.isFinite(linkedSize) && linkedSize > 0 && sha256) size = linkedSize;
  const onProgress = opts.onProgress ?? stderrProgress();
  try {
    await downloadFile(url, dest, { sha256, size, headers, fetchImpl, onProgress: (r, t) => onProgress(label, r, t ?? size) });
  } catch (err) {
    throw new ModelSourceError(`downloading ${label} failed: ${(err as Error).message} (run again to resume)`);
  }
  return dest;
}

/** A progress line on stderr, at most once a second (a new line each time when stderr is not a terminal). */
function stderrProgress(): (file: string, received: number, total: number | undefined) => void {
  let last = 0;
  return (file, received, total) => {
    const now = Date.now();
    const done = total !== undefined && received >= total;
    if (now - last < 1000 && !done) return;
    last = now;
    const mb = (n: number) => (n / 1e6).toFixed(0);
    const pct = total ? ` ${((100 * received) / total).toFixed(0)}%` : "";
    const line = `downloading ${file}:${pct} ${mb(received)}${total ? `/${mb(total)}` : ""} MB`;
    if (process.stderr.isTTY) process.stderr.write(`\r${line}${done ? "\n" : ""}`);
    else process.stderr.write(`${line}\n`);
  };
}
