/** IntentionGym's tasks: a vague request and its missing details (importance, inquiry, options), in the dataset's splits. */
import { z } from "zod";
import type { Task } from "../../core/types.js";
import type { DataStore } from "../../data/store.js";
import { memoizeTasks } from "../kit/dataset-prompt.js";
import { tasksFromParquet } from "../kit/parquet-tasks.js";
import type { IntentionPayload } from "./offline.js";

const detailSchema = z.object({
  description: z.string(),
  importance: z.union([z.string(), z.number()]).transform((v) => Number(v)),
  inquiry: z.string(),
  options: z.array(z.string()),
});
const taskSchema = z.object({ id: z.string(), category: z.string(), task: z.string(), missing_details: z.array(detailSchema) });

export const loadTasks = memoizeTasks(async function loadIntentionTasks(data: DataStore): Promise<Task<IntentionPayload>[]> {
  const files = await Promise.all(["train", "test"].map((s) => data.jsonOf(`userrl/gyms/intention_${s}.json`, z.array(taskSchema))));
  const items = files.flat();
  const byId = new Map(items.map((t) => [t.id, t]));
  return tasksFromParquet(data, {
    gym: "intention",
    parquet: "intention_multiturn",
    itemKind: "task",
    find: (id) => byId.get(id),
    payload: (t, id) => ({ id, category: t.category, task: t.task, details: t.missing_details }),
  });
});
