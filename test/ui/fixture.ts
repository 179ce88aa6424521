/** Stored runs and a running `userrl ui` for the web app's tests. */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { resolveAgent, resolveUser } from "../../src/agents/resolve.js";
import { DEFAULT_RUN, runBatch } from "../../src/rollout/runner.js";
import { RunStore } from "../../src/rollout/store.js";
import { startUi, type RunningUi, type UiOptions } from "../../src/ui/app.js";
import { http as call } from "../server/helpers.js";

/** JSON request against the running app: status and body (the server tests' helper). */
export { call };

/** A baseline run of `gyms` with the offline user, `limit` test tasks each. */
export async function baselineRun(root: string, name: string, gyms: string[], limit: number, seed = DEFAULT_RUN.seed): Promise<string> {
  const dir = join(root, name);
  const store = new RunStore(dir);
  try {
    await runBatch(
      { ...DEFAULT_RUN, gyms, agent: "baseline", user: "offline", limit, seed, concurrency: 4 },
      { store, agent: await resolveAgent("baseline"), user: await resolveUser("offline") },
    );
  } finally {
    store.close();
  }
  return dir;
}

export function scratch(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `userrl-ui-${prefix}-`));
}

export function startTestUi(root: string, over: Partial<UiOptions> = {}): Promise<RunningUi> {
  return startUi({ runDirs: [], roots: [root], out: root, host: "127.0.0.1", port: 0, allow: [], ...over });
}

/** Poll a live episode until `done(view)` holds (the server long-polls, so this is quick). */
export async function waitFor(base: string, id: string, done: (v: any) => boolean, tries = 40): Promise<any> {
  let version = -1;
  for (let i = 0; i < tries; i++) {
    const { body } = await call(base, `/api/play/${id}${version >= 0 ? `?after=${version}` : ""}`);
    if (done(body)) return body;
    version = body.version;
  }
  throw new Error(`live episode ${id} never reached the expected state`);
}
