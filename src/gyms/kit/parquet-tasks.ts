/**
 * The task list most gyms load: one task per row of the reference's parquet pair, in the files'
 * order, each row naming (by a create-kwargs field) an item of the gym's own data file.
 */
import type { Split, Task } from "../../core/types.js";
import { createKwargs, parquetSplitRows, type DataStore } from "../../data/store.js";
import { datasetPrompt } from "./dataset-prompt.js";

export interface ParquetTaskSource<I, P> {
  gym: string;
  /** The parquet pair's folder, e.g. `function_multiturn`. */
  parquet: string;
  /** Default: train, then test. */
  splits?: readonly Split[];
  /** The create-kwargs field that names the row's item; its value is also the task id. Default `id`. */
  key?: "id" | "title";
  /** What the key names, for the error a row naming no item raises (`unknown function "…"`). */
  itemKind: string;
  find(key: string): I | undefined;
  payload(item: I, id: string): P;
}

export async function tasksFromParquet<I, P>(data: DataStore, source: ParquetTaskSource<I, P>): Promise<Task<P>[]> {
  const tasks: Task<P>[] = [];
  for (const { split, row } of await parquetSplitRows(data, source.parquet, source.splits)) {
    const id = String(createKwargs(row)[source.key ?? "id"] ?? "");
    const item = source.find(id);
    if (item === undefined) throw new Error(`${source.parquet}/${split}.parquet names unknown ${source.itemKind} "${id}"`);
    tasks.push({ id, gym: source.gym, split, payload: source.payload(item, id), datasetPrompt: datasetPrompt(row) });
  }
  return tasks;
}
