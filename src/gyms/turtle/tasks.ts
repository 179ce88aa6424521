/** TurtleGym's tasks: the stories (surface, hidden bottom, weighted key points) in the dataset's splits. */
import { z } from "zod";
import type { Task } from "../../core/types.js";
import type { DataStore } from "../../data/store.js";
import { memoizeTasks } from "../kit/dataset-prompt.js";
import { tasksFromParquet } from "../kit/parquet-tasks.js";
import type { Criterion } from "./scoring.js";

export interface TurtlePayload {
  /** The story's key in the data file. */
  storyId: string;
  title: string;
  /** What the agent is told. */
  surface: string;
  /** The hidden true story. */
  bottom: string;
  criteria: Criterion[];
}

const storySchema = z.object({
  new_title: z.string().min(1),
  new_surface: z.string().min(1),
  new_bottom: z.string().min(1),
  evaluation: z.array(z.object({ statement: z.string(), score: z.number() })).min(1),
  judgment: z.string(),
});

export const loadTasks = memoizeTasks(async function loadTurtleTasks(data: DataStore): Promise<Task<TurtlePayload>[]> {
  const stories = await data.jsonOf("userrl/gyms/turtle_stories.json", z.record(z.string(), storySchema));
  // The reference keeps only curated stories (all 471 are) and looks them up by title, ignoring case.
  const byTitle = new Map<string, TurtlePayload>();
  for (const [storyId, s] of Object.entries(stories)) {
    if (s.judgment !== "Yes") continue;
    byTitle.set(s.new_title.toLowerCase(), {
      storyId,
      title: s.new_title,
      surface: s.new_surface,
      bottom: s.new_bottom,
      criteria: s.evaluation.map((e) => ({ statement: e.statement, weight: e.score })),
    });
  }
  return tasksFromParquet(data, {
    gym: "turtle",
    parquet: "turtle_multiturn",
    key: "title",
    itemKind: "story",
    find: (title) => byTitle.get(title.toLowerCase()),
    payload: (story) => story,
  });
});
