#!/usr/bin/env node
/**
 * Keep package-lock.json installable with `npm ci` when the registry this machine reaches lacks some
 * platform-specific optional packages (node-llama-cpp's Windows/macOS/RISC-V builds answer 404 here).
 * npm then leaves them out of the lock, and `npm ci` refuses the lock as out of sync. This adds an entry
 * with the right os/cpu for each missing optional dependency, so npm ci skips them on this platform and
 * fetches them on the platforms that need them. Run it after any `npm install` that rewrites the lock.
 */
import { readFileSync, writeFileSync } from "node:fs";

const path = new URL("../package-lock.json", import.meta.url);
const lock = JSON.parse(readFileSync(path, "utf8"));
const pkgs = lock.packages;

function platformOf(name) {
  const os = /win/.test(name) ? "win32" : /mac|darwin/.test(name) ? "darwin" : "linux";
  const cpu = /riscv64/.test(name) ? "riscv64" : /armv7l/.test(name) ? "arm" : /arm64/.test(name) ? "arm64" : "x64";
  return { os: [os], cpu: [cpu] };
}

let added = 0;
for (const [key, meta] of Object.entries(pkgs)) {
  for (const [dep, version] of Object.entries(meta.optionalDependencies ?? {})) {
    const depKey = `node_modules/${dep}`;
    if (pkgs[depKey] || !/^\d+\.\d+\.\d+$/.test(version)) continue;
    pkgs[depKey] = { version, ...platformOf(dep), optional: true, license: meta.license ?? "MIT" };
    added++;
    console.log(`lock-platforms: added ${dep}@${version} (optional dependency of ${key || "the root"})`);
  }
}
if (added) {
  lock.packages = Object.fromEntries(Object.entries(pkgs).sort(([a], [b]) => (a === "" ? -1 : b === "" ? 1 : a < b ? -1 : 1)));
  writeFileSync(path, `${JSON.stringify(lock, null, 2)}\n`);
}
