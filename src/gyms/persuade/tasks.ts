/** PersuadeGym's tasks: a claim and the persuadee's reasoning for it, from the dataset's parquet rows. */
import { z } from "zod";
import type { Task } from "../../core/types.js";
import { createKwargs, parquetSplitRows, type DataStore } from "../../data/store.js";
import { datasetPrompt, memoizeTasks } from "../kit/dataset-prompt.js";

export interface PersuadePayload {
  claim: string;
  /** The persuadee's opening reasoning for the claim. */
  argument: string;
}

const rowSchema = z.object({ id: z.string().min(1), claim: z.string().min(1), argument: z.string().min(1) });

export const loadTasks = memoizeTasks(async function loadPersuadeTasks(data: DataStore): Promise<Task<PersuadePayload>[]> {
  // The reference's statement file is missing upstream; its parquet rows carry every statement used.
  const tasks: Task<PersuadePayload>[] = [];
  for (const { split, row } of await parquetSplitRows(data, "persuasion_multiturn")) {
    const parsed = rowSchema.safeParse(createKwargs(row));
    if (!parsed.success) throw new Error(`persuasion_multiturn/${split}.parquet has a row without id/claim/argument`);
    const { id, claim, argument } = parsed.data;
    tasks.push({ id, gym: "persuade", split, payload: { claim, argument }, datasetPrompt: datasetPrompt(row) });
  }
  return tasks;
});
