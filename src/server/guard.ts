/**
 * Edge checks of every request: the bearer token (constant-time), the Host header on loopback binds
 * (DNS-rebinding defence: a web page cannot reach a local server through a name it controls), the Origin
 * of browser requests (a page elsewhere cannot drive the server, token or not), who the client is (the key
 * its sessions are bound to), and bounded JSON bodies.
 */
import { createHash, timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";

const digest = (s: string) => createHash("sha256").update(s, "utf8").digest();

/** A token check that takes the same time whatever the guess (both sides hashed to equal length). */
export function tokenChecker(token: string | undefined): (presented: string | undefined) => boolean {
  if (token === undefined) return () => true;
  const want = digest(token);
  return (presented) => presented !== undefined && timingSafeEqual(digest(presented), want);
}

/** The token a request presents: `Authorization: Bearer …`, or `?token=` (WebSocket clients that cannot set headers). */
export function presentedToken(req: IncomingMessage, allowQuery: boolean): string | undefined {
  const h = req.headers.authorization;
  if (typeof h === "string") {
    const m = /^Bearer\s+(.+)$/i.exec(h.trim());
    if (m) return m[1];
  }
  if (allowQuery) {
    const q = new URL(req.url ?? "/", "http://local").searchParams.get("token");
    if (q !== null) return q;
  }
  return undefined;
}

export function isLoopback(host: string): boolean {
  return host === "localhost" || host === "::1" || host === "[::1]" || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/** On a loopback bind, only loopback names may be in the Host header. */
export function hostAllowed(req: IncomingMessage, boundHost: string): boolean {
  if (!isLoopback(boundHost)) return true;
  const host = req.headers.host;
  if (host === undefined) return true;
  const name = host.startsWith("[") ? host.slice(0, host.indexOf("]") + 1) : host.split(":")[0];
  return isLoopback(name.toLowerCase());
}

/** `scheme://host[:port]` in lowercase with the default port dropped, or undefined when `o` is not an origin. */
export function normalOrigin(o: string): string | undefined {
  let u: URL;
  try {
    u = new URL(o);
  } catch {
    return undefined;
  }
  if (u.origin === "null" || u.pathname !== "/" || u.search || u.hash || u.username) return undefined;
  return u.origin;
}

/**
 * Whether a request's Origin may use the server. Requests without an Origin (not from a browser page: SDKs,
 * curl, trainers) pass; browser pages pass when they are served from a loopback address or their origin is
 * in the allow-list (`*` allows any). Browsers send Origin on every WebSocket upgrade and every POST,
 * including "simple" `text/plain` requests that skip CORS preflight.
 */
export function originAllowed(req: IncomingMessage, allow: readonly string[]): boolean {
  const origin = req.headers.origin;
  if (origin === undefined) return true;
  const o = normalOrigin(origin);
  if (o === undefined) return false;
  if (allow.includes("*")) return true;
  const host = new URL(o).hostname;
  return isLoopback(host) || allow.some((a) => normalOrigin(a) === o);
}

/**
 * Who is asking: the peer address and the credential presented. Sessions without a connection are bound to
 * it, and the per-client session limit counts by it.
 */
export function clientKey(req: IncomingMessage, presented: string | undefined): string {
  const addr = (req.socket.remoteAddress ?? "").replace(/^::ffff:/, "");
  return `${addr}|${presented === undefined ? "-" : digest(presented).toString("hex")}`;
}

export class BodyTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`request body exceeds ${limit} bytes`);
    this.name = "BodyTooLargeError";
  }
}

/** Read a request body, refusing more than `limit` bytes (early, from Content-Length, when it is given). */
export async function readBody(req: IncomingMessage, limit: number): Promise<string> {
  const declared = Number(req.headers["content-length"]);
  if (Number.isFinite(declared) && declared > limit) throw new BodyTooLargeError(limit);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new BodyTooLargeError(limit);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString("utf8");
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text), ...headers });
  res.end(text);
}
