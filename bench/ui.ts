/**
 * `userrl ui` on a big run: a 10,000-episode run (FunctionGym and TelepathyGym baseline episodes with the
 * offline user, replicated as samples), served by the web app's API over loopback HTTP. Times the requests
 * the pages make — the runs list, the first page of episodes (target: under 100 ms), a filtered page, a
 * full-text search, one episode with its hidden state, and the run's full evaluation (cold, then cached).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { resolveAgent, resolveUser } from "../src/agents/resolve.js";
import { DEFAULT_RUN, runBatch } from "../src/rollout/runner.js";
import { episodeKey, RunStore } from "../src/rollout/store.js";
import { startUi } from "../src/ui/app.js";
import { percentile, printTable } from "./lib/table.js";

export const describe = "userrl ui API on a 10,000-episode run: runs list, first episode page (target < 100 ms), filter, search, episode, evaluation";

async function makeRun(dir: string, episodes: number): Promise<void> {
  const store = new RunStore(dir);
  try {
    await runBatch(
      { ...DEFAULT_RUN, gyms: ["function", "telepathy"], agent: "baseline", user: "offline", limit: 25, concurrency: 8 },
      { store, agent: await resolveAgent("baseline"), user: await resolveUser("offline") },
    );
    const seeds = [...store.trajectories()];
    const copies = Math.ceil(episodes / seeds.length);
    const insert = store.db.transaction(() => {
      for (let s = 1; s < copies; s++) {
        for (const t of seeds) {
          if (s * seeds.length + seeds.indexOf(t) >= episodes) break;
          store.saveEpisode({ ...t, sample: s, id: `${t.runId}/${episodeKey(t.gym, t.taskId, s)}` }, "done");
        }
      }
    });
    insert();
  } finally {
    store.close();
  }
}

async function time(url: string, n: number): Promise<{ p50: number; p95: number; first: number; bytes: number }> {
  const ms: number[] = [];
  let bytes = 0;
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    const res = await fetch(url);
    const body = await res.arrayBuffer();
    ms.push(performance.now() - t0);
    if (!res.ok) throw new Error(`${url}: ${res.status} ${new TextDecoder().decode(body).slice(0, 200)}`);
    bytes = body.byteLength;
  }
  return { p50: percentile(ms, 0.5), p95: percentile(ms, 0.95), first: ms[0], bytes };
}

export async function run(args: string[]): Promise<void> {
  const episodes = Number(args[0] ?? 10_000);
  const root = mkdtempSync(join(tmpdir(), "userrl-bench-ui-"));
  try {
    const dir = join(root, "big");
    const t0 = performance.now();
    await makeRun(dir, episodes);
    console.log(`made a ${episodes}-episode run in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    const ui = await startUi({ runDirs: [], roots: [root], out: root, host: "127.0.0.1", port: 0, allow: [] });
    try {
      const runs = (await (await fetch(`${ui.url}/api/runs`)).json()) as { runs: { id: string }[] };
      const id = runs.runs[0].id;
      const page = (await (await fetch(`${ui.url}/api/runs/${id}/episodes?limit=1`)).json()) as { rows: { key: string }[] };
      const key = page.rows[0].key.split("/").map(encodeURIComponent).join("/");
      const rows: (string | number)[][] = [];
      const measure = async (what: string, path: string, n = 20) => {
        const r = await time(`${ui.url}${path}`, n);
        rows.push([what, n, r.first, r.p50, r.p95, Math.round(r.bytes / 1024)]);
      };
      await measure("runs list", "/api/runs");
      await measure("first episode page (50 rows)", `/api/runs/${id}/episodes?limit=50`);
      await measure("page 100 (offset 4,950)", `/api/runs/${id}/episodes?limit=50&offset=4950`);
      await measure("filtered page (gym + reward ≥ 1)", `/api/runs/${id}/episodes?gym=telepathy&minReward=1`);
      await measure("full-text search (no hit)", `/api/runs/${id}/episodes?q=no-such-text-here`, 5);
      await measure("one episode + hidden state", `/api/runs/${id}/episodes/${key}`);
      await measure("run header + filter values", `/api/runs/${id}`);
      await measure("run scores: evaluation (first cold, then cached)", `/api/runs/${id}/scores`, 5);
      printTable(`userrl ui API, ${episodes.toLocaleString("en-US")} episodes, loopback HTTP (ms)`, ["request", "n", "first", "p50", "p95", "KiB"], rows);
    } finally {
      await ui.close();
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
