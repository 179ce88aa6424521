/**
 * What a gym's audit builds from a task (an index of its options, its resolved scenario), built on first use and
 * kept as long as the task itself: an audit reads every turn of a task's episodes against it.
 */
import type { Task } from "../../core/types.js";

/** `build` of each task, once per task object. */
export function perTask<P, T>(build: (task: Task<P>) => T): (task: Task<P>) => T {
  const kept = new WeakMap<Task<P>, T>();
  return (task) => {
    let value = kept.get(task);
    if (value === undefined) {
      value = build(task);
      kept.set(task, value);
    }
    return value;
  };
}
