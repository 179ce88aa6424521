import { existsSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Trajectory } from "../../src/core/types.js";
import { evaluateRun } from "../../src/eval/load.js";
import { startUi, type RunningUi } from "../../src/ui/app.js";
import { baselineRun, call, scratch, startTestUi, waitFor } from "./fixture.js";

let root: string;
let ui: RunningUi;
let base: string;
let telepathy: string;
let mixed: string;
let guesser: string;
/** Status of a raw request (headers fetch() will not send: a foreign Host, a body declared larger than allowed). */
function rawStatus(path: string, headers: Record<string, string>, method = "POST"): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(`${base}${path}`, { method, headers, agent: false }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on("error", reject);
    req.end();
  });
}
const idOf = async (dir: string) => ((await call(base, "/api/runs")).body.runs as { id: string; dir: string }[]).find((r) => r.dir === dir)!.id;

beforeAll(async () => {
  root = scratch("api");
  telepathy = await baselineRun(root, "telepathy-a", ["telepathy"], 4);
  mixed = await baselineRun(root, "mixed-b", ["telepathy", "function"], 4, 7);
  // An agent that guesses first, then asks, then guesses again.
  const script = join(root, "guesser.json");
  writeFileSync(script, JSON.stringify([{ tool: { choice: "answer", content: "Penguin" } }, { tool: { choice: "action", content: "Is it a bird?" } }, { tool: { choice: "answer", content: "Koala" } }]));
  guesser = `scripted:${script}`;
  ui = await startTestUi(root, { allow: [guesser] });
  base = ui.url;
});
afterAll(async () => ui?.close());

describe("runs and episodes", () => {
  it("lists every run found under the folder, with agent, user, gyms, episodes and cost", async () => {
    const { status, body } = await call(base, "/api/runs");
    expect(status).toBe(200);
    const names = body.runs.map((r: { name: string }) => r.name).sort();
    expect(names).toEqual(["mixed-b", "telepathy-a"]);
    const m = body.runs.find((r: { name: string }) => r.name === "mixed-b");
    expect(m).toMatchObject({ agent: "baseline", user: "offline", gyms: ["telepathy", "function"], episodes: 8, errors: 0, live: false, planned: 8 });
    expect(m.meanReward.function).toBe(1);
  });

  it("scores a run through eval/ (the same numbers as `userrl report`)", async () => {
    const id = await idOf(mixed);
    const { body } = await call(base, `/api/runs/${id}/scores`);
    const expected = evaluateRun(mixed).summary;
    expect(body.microAverage).toBeCloseTo(expected.microAverage, 12);
    expect(body.gyms.telepathy.score).toBeCloseTo(expected.gyms.telepathy.score, 12);
    expect(body.gyms.telepathy.rewardByTurn).toEqual(expected.gyms.telepathy.rewardByTurn);
    const detail = (await call(base, `/api/runs/${id}`)).body;
    expect(detail.facets.gyms).toEqual(["function", "telepathy"]);
    expect(detail.config).toMatchObject({ agent: "baseline", limit: 4 });
  });

  it("pages, filters and searches episodes on the server", async () => {
    const id = await idOf(mixed);
    const first = (await call(base, `/api/runs/${id}/episodes?limit=3`)).body;
    expect(first.total).toBe(8);
    expect(first.rows).toHaveLength(3);
    const second = (await call(base, `/api/runs/${id}/episodes?limit=3&offset=3`)).body;
    expect(second.rows[0].key).not.toBe(first.rows[0].key);
    const fn = (await call(base, `/api/runs/${id}/episodes?gym=function`)).body;
    expect(fn.total).toBe(4);
    expect(fn.rows.every((r: { gym: string; score: number }) => r.gym === "function" && r.score === 1)).toBe(true);
    const won = (await call(base, `/api/runs/${id}/episodes?gym=telepathy&minReward=0.5`)).body;
    const lost = (await call(base, `/api/runs/${id}/episodes?gym=telepathy&maxReward=0.5`)).body;
    expect(won.total + lost.total).toBe(4);
    const task = fn.rows[0].taskId;
    const searched = (await call(base, `/api/runs/${id}/episodes?q=${encodeURIComponent(task.toUpperCase())}`)).body;
    expect(searched.rows.map((r: { taskId: string }) => r.taskId)).toContain(task);
    expect((await call(base, `/api/runs/${id}/episodes?q=no-such-text-anywhere`)).body.total).toBe(0);
  });

  it("opens an episode with the task's hidden state beside what the agent saw", async () => {
    const id = await idOf(telepathy);
    const row = (await call(base, `/api/runs/${id}/episodes?limit=1`)).body.rows[0];
    const { status, body } = await call(base, `/api/runs/${id}/episodes/${row.key.split("/").map(encodeURIComponent).join("/")}`);
    expect(status).toBe(200);
    expect(body.trajectory.taskId).toBe(row.taskId);
    expect(body.trajectory.turns.length).toBe(row.turns);
    expect(body.hidden.targetEntity).toEqual(expect.any(String));
    expect(body.hidden.title).toBe(row.taskId);
    expect((await call(base, `/api/runs/${id}/episodes/telepathy/nope/0`)).status).toBe(404);
    expect((await call(base, `/api/runs/nope/episodes`)).status).toBe(404);
  });

  it("compares two runs per gym and per task with the paired differences of `userrl compare`", async () => {
    const { status, body } = await call(base, `/api/compare?a=${await idOf(telepathy)}&b=${await idOf(mixed)}`);
    expect(status).toBe(200);
    expect(body.gyms.map((g: { gym: string }) => g.gym)).toEqual(["telepathy"]);
    expect(body.gyms[0]).toMatchObject({ paired: true, tasks: 4 });
    expect(body.tasks).toHaveLength(4);
    for (const t of body.tasks) expect(t.delta).toBeCloseTo(t.b - t.a, 12);
    expect(body.sameUser).toBe(true);
  });
});

