/**
 * TauGym tasks: the reference's parquet ids and prompts (500 train `retail-train-*`; 165 test: 115
 * `retail-*` and 50 `airline-*`), joined with the tau-bench task each id names, read from the
 * reference's `tau_train.json` / `tau_test.json` dumps (user id, instruction, ground-truth actions,
 * required outputs, and the pre-recorded first customer message).
 */
import { z } from "zod";
import type { Task } from "../../core/types.js";
import type { DataStore } from "../../data/store.js";
import { memoizeTasks } from "../kit/dataset-prompt.js";
import { tasksFromParquet } from "../kit/parquet-tasks.js";
import type { TauAction } from "./domain.js";
import type { Domain } from "./tools/tool.js";

export interface TauPayload {
  domain: Domain;
  /** tau-bench's task list the task comes from (`train` or `test`), and its index there. */
  taskSplit: "train" | "test";
  index: number;
  userId: string;
  instruction: string;
  /** Ground-truth actions, in order. */
  actions: TauAction[];
  /** Strings the agent must say to the customer. */
  outputs: string[];
  /** The customer's pre-recorded first message. */
  firstMessage: string;
}

const dumpItem = z.object({
  id: z.string(),
  obs: z.string(),
  info: z.object({
    task: z.object({
      user_id: z.string(),
      actions: z.array(z.object({ name: z.string(), kwargs: z.record(z.string(), z.unknown()) })),
      instruction: z.string(),
      outputs: z.array(z.string()),
    }),
  }),
});

/** Which data store each task came from, so an episode loads its database from the same one. */
const storeOfTask = new WeakMap<object, DataStore>();
/** The domain policy of each task, read with the tasks so the (synchronous) system prompt can show it. */
const policyOfTask = new WeakMap<object, string>();

export function taskStore(task: Task<TauPayload>): DataStore | undefined {
  return storeOfTask.get(task);
}

export function taskPolicy(task: Task<TauPayload>): string | undefined {
  return policyOfTask.get(task);
}

/** The reference's reading of an id: the category is retail when the id says so, the split train likewise. */
export function parseTaskId(id: string): { domain: Domain; taskSplit: "train" | "test"; index: number } {
  const index = Number(id.slice(id.lastIndexOf("-") + 1));
  if (!Number.isInteger(index)) throw new Error(`tau task id "${id}" does not end in an index`);
  return { domain: id.includes("retail") ? "retail" : "airline", taskSplit: id.includes("train") ? "train" : "test", index };
}

export const loadTauTasks = memoizeTasks(async function loadTauTasks(data: DataStore): Promise<Task<TauPayload>[]> {
  const byId = new Map<string, z.infer<typeof dumpItem>>();
  for (const key of ["userrl/gyms/tau_train.json", "userrl/gyms/tau_test.json"]) {
    for (const item of await data.jsonOf(key, z.array(dumpItem))) byId.set(item.id, item);
  }
  const policies: Record<Domain, string> = {
    retail: await data.text("tau-bench/retail/wiki.md"),
    airline: await data.text("tau-bench/airline/wiki.md"),
  };
  const tasks = await tasksFromParquet(data, {
    gym: "tau",
    parquet: "tau_multiturn",
    itemKind: "task",
    find: (id) => byId.get(id),
    payload: (item, id): TauPayload => {
      const t = item.info.task;
      return { ...parseTaskId(id), userId: t.user_id, instruction: t.instruction, actions: t.actions, outputs: t.outputs, firstMessage: item.obs };
    },
  });
  for (const task of tasks) {
    storeOfTask.set(task, data);
    policyOfTask.set(task, policies[task.payload.domain]);
  }
  return tasks;
});
