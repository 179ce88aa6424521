import { describe, expect, test } from "vitest";
import type { DataStore } from "../../src/data/store.js";
import { tasksFromParquet } from "../../src/gyms/kit/parquet-tasks.js";

/** A data store holding only parquet rows, by file key. */
function rowsStore(files: Record<string, Record<string, unknown>[]>): DataStore {
  return { parquet: async (key: string) => files[key] ?? [] } as unknown as DataStore;
}

const row = (kwargs: Record<string, unknown>, prompt?: { role: string; content: string }[]) => ({
  extra_info: { tools_kwargs: { interact_with_env: { create_kwargs: kwargs } } },
  ...(prompt ? { prompt } : {}),
});

const items = new Map([
  ["a", { n: 1 }],
  ["b", { n: 2 }],
]);

describe("tasksFromParquet", () => {
  test("one task per row, train then test, with the row's key as id and its prompt", async () => {
    const data = rowsStore({
      "userrl/parquet/demo/train.parquet": [row({ title: "B" }), row({ title: "A" })],
      "userrl/parquet/demo/test.parquet": [row({ title: "a" }, [{ role: "system", content: "S" }, { role: "user", content: "U" }])],
    });
    const tasks = await tasksFromParquet(data, {
      gym: "demo",
      parquet: "demo",
      key: "title",
      itemKind: "thing",
      find: (title) => items.get(title.toLowerCase()),
      payload: (item, id) => ({ ...item, id }),
    });
    expect(tasks).toEqual([
      { id: "B", gym: "demo", split: "train", payload: { n: 2, id: "B" }, datasetPrompt: undefined },
      { id: "A", gym: "demo", split: "train", payload: { n: 1, id: "A" }, datasetPrompt: undefined },
      { id: "a", gym: "demo", split: "test", payload: { n: 1, id: "a" }, datasetPrompt: { system: "S", user: "U" } },
    ]);
  });

  test("only the splits asked for; a row naming no item is an error that names the file", async () => {
    const data = rowsStore({ "userrl/parquet/demo/train.parquet": [row({ id: "zzz" })], "userrl/parquet/demo/test.parquet": [row({ id: "b" })] });
    const source = { gym: "demo", parquet: "demo", itemKind: "thing", find: (id: string) => items.get(id), payload: (item: { n: number }) => item.n };
    expect((await tasksFromParquet(data, { ...source, splits: ["test"] })).map((t) => t.payload)).toEqual([2]);
    await expect(tasksFromParquet(data, source)).rejects.toThrow('demo/train.parquet names unknown thing "zzz"');
  });
});