describe("playing the agent's seat", () => {
  it("plays a Telepathy episode against the offline user and stores it in a run whose agent is human:<name>", async () => {
    const start = await call(base, "/api/play/agent", { json: { gym: "telepathy", taskId: "Koala", player: "ann" } });
    expect(start.status).toBe(200);
    const id = start.body.id;
    let view = await waitFor(base, id, (v) => v.waiting?.seat === "agent");
    expect(view.lines[0].from).toBe("system");
    expect((await call(base, `/api/play/${id}/reply`, { json: { text: "hi" } })).status).toBe(409);
    await call(base, `/api/play/${id}/move`, { json: { choice: "action", content: "Is it an animal?" } });
    view = await waitFor(base, id, (v) => v.waiting?.turn === 2);
    expect(view.lines.at(-1)).toEqual({ from: "environment", text: "Yes" });
    await call(base, `/api/play/${id}/move`, { json: { choice: "answer", content: "Koala" } });
    view = await waitFor(base, id, (v) => v.result !== undefined);
    expect(view.result).toMatchObject({ endReason: "done", score: 1, turns: 2, key: "telepathy/Koala/0" });
    const run = evaluateRun(view.result.runDir);
    expect(run.agent).toBe("human:ann");
    expect(run.user).toBe("offline");
    expect(run.summary.gyms.telepathy.score).toBe(1);
    // Played again, the task adds an episode instead of replacing the first.
    const again = (await call(base, "/api/play/agent", { json: { gym: "telepathy", taskId: "Koala", player: "ann" } })).body.id;
    await waitFor(base, again, (v) => v.waiting?.seat === "agent");
    await call(base, `/api/play/${again}/move`, { json: { choice: "finish" } });
    const done = await waitFor(base, again, (v) => v.result !== undefined);
    expect(done.result.key).toBe("telepathy/Koala/1");
    expect((await call(base, `/api/play/${again}/rate`, { json: { satisfaction: 3, efficient: true } })).status).toBe(409);
  });
});

