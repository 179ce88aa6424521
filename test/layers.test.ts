/**
 * The house's layering, checked on the import graph of `src/` (static, type-only and dynamic imports alike):
 * no import cycle anywhere; `core/` imports nothing else of the project; nothing below the CLI imports `cli/`;
 * outside `src/gyms/` only the gym registry and the gym kit are imported, never one gym's folder; and
 * `core/ eval/ rollout/ server/ cli/` name no registered gym.
 */
import { readdirSync, readFileSync, existsSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import ts from "typescript";
import { describe, expect, test } from "vitest";
import { GYMS } from "../src/gyms/index.js";

const SRC = resolve(import.meta.dirname, "..", "src");

type Graph = Map<string, string[]>;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourceFiles(join(dir, e.name)) : e.name.endsWith(".ts") ? [join(dir, e.name)] : [],
  );
}

/** `./x.js` from `src/a/b.ts` → `a/x.ts` (or `a/x/index.ts`); package imports are not project edges. */
function resolveImport(from: string, spec: string): string | undefined {
  if (!spec.startsWith(".")) return undefined;
  const base = resolve(dirname(from), spec).replace(/\.js$/, "");
  const file = [`${base}.ts`, join(base, "index.ts")].find((f) => existsSync(f)) ?? `${base}.ts`;
  return relative(SRC, file);
}

function importGraph(): Graph {
  const graph: Graph = new Map();
  for (const file of sourceFiles(SRC)) {
    const { importedFiles } = ts.preProcessFile(readFileSync(file, "utf8"), true, true);
    const deps = importedFiles.map((f) => resolveImport(file, f.fileName)).filter((d): d is string => d !== undefined);
    graph.set(relative(SRC, file), [...new Set(deps)]);
  }
  return graph;
}

/** Every import cycle, each as one path `a → b → … → a` (one per strongly connected component). */
export function findCycles(graph: Graph): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, index.size);
    low.set(v, index.get(v)!);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!graph.has(w)) continue;
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) !== index.get(v)) return;
    const component = new Set<string>();
    let w: string;
    do {
      w = stack.pop()!;
      onStack.delete(w);
      component.add(w);
    } while (w !== v);
    if (component.size > 1 || graph.get(v)?.includes(v)) cycles.push(cyclePath(graph, v, component));
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return cycles;
}

/** A shortest path from `start` back to itself inside its component, for a readable failure. */
function cyclePath(graph: Graph, start: string, component: Set<string>): string[] {
  const previous = new Map<string, string>();
  const queue = [start];
  while (queue.length) {
    const v = queue.shift()!;
    for (const w of graph.get(v) ?? []) {
      if (!component.has(w)) continue;
      if (w === start) {
        const path = [start];
        for (let u = v; u !== start; u = previous.get(u)!) path.splice(1, 0, u);
        return [...path, start];
      }
      if (!previous.has(w)) {
        previous.set(w, v);
        queue.push(w);
      }
    }
  }
  return [start, start];
}

const folder = (file: string): string => (file.includes("/") ? file.slice(0, file.indexOf("/")) : ".");

function edges(graph: Graph, keep: (from: string, to: string) => boolean): string[] {
  return [...graph].flatMap(([from, deps]) => deps.filter((to) => keep(from, to)).map((to) => `${from} → ${to}`));
}

const graph = importGraph();

describe("the import graph of src/", () => {
  test("the scan finds the project's files and its imports", () => {
    expect(graph.get("core/types.ts")).toContain("core/action.ts");
    expect(graph.size).toBeGreaterThan(100);
  });

  test("the cycle finder sees a cycle, a self-import and a clean chain for what they are", () => {
    expect(findCycles(new Map([["a", ["b"]], ["b", ["c"]], ["c", ["a"]], ["d", ["a"]]]))).toEqual([["a", "b", "c", "a"]]);
    expect(findCycles(new Map([["a", ["a"]]]))).toEqual([["a", "a"]]);
    expect(findCycles(new Map([["a", ["b"]], ["b", ["c"]], ["c", []]]))).toEqual([]);
  });

  test("no import cycle anywhere in src/", () => {
    expect(findCycles(graph).map((c) => c.join(" → "))).toEqual([]);
  });

  test("core/ imports nothing else of the project", () => {
    expect(edges(graph, (from, to) => folder(from) === "core" && folder(to) !== "core")).toEqual([]);
  });

  test("nothing below the CLI imports cli/", () => {
    expect(edges(graph, (from, to) => folder(from) !== "cli" && folder(to) === "cli")).toEqual([]);
  });

  test("outside src/gyms/, gyms are reached through the registry or the kit, never one gym's folder", () => {
    // The package's entry point (`src/index.ts`) re-exports each gym's definition for library users.
    const shared = (to: string) => to === "gyms/index.ts" || to.startsWith("gyms/kit/");
    const inner = (from: string, to: string) => folder(from) !== "gyms" && from !== "index.ts" && folder(to) === "gyms";
    expect(edges(graph, (from, to) => inner(from, to) && !shared(to))).toEqual([]);
  });
});

describe("gym-agnostic layers", () => {
  // `search` is also an action choice and `function` the OpenAI tool type: those two words are not gym names there.
  const ambiguous = new Set(["search", "function"]);
  const names = [...GYMS.keys()].filter((n) => !ambiguous.has(n));

  // The paper's published tables are data keyed by the paper's gym names (a gym the paper lacks shows "–"), not logic.
  const PUBLISHED = new Set(["eval/paper.ts"]);

  test("core/ eval/ rollout/ server/ cli/ name no gym", () => {
    const named = new RegExp(`["'\`](${names.join("|")})["'\`]|\\.(${names.join("|")})\\b`, "g");
    const hits: string[] = [];
    for (const [file] of graph) {
      if (!["core", "eval", "rollout", "server", "cli"].includes(folder(file)) || PUBLISHED.has(file)) continue;
      const text = readFileSync(join(SRC, file), "utf8");
      // A gym named as a value (`"travel"`) or a property (`.travel`); comments may mention one.
      const code = text.replace(/\/\*[\s\S]*?\*\//g, "").replace(/^\s*\/\/.*$/gm, "");
      for (const m of code.matchAll(named)) hits.push(`${file}: ${m[0]}`);
    }
    expect(hits).toEqual([]);
  });
});
