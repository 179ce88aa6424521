/** Helpers for loading gym tasks from the dataset files. */
import type { Task } from "../../core/types.js";
import type { DataStore } from "../../data/store.js";

/** The reference's system + user prompt stored in a parquet row (`prompt: [{role, content}]`). */
export function datasetPrompt(row: Record<string, unknown>): { system: string; user: string } | undefined {
  const prompt = row.prompt as { role?: string; content?: string }[] | undefined;
  if (!Array.isArray(prompt)) return undefined;
  const system = prompt.find((m) => m.role === "system")?.content;
  const user = prompt.find((m) => m.role === "user")?.content;
  return typeof system === "string" && typeof user === "string" ? { system, user } : undefined;
}

/**
 * Memoise a gym's task loader per data store, so each data file is parsed once per process
 * (a failed load is forgotten, so a later call can retry).
 */
export function memoizeTasks<P>(load: (data: DataStore) => Promise<Task<P>[]>): (data: DataStore) => Promise<Task<P>[]> {
  const cache = new WeakMap<DataStore, Promise<Task<P>[]>>();
  return (data) => {
    let p = cache.get(data);
    if (!p) {
      p = load(data);
      cache.set(data, p);
      p.catch(() => cache.delete(data));
    }
    return p;
  };
}