describe("a persona on the simulated user (a person in the agent's seat)", () => {
  const INTENTION = "06c2b5dd-7750-4cb6-8aad-1ff6554b98fb";
  const LEVEL = "What is your current level of knowledge in reading sheet music?";
  /** The offline user's reply to LEVEL with this persona, and the finished live view. */
  async function ask(persona?: string): Promise<{ reply: string; view: any }> {
    const start = await call(base, "/api/play/agent", { json: { gym: "intention", taskId: INTENTION, player: "pia", ...(persona === undefined ? {} : { persona }) } });
    expect(start.status).toBe(200);
    const id = start.body.id;
    await waitFor(base, id, (v) => v.waiting?.seat === "agent");
    await call(base, `/api/play/${id}/move`, { json: { choice: "action", content: LEVEL } });
    const asked = await waitFor(base, id, (v) => v.waiting?.turn === 2);
    await call(base, `/api/play/${id}/move`, { json: { choice: "finish" } });
    return { reply: asked.lines.at(-1).text, view: await waitFor(base, id, (v) => v.result !== undefined) };
  }

  it("offers the built-in personas, and terse reaches the offline user as --persona does and is stored like a CLI run's", async () => {
    const gyms = (await call(base, "/api/gyms")).body;
    expect(gyms.persona).toBe("cooperative");
    expect(gyms.personas.map((p: { name: string }) => p.name)).toEqual(expect.arrayContaining(["cooperative", "terse", "impatient", "vague"]));
    expect(gyms.personas.find((p: { name: string }) => p.name === "terse").summary).toMatch(/few words/);

    const plain = await ask();
    expect(plain.reply).toMatch(/^As for user's current level of knowledge in reading sheet music: .+\.$/);
    expect(plain.view.persona).toBe("cooperative");
    const terse = await ask("terse");
    expect(terse.view.persona).toBe("terse");
    // terse: about 8 words at most (its default), where the cooperative user says more.
    expect(terse.reply.split(" ").length).toBeLessThanOrEqual(8);
    expect(plain.reply.split(" ").length).toBeGreaterThan(8);

    // Each persona is its own run (pinned like a CLI run's), recorded in the settings and on the trajectory.
    expect(terse.view.result.runDir).not.toBe(plain.view.result.runDir);
    const runs = (await call(base, "/api/runs")).body.runs as { id: string; dir: string; persona?: string }[];
    const stored = runs.find((r) => r.dir === terse.view.result.runDir)!;
    expect(stored.persona).toBe("terse");
    expect(runs.find((r) => r.dir === plain.view.result.runDir)!.persona).toBeUndefined();
    const detail = (await call(base, `/api/runs/${stored.id}`)).body;
    expect(detail.config.persona).toMatchObject({ id: "terse", traits: { terse: { words: 8 } } });
    const episode = (await call(base, `/api/runs/${stored.id}/episodes/${encodeURIComponent(terse.view.result.key)}`)).body;
    expect(episode.trajectory.persona).toBe("terse");
    // Composition and parameters are accepted as typed.
    const composed = await ask("terse:words=4+impatient:turns=3");
    expect(composed.view.persona).toBe("terse:words=4+impatient");
    expect(composed.reply.split(" ").length).toBeLessThanOrEqual(4);
  });

  it("takes `userrl ui --persona` (here a persona file) as the field's default, and no other file from the page", async () => {
    const dir = scratch("api-persona");
    const file = join(dir, "rushed.yaml");
    writeFileSync(file, "name: rushed\ntraits:\n  terse: { words: 5 }\n");
    const other = await startTestUi(dir, { persona: file });
    try {
      expect((await call(other.url, "/api/gyms")).body.persona).toBe(file);
      for (const persona of [file, undefined]) {
        const start = await call(other.url, "/api/play/agent", { json: { gym: "intention", player: "rob", ...(persona ? { persona } : {}) } });
        expect(start.body.persona).toBe("rushed");
        await call(other.url, `/api/play/${start.body.id}/end`, { json: {} });
      }
      const copy = join(dir, "copy.yaml");
      writeFileSync(copy, "name: copy\n");
      expect((await call(other.url, "/api/play/agent", { json: { gym: "intention", persona: copy } })).body.error).toMatch(/persona files are read only from the command line/);
    } finally {
      await other.close();
    }
  });

  it("answers a bad persona with a 400 and the parser's message, and refuses one in the user's seat", async () => {
    const bad = async (persona: string) => call(base, "/api/play/agent", { json: { gym: "intention", persona } });
    const unknown = await bad("grumpy");
    expect(unknown.status).toBe(400);
    expect(unknown.body.error).toMatch(/unknown persona "grumpy"; built-in: cooperative, terse/);
    expect((await bad("terse:words=lots")).body.error).toMatch(/^persona "terse:words=lots": words: /);
    expect((await bad("terse+")).body.error).toMatch(/empty part/);
    // A page cannot make the server read a file.
    const file = await bad("/etc/passwd.yaml");
    expect(file.status).toBe(400);
    expect(file.body.error).toMatch(/persona files are read only from the command line/);
    const seat = await call(base, "/api/play/user", { json: { gym: "intention", player: "dana", persona: "terse" } });
    expect(seat.status).toBe(400);
    expect(seat.body.error).toMatch(/you are the user/);
  });
});

/** Answer every question of a live user-seat episode with `reply` until it ends; returns the final view. */
async function playUserSeat(id: string, reply: (q: { prompt: string; choices?: string[] }) => string): Promise<any> {
  for (;;) {
    const v = await waitFor(base, id, (x) => x.waiting?.seat === "user" || x.result !== undefined || x.error !== undefined);
    if (v.result || v.error) return v;
    const r = await call(base, `/api/play/${id}/reply`, { json: { text: reply(v.waiting.question) } });
    expect(r.status).toBe(200);
  }
}

describe("playing the user's seat", () => {
  it("plays Intention as the user against the baseline, scores it with the gym's own judge, stores and rates it", async () => {
    const start = await call(base, "/api/play/user", { json: { gym: "intention", player: "dana", agent: "baseline", maxTurns: 3 } });
    expect(start.status).toBe(200);
    const first = await waitFor(base, start.body.id, (v) => v.waiting?.seat === "user");
    expect(first.waiting.question).toMatchObject({ role: "intention.user", turn: 1 });
    expect(first.brief).toMatch(/What you have in mind/);
    expect((await call(base, `/api/play/${start.body.id}/move`, { json: { choice: "action", content: "x" } })).status).toBe(409);
    const end = await playUserSeat(start.body.id, () => "Whatever you think is best, thanks.");
    expect(end.result).toMatchObject({ turns: 3 });
    // The gym's opening request (the person's seat asked it), then the person's three replies, then how it ended (the agent's last question was answered, so not repeated).
    expect(end.lines.filter((l: { from: string }) => l.from === "user")).toHaveLength(4);
    expect(end.lines.at(-1)).toMatchObject({ from: "system", text: "The episode ended (truncated)." });
    const rated = await call(base, `/api/play/${start.body.id}/rate`, { json: { satisfaction: 4, efficient: false, comment: "asked vague questions" } });
    expect(rated.body.rated).toBe(true);
    expect((await call(base, `/api/play/${start.body.id}/rate`, { json: { satisfaction: 9, efficient: true } })).status).toBe(400);
    const run = evaluateRun(end.result.runDir);
    expect(run.user).toBe("human:dana");
    expect(run.agent).toBe("baseline");
    const t = run.trajectories.get("intention")![0];
    expect(t.userSpec).toBe("human:dana");
    const replies = t.turns.flatMap((x) => x.roleCalls ?? []).filter((c) => c.role === "intention.user");
    expect(replies).toHaveLength(3);
    const ep = (await call(base, `/api/runs/${end.result.uiRun}/episodes/${end.result.key.split("/").map(encodeURIComponent).join("/")}`)).body;
    expect(ep.rating).toMatchObject({ satisfaction: 4, efficient: false, comment: "asked vague questions" });
    const report = (await call(base, "/api/real-users?agent=baseline")).body;
    expect(report.people).toContain("dana");
    const row = report.gyms.find((g: { gym: string }) => g.gym === "intention");
    expect(row.human).toMatchObject({ tasks: 1, episodes: 1 });
    expect(row.ratings).toMatchObject({ n: 1, satisfaction: 4, efficient: 0 });
  });

  it("shows the hidden task from the start, and each move the person was not asked about as it is played", async () => {
    const start = await call(base, "/api/play/user", { json: { gym: "telepathy", taskId: "Koala", player: "hal", agent: guesser, maxTurns: 4 } });
    expect(start.status).toBe(200);
    expect(start.body.brief).toMatch(/You are thinking of: Koala/);
    // The guess shows up while the episode goes on: the agent's question after it waits for the person.
    const asked = await waitFor(base, start.body.id, (v) => v.waiting?.seat === "user");
    expect(asked.result).toBeUndefined();
    const guess = asked.lines.findIndex((l: { text: string }) => l.text === "[answer] Penguin");
    expect(guess).toBeGreaterThan(0);
    expect(asked.lines[guess + 1].from).toBe("environment");
    expect(asked.lines.at(-1)).toEqual({ from: "agent", text: "The agent asks: Is it a bird?" });
    await call(base, `/api/play/${start.body.id}/reply`, { json: { text: "No" } });
    const end = await waitFor(base, start.body.id, (v) => v.result !== undefined);
    expect(end.result).toMatchObject({ endReason: "done", score: 1, turns: 3 });
    // The gym's opening (the person's seat asked it), each move once, in the order played, then the end.
    expect(end.lines.map((l: { from: string; text: string }) => (l.from === "environment" ? "environment" : `${l.from}: ${l.text}`)).slice(1)).toEqual([
      "agent: [answer] Penguin",
      "environment",
      "agent: The agent asks: Is it a bird?",
      "user: No",
      "agent: [answer] Koala",
      "environment",
      "system: The episode ended (done).",
    ]);
    expect(end.lines[0].from).toBe("user");
  });

  it("refuses the user's seat where a person cannot play it", async () => {
    const r = await call(base, "/api/play/user", { json: { gym: "function", player: "dana" } });
    expect(r.status).toBe(400);
    expect(r.body.error).toMatch(/cannot run with --user human:dana/);
    // The play page offers the user's seat only where a person can take it.
    const gyms = (await call(base, "/api/gyms")).body.gyms as { name: string; person: boolean }[];
    expect(gyms.find((g) => g.name === "function")?.person).toBe(false);
    expect(gyms.filter((g) => g.person).map((g) => g.name)).toEqual(expect.arrayContaining(["intention", "telepathy", "travel"]));
    // Turtle's judge is an LLM: without --judge no person can play it here.
    expect(gyms.find((g) => g.name === "turtle")?.person).toBe(false);
  });

  it("hands a study participant the fixed task list, one task after another, resumable", async () => {
    const tasks = (await call(base, "/api/gyms/telepathy/tasks")).body.tasks as string[];
    const study = (await call(base, "/api/studies", { json: { title: "telepathy pilot", agent: "baseline", items: tasks.slice(0, 2).map((taskId) => ({ gym: "telepathy", taskId })), maxTurns: 2 } })).body;
    for (const [i, person] of [[0, "fay"], [1, "fay"], [0, "gus"]] as const) {
      const v = (await call(base, `/api/studies/${study.id}/${person}/next`, { json: {} })).body;
      expect(v.taskId).toBe(tasks[i]);
      expect(v.study).toEqual({ id: study.id, participant: person });
      const end = await playUserSeat(v.id, (q) => q.choices?.[1] ?? "No");
      expect(end.result.key).toBe(`telepathy/${tasks[i]}/0`);
      // By the end the person has seen every move of the agent: asked of them, or shown as it was played.
      const stored: Trajectory = (await call(base, `/api/runs/${end.result.uiRun}/episodes/${end.result.key.split("/").map(encodeURIComponent).join("/")}`)).body.trajectory;
      const seen = end.lines.map((l: { text: string }) => l.text).join("\n");
      for (const t of stored.turns) expect(seen).toContain(t.action!.content);
    }
    expect((await call(base, `/api/studies/${study.id}/fay`)).body.next).toBe(-1);
    expect((await call(base, `/api/studies/${study.id}/fay/next`, { json: {} })).status).toBe(409);
    const gus = (await call(base, `/api/studies/${study.id}/gus`)).body;
    expect(gus.items.map((i: { done: boolean }) => i.done)).toEqual([true, false]);
    expect(evaluateRun(gus.runDir).user).toBe("human:gus");
  });
});

describe("input at the edge", () => {
  it("answers bad input with a clear one-line message, never a crash", async () => {
    const bad = [
      await call(base, "/api/play/agent", { method: "POST", body: "{not json", headers: { "content-type": "application/json" } }),
      await call(base, "/api/play/agent", { json: { gym: "telepathy", player: "../../etc" } }),
      await call(base, "/api/play/agent", { json: { gym: "telepathy", maxTurns: 1e9 } }),
      await call(base, `/api/runs/${await idOf(telepathy)}/episodes?limit=100000`),
      await call(base, "/api/play/user", { json: { gym: "intention", player: "bob", agent: "openai:gpt-4o@http://attacker.example/v1" } }),
      await call(base, "/api/play/agent", { json: { gym: "telepathy", user: "scripted:/etc/passwd" } }),
    ];
    for (const r of bad) {
      expect(r.status).toBe(400);
      expect(r.body.error).toMatch(/\S/);
      expect(r.body.error).not.toMatch(/\n/);
    }
    expect(bad[4].body.error).toMatch(/not allowed here/);
    expect((await call(base, "/api/play/agent", { json: { gym: "nope" } })).status).toBe(404);
    expect((await call(base, "/api/play/agent", { json: { gym: "telepathy", taskId: "no such task" } })).status).toBe(404);
    expect((await call(base, "/api/play/agent", { json: { gym: "turtle" } })).body.error).toMatch(/no offline user/);
    expect(await rawStatus("/api/play/agent", { "content-type": "application/json", "content-length": String(2 << 20) })).toBe(413);
    expect((await call(base, "/api/play/not-a-session")).status).toBe(404);
    expect((await call(base, "/api/nothing")).status).toBe(404);
  });

  it("refuses other origins and foreign Host names on a loopback bind", async () => {
    expect((await call(base, "/api/runs", { headers: { origin: "http://evil.example" } })).status).toBe(403);
    expect((await call(base, "/api/runs", { headers: { "sec-fetch-site": "cross-site" } })).status).toBe(403);
    expect((await call(base, "/api/runs", { headers: { origin: base } })).status).toBe(200);
    // fetch() cannot forge Host; a raw request can, as a DNS-rebinding page's browser would send it.
    expect(await rawStatus("/api/runs", { host: "evil.example:80" }, "GET")).toBe(403);
  });

  it("needs a token when bound beyond loopback, and takes it as a bearer header or once in the URL", async () => {
    await expect(startTestUi(root, { host: "0.0.0.0" })).rejects.toThrow(/needs a token/);
    const guarded = await startUi({ runDirs: [], roots: [root], out: root, host: "127.0.0.1", port: 0, allow: [], token: "s3cret-token" });
    try {
      expect((await call(guarded.url, "/api/runs")).status).toBe(401);
      expect((await call(guarded.url, "/api/runs", { headers: { authorization: "Bearer wrong-token" } })).status).toBe(401);
      expect((await call(guarded.url, "/api/runs", { headers: { authorization: "Bearer s3cret-token" } })).status).toBe(200);
      const res = await fetch(guarded.openUrl);
      const cookie = res.headers.get("set-cookie") ?? "";
      expect(cookie).toMatch(/HttpOnly/i);
      expect((await call(guarded.url, "/api/runs", { headers: { cookie: cookie.split(";")[0] } })).status).toBe(200);
    } finally {
      await guarded.close();
    }
  });
});

describe("studies", () => {
  it("creates a study and reports each participant's progress from their own run directory", async () => {
    const create = await call(base, "/api/studies", { json: { title: "pilot", agent: "baseline", items: [{ gym: "intention", taskId: "nonexistent" }] } });
    expect(create.status).toBe(404);
    const tasks = (await call(base, "/api/gyms/intention/tasks")).body.tasks as string[];
    const study = (await call(base, "/api/studies", { json: { title: "pilot", agent: "baseline", items: tasks.slice(0, 2).map((taskId) => ({ gym: "intention", taskId })) } })).body;
    expect(study.id).toMatch(/^[a-z0-9]{10}$/);
    expect((await call(base, "/api/studies")).body.studies.map((s: { id: string }) => s.id)).toContain(study.id);
    const p = (await call(base, `/api/studies/${study.id}/carol`)).body;
    expect(p.next).toBe(0);
    expect(p.items.map((i: { done: boolean }) => i.done)).toEqual([false, false]);
    expect((await call(base, `/api/studies/${study.id}/..%2F..`)).status).toBe(400);
    expect((await call(base, `/api/studies/zzzzzzzzzz/carol`)).status).toBe(404);
    expect(existsSync(join(root, "studies", `${study.id}.json`))).toBe(true);
    expect(existsSync(join(p.runDir, "run.sqlite"))).toBe(false);
  });
});
