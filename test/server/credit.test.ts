/** POST /credit: groups of served episodes (by session or episode id) or raw rewards → the credit module's numbers. */
import { describe, expect, test } from "vitest";
import { computeGroupAdvantages } from "../../src/credit/index.js";
import { EnvClient } from "../../src/server/client.js";
import { http, serve } from "./helpers.js";

/** Play func-1 with a fixed list of moves; returns the session and episode ids. */
async function play(url: string, moves: [string, string][]): Promise<{ session: string; episode: string; client: EnvClient }> {
  const client = await EnvClient.connect(url);
  const r = await client.reset({ task_id: "func-1", group_id: "g1" });
  for (const [choice, content] of moves) await client.step({ choice, content });
  const o = r.observation as { session_id: string; episode_id: string };
  return { session: o.session_id, episode: o.episode_id, client };
}

describe("credit service", () => {
  test("sessions of one group get the credit module's scores, advantages and per-turn credits", async () => {
    const s = await serve();
    const quick = await play(s.url, [["answer", "225"]]);
    const slow = await play(s.url, [["search", "test"], ["action", "1 2 3 4"], ["answer", "225"]]);
    const fail = await play(s.url, [["search", "test"], ["answer", "0"]]);
    await fail.client.close(); // a closed session is still known; its unfinished episode counts as aborted
    await expect.poll(() => s.registry.size).toBe(2);
    const options = { turnLevel: "R2G", trajectoryScore: "Sum", gamma: 0.8 } as const;
    const res = await http(s.url, "/credit", { json: { groups: [{ id: "g1", sessions: [quick.session, slow.session, fail.session] }], options } });
    expect(res.status).toBe(200);
    const want = computeGroupAdvantages(
      [{ id: "g1", trajectories: [{ id: quick.session, rewards: [1] }, { id: slow.session, rewards: [0, 0, 1] }, { id: fail.session, rewards: [0, 0] }] }],
      options,
    );
    expect(res.body.groups).toEqual(want.groups);
    for (const [i, t] of want.trajectories.entries()) expect(res.body.trajectories[i]).toMatchObject({ ...t, session: t.id });
    expect(res.body.trajectories.map((t: { finished: boolean; endReason: string | null }) => [t.finished, t.endReason])).toEqual([
      [true, "done"],
      [true, "done"],
      [true, "aborted"],
    ]);
    // A live episode can be credited too (a trainer may cut an episode short): it is reported unfinished.
    const live = await play(s.url, [["search", "test"]]);
    const partial = await http(s.url, "/credit", { json: { groups: [{ id: "g2", sessions: [live.session, quick.session] }] } });
    expect(partial.body.trajectories[0]).toMatchObject({ finished: false, endReason: null, rewards: [0] });
    await live.client.close();
    expect(res.body.options).toMatchObject({ turnLevel: "R2G", trajectoryScore: "Sum", gamma: 0.8, normByStd: true });
    // By episode id, with token counts per turn; defaults are the paper's best setting.
    const byEpisode = await http(s.url, "/credit", { json: { groups: [{ id: 1, trajectories: [{ episode: slow.episode, turnTokens: [5, 5, 10] }, { episode: quick.episode }] }] } });
    expect(byEpisode.body.options).toMatchObject({ turnLevel: "Equalized", trajectoryScore: "R2G" });
    expect(byEpisode.body.trajectories[0]).toMatchObject({ episode: slow.episode, rewards: [0, 0, 1], credits: [1, 1, 1] });
    await Promise.all([quick.client.close(), slow.client.close()]);
  });

  test("raw per-turn rewards reproduce the spec's vector V4 (R2G + R2G)", async () => {
    const s = await serve();
    const traj = (id: string, rewards: number[], turnTokens: number[]) => ({ id, rewards, turnTokens });
    const res = await http(s.url, "/credit", {
      json: {
        groups: [{ id: "v4", trajectories: [traj("A", [0, 0, 1], [40, 30, 20]), traj("B", [0, 0, 0, 0, 0], [25, 25, 25, 25, 25]), traj("C", [0.2, 0, 0.6], [30, 30, 30]), traj("D", [0, 1], [50, 10])] }],
        options: { turnLevel: "R2G", trajectoryScore: "R2G" },
      },
    });
    const byId = Object.fromEntries(res.body.trajectories.map((t: { id: string; tokenAdvantages: number[] }) => [t.id, t.tokenAdvantages]));
    const close = (a: number[], b: number[]) => a.forEach((x, i) => expect(x).toBeCloseTo(b[i], 5));
    close(byId.A, [0.317273, 0.396591, 0.495739]);
    close(byId.B, [0, 0, 0, 0, 0]);
    close(byId.C, [0.234958, 0.193116, 0.241395]);
    close(byId.D, [0.807484, 1.009355]);
  });

  test("bad requests are answered 422 with the reason", async () => {
    const s = await serve();
    const bad = async (body: unknown) => http(s.url, "/credit", { json: body });
    expect(await bad({})).toMatchObject({ status: 422, body: { code: "VALIDATION_ERROR", detail: expect.stringMatching(/groups/) } });
    expect((await bad({ groups: [{ id: "x" }] })).body.detail).toMatch(/trajectories, sessions or episodes/);
    expect((await bad({ groups: [{ id: "x", sessions: ["nope"] }] })).body.detail).toMatch(/no episode known for session "nope"/);
    expect((await bad({ groups: [{ id: "x", trajectories: [{ id: 1, rewards: [1, "a"] }] }] })).status).toBe(422);
    expect((await bad({ groups: [{ id: "x", trajectories: [{ id: 1, rewards: [1] }] }], options: { turnLevel: "Magic" } })).status).toBe(422);
    const { session, client } = await play(s.url, [["search", "test"]]);
    expect((await bad({ groups: [{ id: "x", trajectories: [{ session, turnTokens: [1, 2] }] }] })).body.detail).toMatch(/turnTokens/);
    await client.close();
  });
});
