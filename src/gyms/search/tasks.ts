/** SearchGym's tasks: the Bamboogle questions (test split only). */
import { z } from "zod";
import type { Task } from "../../core/types.js";
import type { DataStore } from "../../data/store.js";
import { memoizeTasks } from "../kit/dataset-prompt.js";
import { tasksFromParquet } from "../kit/parquet-tasks.js";
import type { SearchPayload } from "./episode.js";

const questionItem = z.object({ id: z.string(), question: z.string(), answer: z.string() });

export const loadTasks = memoizeTasks(async function loadSearchTasks(data: DataStore): Promise<Task<SearchPayload>[]> {
  const items = await data.jsonOf("userrl/gyms/search_questions.json", z.array(questionItem));
  const byId = new Map(items.map((x) => [x.id, x]));
  return tasksFromParquet(data, {
    gym: "search",
    parquet: "bamboogle_multiturn",
    // SearchGym has no training split: the reference evaluates on all 125 Bamboogle questions.
    splits: ["test"],
    itemKind: "question",
    find: (id) => byId.get(id),
    payload: (item) => ({ question: item.question, answer: item.answer }),
  });
});
