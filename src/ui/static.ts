/**
 * The built web app (`dist/web`, made by `npm run build`), served from the package: no CDN, works offline.
 * Only the files present at start-up are served — a request path is looked up in that list, never joined
 * onto the file system — so no path can reach outside the folder.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, extname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".json": "application/json",
};

/** `dist/web` of this package, whether running from `src/ui` (tests) or `dist/ui` (the installed CLI). */
export function webDir(): string {
  return resolve(dirname(fileURLToPath(import.meta.url)), "..", "..", "dist", "web");
}

export interface StaticFile {
  body: Buffer;
  type: string;
  /** Hashed asset names never change content: cache them for long. */
  immutable: boolean;
}

export function loadStatic(dir = webDir()): Map<string, StaticFile> {
  const files = new Map<string, StaticFile>();
  if (!existsSync(join(dir, "index.html"))) return files;
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else {
        const rel = `/${relative(dir, p).split("\\").join("/")}`;
        files.set(rel, { body: readFileSync(p), type: TYPES[extname(p)] ?? "application/octet-stream", immutable: rel.startsWith("/assets/") });
      }
    }
  };
  walk(dir);
  return files;
}
