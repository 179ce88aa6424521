/** `ai` is an optional peer: nothing the CLI or the main entry loads may import it (only `userrl/ai` does). */
import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { describe, expect, it } from "vitest";

const root = resolve(import.meta.dirname, "../..");

/** The packages a module graph loads at run time (type-only imports are erased), from its entry files. */
function runtimePackages(entries: string[]): Set<string> {
  const seen = new Set<string>();
  const packages = new Set<string>();
  const queue = entries.map((e) => join(root, e));
  while (queue.length) {
    const file = queue.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    const source = readFileSync(file, "utf8");
    const specifiers = [
      ...source.matchAll(/^\s*(?:import|export)\s+(?!type\b)(?:[^;"]*?\sfrom\s+)?"([^"]+)"/gm),
      ...source.matchAll(/\bimport\(\s*"([^"]+)"\s*\)/g),
    ].map((m) => m[1]);
    for (const s of specifiers) {
      if (s.startsWith(".")) queue.push(resolve(dirname(file), s.replace(/\.js$/, ".ts")));
      else packages.add(s.startsWith("@") ? s.split("/").slice(0, 2).join("/") : s.split("/")[0]);
    }
  }
  return packages;
}

describe("the optional ai peer", () => {
  it("the CLI and the main entry never load ai; userrl/ai does", () => {
    const cli = runtimePackages(["src/cli/main.ts", "src/index.ts", "src/sdk/testing.ts"]);
    expect(cli.has("openai")).toBe(true); // the walk sees the graph's packages
    expect([...cli].filter((p) => p === "ai" || p.startsWith("@ai-sdk/"))).toEqual([]);
    expect(runtimePackages(["src/sdk/ai.ts"]).has("ai")).toBe(true);
  });
});
