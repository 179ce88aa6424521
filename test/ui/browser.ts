/**
 * Browser tests drive Debian's Chromium through playwright-core (`apt-get install -y chromium`; `.ci/run`
 * installs it). Where no Chromium exists they are skipped, and say so.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { chromium, type BrowserContext } from "playwright-core";

const CANDIDATES = ["/usr/bin/chromium", "/usr/bin/chromium-browser"];
export const CHROMIUM = CANDIDATES.find((p) => existsSync(p));
if (!CHROMIUM) console.warn(`browser tests skipped: no Chromium at ${CANDIDATES.join(" or ")} (apt-get install -y chromium)`);

const ROOT = resolve(import.meta.dirname, "..", "..");

function newest(dir: string): number {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

/** Build the web app (dist/web) when it is missing or older than its sources. */
export function ensureWebBuild(): void {
  const index = join(ROOT, "dist", "web", "index.html");
  if (existsSync(index) && statSync(index).mtimeMs >= newest(join(ROOT, "web"))) return;
  execFileSync(process.execPath, [join(ROOT, "node_modules", "vite", "bin", "vite.js"), "build", "--config", join(ROOT, "web", "vite.config.ts")], { stdio: "ignore", cwd: ROOT });
}

export async function launch(): Promise<BrowserContext> {
  return chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), "userrl-chromium-")), {
    executablePath: CHROMIUM,
    headless: true,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
    viewport: { width: 1300, height: 900 },
  });
}
