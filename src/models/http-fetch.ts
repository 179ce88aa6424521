/**
 * A minimal `fetch` over node:http/https with keep-alive agents, handed to the OpenAI SDK.
 * The SDK only needs buffered JSON replies; skipping WHATWG streams roughly halves the client's CPU per
 * call (measured: 0.76 → 0.46 ms against a local server), which matters at thousands of calls a second.
 */
import http from "node:http";
import https from "node:https";

const agents = {
  "http:": new http.Agent({ keepAlive: true, maxSockets: 256, keepAliveMsecs: 30_000 }),
  "https:": new https.Agent({ keepAlive: true, maxSockets: 256, keepAliveMsecs: 30_000 }),
};

function abortError(signal: AbortSignal): Error {
  const reason = signal.reason;
  if (reason instanceof Error && reason.name === "AbortError") return reason;
  const e = new Error("The operation was aborted.");
  e.name = "AbortError";
  return e;
}

function headerRecord(init: ConstructorParameters<typeof Headers>[0]): Record<string, string> {
  const out: Record<string, string> = {};
  new Headers(init).forEach((v, k) => (out[k] = v));
  return out;
}

function bodyBuffer(body: RequestInit["body"]): Buffer | undefined {
  if (body === null || body === undefined) return undefined;
  if (typeof body === "string") return Buffer.from(body);
  if (body instanceof Uint8Array) return Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  if (body instanceof ArrayBuffer) return Buffer.from(body);
  throw new TypeError("httpFetch supports string and byte bodies only");
}

export const httpFetch = (async (input: string | URL | Request, init: RequestInit = {}): Promise<Response> => {
  const url = new URL(typeof input === "string" || input instanceof URL ? input : input.url);
  const mod = url.protocol === "https:" ? https : url.protocol === "http:" ? http : undefined;
  if (!mod) throw new TypeError(`unsupported protocol ${url.protocol}`);
  const signal = init.signal ?? undefined;
  if (signal?.aborted) throw abortError(signal);
  const body = bodyBuffer(init.body);
  const headers = headerRecord(init.headers);
  if (body) headers["content-length"] = String(body.length);
  const send = (retryStale: boolean): Promise<Response> =>
    new Promise<Response>((resolve, reject) => {
      const req = mod.request(
        url,
        { method: init.method ?? "GET", headers, agent: agents[url.protocol as "http:" | "https:"] },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (c: Buffer) => chunks.push(c));
          res.on("error", (err) => reject(new TypeError("fetch failed", { cause: err })));
          res.on("end", () => {
            const h = new Headers();
            for (const [k, v] of Object.entries(res.headers)) {
              if (Array.isArray(v)) v.forEach((x) => h.append(k, x));
              else if (v !== undefined) h.set(k, String(v));
            }
            const status = res.statusCode ?? 500;
            const noBody = status === 204 || status === 304;
            resolve(new Response(noBody ? null : Buffer.concat(chunks), { status, statusText: res.statusMessage, headers: h }));
          });
        },
      );
      const onAbort = () => {
        req.destroy();
        reject(abortError(signal!));
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      req.on("close", () => signal?.removeEventListener("abort", onAbort));
      req.on("error", (err: NodeJS.ErrnoException) => {
        if (signal?.aborted) return;
        // A pooled keep-alive socket the server already closed: send once more on a fresh one
        // (the pattern Node's http docs recommend; the request never reached the server).
        if (retryStale && req.reusedSocket && (err.code === "ECONNRESET" || err.code === "EPIPE")) {
          send(false).then(resolve, reject);
          return;
        }
        reject(new TypeError("fetch failed", { cause: err }));
      });
      req.end(body);
    });
  return send(true);
}) as typeof fetch;
