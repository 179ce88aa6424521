import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { Trajectory } from "../../src/core/types.js";
import { evaluateRun } from "../../src/eval/load.js";
import { RunStore } from "../../src/rollout/store.js";
import { realUserReport } from "../../src/ui/real-users.js";
import { playRunDir, recordEpisode, recordRating } from "../../src/ui/record.js";
import { RunIndex } from "../../src/ui/runs.js";
import { baselineRun, scratch } from "./fixture.js";

let root: string;
let simulated: Trajectory[];

/** A person's run: the same episodes with a person in the user's seat, halved rewards on the second task. */
function humanRun(person: string, halve: boolean): string {
  const dir = playRunDir(root, "user", person, "baseline");
  simulated.forEach((t, i) => {
    const turns = halve && i === 1 ? t.turns.map((x) => ({ ...x, reward: x.reward / 2 })) : t.turns;
    const { key } = recordEpisode(dir, { agent: "baseline", user: `human:${person}`, compat: "fixed", maxTurns: 16, split: "test", humanSeat: "web" }, { ...t, turns, userSpec: `human:${person}` }, 0);
    recordRating(dir, key, { satisfaction: i % 2 ? 5 : 3, efficient: i % 2 === 0, comment: i === 0 ? `${person} liked it` : "" });
  });
  return dir;
}

beforeAll(async () => {
  root = scratch("real-users");
  const sim = await baselineRun(root, "intention-sim", ["intention"], 3);
  const store = RunStore.open(sim);
  simulated = [...store.trajectories()];
  store.close();
  humanRun("dana", true);
  humanRun("eli", false);
});

describe("real-user report", () => {
  it("puts one agent's simulated-user and human-user scores side by side per gym, with ratings and turns", () => {
    const r = realUserReport(new RunIndex([], [root]), undefined);
    expect(r.agent).toBe("baseline");
    expect(r.agents).toEqual(["baseline"]);
    expect(r.simulatedUsers).toEqual(["offline"]);
    expect(r.people).toEqual(["dana", "eli"]);
    expect(r.gyms).toHaveLength(1);
    const g = r.gyms[0];
    const sim = evaluateRun(join(root, "intention-sim")).summary.gyms.intention;
    expect(g.simulated).toMatchObject({ tasks: 3, episodes: 3 });
    expect(g.simulated!.score).toBeCloseTo(sim.score, 12);
    expect(g.human).toMatchObject({ tasks: 3, episodes: 6 });
    // Two people per task; one halved the second task's rewards: the human mean drops by a quarter of that task's score / 3 tasks.
    const second = simulated[1].turns.reduce((s, x) => s + x.reward, 0);
    expect(g.human!.score).toBeCloseTo(sim.score - second / 4 / 3, 12);
    expect(g.delta!.paired).toBe(true);
    expect(g.delta!.delta).toBeCloseTo(g.human!.score - g.simulated!.score, 12);
    expect(g.ratings.n).toBe(6);
    expect(g.ratings.satisfaction).toBeCloseTo((3 + 5 + 3) * 2 / 6, 12);
    expect(g.ratings.efficient).toBeCloseTo(4 / 6, 12);
    expect(g.human!.meanTurns).toBeCloseTo(sim.meanTurns, 12);
    expect(r.comments.map((c) => c.rating.comment).sort()).toEqual(["dana liked it", "eli liked it"]);
    expect(r.comments[0]).toMatchObject({ gym: "intention", taskId: expect.any(String) });
  });

  it("stores people's episodes in ordinary runs that eval/ reads unchanged, ratings in a side table", () => {
    const run = evaluateRun(playRunDir(root, "user", "dana", "baseline"));
    expect(run.user).toBe("human:dana");
    expect(run.agent).toBe("baseline");
    expect(run.run.config).toMatchObject({ humanSeat: "web", mode: "eval", gyms: ["intention"] });
    expect(run.summary.gyms.intention.episodes).toBe(3);
  });

  it("is empty, not broken, when nobody has played the user's seat", () => {
    const r = realUserReport(new RunIndex([join(root, "intention-sim")], []), undefined);
    expect(r.agents).toEqual([]);
    expect(r.people).toEqual([]);
  });
});
