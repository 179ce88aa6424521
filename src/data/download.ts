/**
 * Resumable, checksummed downloads into a cache folder (datasets now, model weights later).
 * A partial file lives at `<dest>.part`; a re-run continues it with an HTTP Range request.
 */
import { createHash } from "node:crypto";
import { createReadStream, createWriteStream, promises as fs } from "node:fs";
import { dirname } from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";

export interface DownloadOptions {
  /** Expected sha256 (hex); the file is rejected and deleted when it differs. */
  sha256?: string;
  size?: number;
  onProgress?: (received: number, total: number | undefined) => void;
  signal?: AbortSignal;
  fetchImpl?: typeof fetch;
  headers?: Record<string, string>;
}

export class DownloadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "DownloadError";
  }
}

export async function sha256File(path: string): Promise<string> {
  const hash = createHash("sha256");
  await pipeline(createReadStream(path), hash);
  return hash.digest("hex");
}

export async function downloadFile(url: string, dest: string, opts: DownloadOptions = {}): Promise<void> {
  const fetchImpl = opts.fetchImpl ?? fetch;
  const part = `${dest}.part`;
  await fs.mkdir(dirname(dest), { recursive: true });
  let offset = 0;
  try {
    offset = (await fs.stat(part)).size;
  } catch {
    offset = 0;
  }
  const headers: Record<string, string> = { ...opts.headers };
  if (offset > 0) headers.range = `bytes=${offset}-`;
  let res: Response;
  try {
    res = await fetchImpl(url, { headers, signal: opts.signal, redirect: "follow" });
  } catch (err) {
    throw new DownloadError(`cannot reach ${url}: ${(err as Error).message}`);
  }
  if (res.status === 416 && offset > 0) {
    // The partial file is already complete (or stale): verify below, restart if it is wrong.
  } else if (!res.ok) {
    throw new DownloadError(`GET ${url} answered HTTP ${res.status}`);
  } else {
    const resumed = res.status === 206 && offset > 0;
    if (!resumed) offset = 0;
    const lengthHeader = res.headers.get("content-length");
    const total = lengthHeader ? offset + Number(lengthHeader) : opts.size;
    let received = offset;
    const out = createWriteStream(part, { flags: resumed ? "a" : "w" });
    if (!res.body) throw new DownloadError(`GET ${url} returned no body`);
    const body = Readable.fromWeb(res.body as import("node:stream/web").ReadableStream<Uint8Array>);
    body.on("data", (chunk: Buffer) => {
      received += chunk.length;
      opts.onProgress?.(received, total);
    });
    await pipeline(body, out);
  }
  if (opts.size !== undefined) {
    const size = (await fs.stat(part)).size;
    if (size !== opts.size) {
      if (size > opts.size) await fs.rm(part, { force: true });
      throw new DownloadError(`${url}: got ${size} bytes, expected ${opts.size}`);
    }
  }
  if (opts.sha256) {
    const got = await sha256File(part);
    if (got !== opts.sha256) {
      await fs.rm(part, { force: true });
      throw new DownloadError(`${url}: sha256 ${got} does not match the pinned ${opts.sha256}`);
    }
  }
  await fs.rename(part, dest);
}
