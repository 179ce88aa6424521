/** FunctionGym's tasks: the reference's hidden functions, in the dataset's splits. */
import type { Task } from "../../core/types.js";
import type { DataStore } from "../../data/store.js";
import { memoizeTasks } from "../kit/dataset-prompt.js";
import { tasksFromParquet } from "../kit/parquet-tasks.js";
import { parseExpr } from "./expr.js";
import { z } from "zod";

export interface FunctionPayload {
  rule: string;
  testCase: number[];
  expected: number;
}

const functionItem = z.object({
  id: z.string(),
  rule: z.string(),
  test_case: z.array(z.number()).length(4),
  expected_result: z.number(),
});

export const loadTasks = memoizeTasks(async function loadFunctionTasks(data: DataStore): Promise<Task<FunctionPayload>[]> {
  const items = await data.jsonOf("userrl/gyms/function_functions.json", z.array(functionItem));
  const byId = new Map(items.map((x) => [x.id, x]));
  return tasksFromParquet(data, {
    gym: "function",
    parquet: "function_multiturn",
    itemKind: "function",
    find: (id) => byId.get(id),
    payload: (item) => {
      parseExpr(item.rule); // validate once
      return { rule: item.rule, testCase: item.test_case, expected: item.expected_result };
    },
  });
});
