/**
 * The training data the Python side reads: the SFT set (the ranked cold-start trajectories in TRL's format,
 * from `src/sft`) and the RL task list (each task's prompt as the server will open it).
 */
import { createWriteStream } from "node:fs";
import { once } from "node:events";
import type { GymDefinition, Split, Task, Trajectory } from "../core/types.js";
import { DataStore } from "../data/store.js";
import { resolveGyms } from "../gyms/index.js";
import { openingMessages } from "../rollout/episode.js";
import { toTrl } from "../sft/formats.js";
import type { Ranked } from "../sft/select.js";

/**
 * What the model says once an episode is over. TRL's tool loop runs until the model replies without a tool
 * call, so the cold-start set shows it: a finished episode ends with the environment's last reply and this turn.
 */
export const CLOSING_TURN = "The episode is over.";

/** One SFT record in TRL's format; a finished episode gets its last reply and a closing turn. */
export function sftRecord(t: Trajectory): Record<string, unknown> {
  const rec = toTrl(t);
  const last = t.messages.at(-1);
  const ended = t.endReason === "done" || t.endReason === "truncated" || t.endReason === "max_turns";
  if (ended && last?.role === "tool") {
    (rec.messages as Record<string, unknown>[]).push({ role: "tool", content: last.content }, { role: "assistant", content: CLOSING_TURN });
  }
  return rec;
}

async function writeJsonl(path: string, rows: Iterable<Record<string, unknown>>): Promise<number> {
  const out = createWriteStream(path);
  let n = 0;
  for (const r of rows) {
    if (!out.write(`${JSON.stringify(r)}\n`)) await once(out, "drain");
    n++;
  }
  out.end();
  await once(out, "finish");
  return n;
}

/** Write the selected trajectories (per gym, from `selectForSft`) as the SFT file; returns the record count. */
export function writeSftSet(selected: ReadonlyMap<string, Ranked[]>, path: string): Promise<number> {
  return writeJsonl(path, [...selected.values()].flat().map((r) => sftRecord(r.trajectory)));
}

export interface TaskRow {
  prompt: { role: string; content: string }[];
  gym: string;
  task_id: string;
}

/** The tasks RL trains on: each gym's split, optionally the first `limit` or the named ids. */
export async function taskRows(opts: {
  gyms: string[];
  split: Split;
  limit?: number;
  taskIds?: string[];
  prompts: "own" | "dataset";
  data?: DataStore;
}): Promise<TaskRow[]> {
  const data = opts.data ?? DataStore.default();
  const rows: TaskRow[] = [];
  for (const gym of resolveGyms(opts.gyms) as GymDefinition<unknown>[]) {
    let tasks: Task<unknown>[] = (await gym.tasks(data)).filter((t) => t.split === opts.split);
    if (opts.taskIds?.length) tasks = tasks.filter((t) => opts.taskIds!.includes(t.id));
    if (opts.limit !== undefined) tasks = tasks.slice(0, opts.limit);
    for (const task of tasks) {
      rows.push({ prompt: openingMessages(gym, task, opts.prompts).map((m) => ({ role: m.role, content: m.content })), gym: gym.name, task_id: task.id });
    }
  }
  if (rows.length === 0) throw new RangeError(`no ${opts.split} tasks in ${opts.gyms.join(", ")}${opts.taskIds?.length ? " with those ids" : ""}`);
  return rows;
}

export function writeTaskRows(rows: readonly TaskRow[], path: string): Promise<number> {
  return writeJsonl(path, rows as unknown as Record<string, unknown>[]);
}
