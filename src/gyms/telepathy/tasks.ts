/** TelepathyGym's tasks: an entity (names, aliases, category, description) per task, in the dataset's splits. */
import { z } from "zod";
import type { Task } from "../../core/types.js";
import type { DataStore } from "../../data/store.js";
import { memoizeTasks } from "../kit/dataset-prompt.js";
import { tasksFromParquet } from "../kit/parquet-tasks.js";
import { entityNames } from "./names.js";

export interface TelepathyPayload {
  entityId: string;
  title: string;
  description: string;
  goal: string;
  /** "<Name> - <attributes>": what the host and the judge know. */
  targetEntity: string;
  category: string;
  /** The entity's names and the aliases the data gives (for the clear-hit rule). */
  names: string[];
}

const entitySchema = z.object({
  id: z.string(),
  title: z.string(),
  description: z.string(),
  goal: z.string(),
  target_entity: z.string(),
  category: z.string(),
});


export const loadTasks = memoizeTasks(async function loadTelepathyTasks(data: DataStore): Promise<Task<TelepathyPayload>[]> {
  const entities = await data.jsonOf("userrl/gyms/telepathy_entities.json", z.array(entitySchema));
  const byTitle = new Map(entities.map((e) => [e.title.toLowerCase(), e]));
  return tasksFromParquet(data, {
    gym: "telepathy",
    parquet: "telepathy_multiturn",
    key: "title",
    itemKind: "entity",
    find: (title) => byTitle.get(title.toLowerCase()),
    payload: (e) => ({
      entityId: e.id,
      title: e.title,
      description: e.description,
      goal: e.goal,
      targetEntity: e.target_entity,
      category: e.category,
      names: entityNames(e.title, e.target_entity),
    }),
  });
});
