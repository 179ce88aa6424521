/** Look-ahead credit on stored gym episodes: replay to each turn, let a policy play on, credit by the future. */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, test } from "vitest";
import { resolveAgent } from "../../src/agents/resolve.js";
import { lookAheadValues } from "../../src/credit/look-ahead.js";
import { lookAheadValue } from "../../src/credit/index.js";
import { getGym } from "../../src/gyms/index.js";
import { replayAgent, replaySource } from "../../src/rollout/replay.js";
import { RunStore } from "../../src/rollout/store.js";
import { EnvClient } from "../../src/server/client.js";
import { cli } from "../cli-runner.js";
import { http, serve } from "../server/helpers.js";
import { functionBaselineRun } from "../credit/run-fixture.js";

test("values: the last turn keeps its reward, earlier turns add the sampled futures; the cost is counted", async () => {
  const runDir = await functionBaselineRun();
  const store = RunStore.open(runDir);
  const trajectories = [...store.trajectories()];
  const config = store.run()!.config;
  store.close();
  const t = trajectories[0];
  const replay = await replaySource(config, trajectories);
  const cost = { episodes: 0, agentTurns: 0 };
  const values = await lookAheadValues(t, replay, await resolveAgent("baseline"), { turns: 2, samples: 2, gamma: 0.5 }, cost);
  expect(values).toHaveLength(t.turns.length);
  expect(values.at(-1)).toBe(t.turns.at(-1)!.reward);
  expect(cost.episodes).toBe((t.turns.length - 1) * 2);
  // Replaying the stored turns and playing on: a future never reaches past turn + 2, and the first turn's
  // value is its reward plus discounted future rewards, recomputed here from one explicit future.
  const policy = (await resolveAgent("baseline")).start(getGym("function"), replay.task(t), t.seed + 7919);
  const fresh = await replay.play(t, replayAgent(t, { turns: 1, then: policy }), { runId: "x", id: "x", maxTurns: 3 });
  expect(fresh.turns.length).toBeLessThanOrEqual(3);
  expect(fresh.turns[0].reward).toBe(t.turns[0].reward);
  expect(values[0]).toBeCloseTo(lookAheadValue(t.turns[0].reward, [fresh.turns.slice(1).map((r) => r.reward)], 0.5), 12);
  await replay.close();
}, 120_000);

test("credit --turn-level LookAhead on a run and on --input", async () => {
  const runDir = await functionBaselineRun();
  const r = await cli("credit", runDir, "--turn-level", "LookAhead", "--trajectory", "Mean", "--look-ahead-turns", "2", "--look-ahead-samples", "1", "--json");
  expect(r.code, r.err).toBe(0);
  expect(r.err).toMatch(/look-ahead \(baseline, 2 turns × 1 samples\): \d+ episodes replayed, \d+ agent turns played for \d+ stored turns/);
  const out = JSON.parse(r.out);
  for (const t of out.trajectories) expect(t.credits.length).toBeGreaterThan(0);
  const dir = mkdtempSync(join(tmpdir(), "stats-la-"));
  const file = join(dir, "in.json");
  writeFileSync(file, JSON.stringify({ groups: [{ id: "g", trajectories: [{ id: "a", rewards: [0, 1], lookAhead: [0.8, 1] }, { id: "b", rewards: [0, 0], lookAhead: [0.1, 0] }] }] }));
  const given = JSON.parse((await cli("credit", "--input", file, "--turn-level", "LookAhead", "--trajectory", "Sum", "--json")).out);
  expect(given.trajectories[0].credits).toEqual([0.8, 1]);
  writeFileSync(file, JSON.stringify({ groups: [{ id: "g", trajectories: [{ id: "a", rewards: [0, 1] }] }] }));
  const missing = await cli("credit", "--input", file, "--turn-level", "LookAhead", "--trajectory", "Sum");
  expect(missing.code).not.toBe(0);
  expect(missing.err).toMatch(/LookAhead credit needs one look-ahead value per turn \(2\), got none/);
}, 120_000);

test("the credit service computes LookAhead for stored episodes, and says why it cannot otherwise", async () => {
  const out = mkdtempSync(join(tmpdir(), "stats-la-serve-"));
  const s = await serve({ out });
  const played: string[] = [];
  for (const moves of [[["search", "test"], ["action", "1 2 3 4"], ["answer", "225"]], [["search", "test"], ["answer", "0"]]]) {
    const client = await EnvClient.connect(s.url);
    const r = await client.reset({ task_id: "func-1", group_id: "g" });
    for (const [choice, content] of moves) await client.step({ choice, content });
    played.push((r.observation as { episode_id: string }).episode_id);
    await client.close();
  }
  const res = await http(s.url, "/credit", { json: { groups: [{ id: "g", episodes: played }], options: { turnLevel: "LookAhead", trajectoryScore: "Sum" }, lookAhead: { turns: 2, samples: 1 } } });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  const [a, b] = res.body.trajectories as { credits: number[]; rewards: number[] }[];
  expect(a.credits).toHaveLength(3);
  expect(a.credits.at(-1)).toBe(a.rewards.at(-1));
  expect(b.credits).toHaveLength(2);
  const raw = await http(s.url, "/credit", { json: { groups: [{ id: "g", trajectories: [{ id: "x", rewards: [0, 1] }] }], options: { turnLevel: "LookAhead", trajectoryScore: "Sum" } } });
  expect(raw.status).toBe(422);
  expect(JSON.stringify(raw.body)).toMatch(/raw trajectories must bring lookAhead values/);
  const unstored = await serve();
  const client = await EnvClient.connect(unstored.url);
  const r = await client.reset({ task_id: "func-1" });
  await client.step({ choice: "answer", content: "0" });
  const episode = (r.observation as { episode_id: string }).episode_id;
  const no = await http(unstored.url, "/credit", { json: { groups: [{ id: "g", episodes: [episode] }], options: { turnLevel: "LookAhead", trajectoryScore: "Sum" } } });
  expect(JSON.stringify(no.body)).toMatch(/the server stores episodes only with --out/);
  await client.close();
}, 120_000);
