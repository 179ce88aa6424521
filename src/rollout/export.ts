/** Export stored trajectories as JSON Lines (one trajectory per line). */
import { createWriteStream } from "node:fs";
import { once } from "node:events";
import type { RunStore } from "./store.js";
import { fileErrorText } from "./store-file.js";

export async function exportJsonl(store: RunStore, out: NodeJS.WritableStream, filter: { gym?: string } = {}): Promise<number> {
  let n = 0;
  for (const t of store.trajectories(filter)) {
    if (!out.write(`${JSON.stringify(t)}\n`)) await once(out, "drain");
    n++;
  }
  return n;
}

export async function exportJsonlFile(store: RunStore, path: string, filter: { gym?: string } = {}): Promise<number> {
  const out = createWriteStream(path);
  try {
    await once(out, "open");
  } catch (err) {
    throw new Error(`cannot write ${path}: ${fileErrorText(err)}`);
  }
  const n = await exportJsonl(store, out, filter);
  out.end();
  await once(out, "finish");
  return n;
}
