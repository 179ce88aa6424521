import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cli } from "../cli-runner.js";
import { evaluate, type AgentStart, type EvalEvent } from "../../src/eval/evaluate.js";

const tmp = () => mkdtempSync(join(tmpdir(), "userrl-evaluate-"));

/** The summary without what differs between two runs of the same evaluation (paths, wall time). */
function stable(x: Record<string, unknown>): unknown {
  return JSON.parse(JSON.stringify(x, (k, v) => (k === "runDir" || k === "report" || k === "seconds" ? undefined : v)));
}

describe("evaluate()", () => {
  it("returns what `userrl eval --json` prints, writes report.html and summary.json, and reports progress as events", async () => {
    const out = tmp();
    const events: EvalEvent[] = [];
    const result = await evaluate({ gyms: ["function"], agent: "baseline", limit: 3, out, onEvent: (e) => events.push(e) });
    const viaCli = await cli("eval", "function", "--agent", "baseline", "--limit", "3", "--out", tmp(), "--json");
    expect(viaCli.code).toBe(0);
    expect(stable(result as never)).toEqual(stable(JSON.parse(viaCli.out)));
    expect(Object.keys(result)).toEqual(Object.keys(JSON.parse(viaCli.out)));
    expect(result).toMatchObject({ agent: "baseline", user: "offline", mode: "eval", episodes: 3, pending: 0, errors: 0, aborted: false });
    expect(result.gyms.function.score).toBe(1);
    expect(result.report).toBe(join(out, "report.html"));
    expect(readFileSync(result.report, "utf8")).toContain("<html");
    expect(JSON.parse(readFileSync(join(out, "summary.json"), "utf8")).microAverage).toBe(1);
    const episodes = events.filter((e) => e.type === "episode");
    expect(episodes.map((e) => e.type === "episode" && [e.gym, e.score, e.endReason])).toEqual([
      ["function", 1, "done"],
      ["function", 1, "done"],
      ["function", 1, "done"],
    ]);
    const progress = events.filter((e) => e.type === "progress");
    expect(progress[0]).toEqual({ type: "progress", progress: expect.objectContaining({ total: 3, finished: 0 }) });
    expect(progress.at(-1)).toEqual({ type: "progress", progress: expect.objectContaining({ total: 3, finished: 3 }) });
  });

  it("resumes: a second call with more tasks plays only the new ones; another agent in the same directory is refused", async () => {
    const out = tmp();
    const starts: string[] = [];
    const agent: AgentStart = (task, { gym, seed }) => {
      starts.push(task.id);
      return gym.baseline(task, seed);
    };
    const first = await evaluate({ gyms: "function", agent, agentName: "my-agent", limit: 2, out });
    expect(first.agent).toBe("my-agent");
    expect(starts).toHaveLength(2 + 1); // one start is the preflight's
    const second = await evaluate({ gyms: "function", agent, agentName: "my-agent", limit: 4, out });
    expect(second.episodes).toBe(4);
    expect(starts).toHaveLength(3 + 1 + 2);
    await expect(evaluate({ gyms: "function", agent: "baseline", limit: 4, out })).rejects.toThrow(/holds a run with agent="my-agent"/);
  });

  it("a signal stops it cleanly: finished episodes are kept, and the same call resumes", async () => {
    const out = tmp();
    const controller = new AbortController();
    const stopped = await evaluate({
      gyms: "function",
      agent: "baseline",
      limit: 4,
      concurrency: 1,
      out,
      signal: controller.signal,
      onEvent: (e) => e.type === "episode" && controller.abort(),
    });
    expect(stopped.aborted).toBe(true);
    expect(stopped.episodes).toBe(1);
    expect(stopped.pending).toBe(3);
    // A setting given as undefined keeps its default, as an absent flag does (else the resume would be refused).
    const resumed = await evaluate({ gyms: "function", agent: "baseline", limit: 4, out, split: undefined, samples: undefined });
    expect(resumed).toMatchObject({ aborted: false, episodes: 4, pending: 0 });
  });

  it("a timer's signal stops a run whose agent and gym never wait on I/O (the loop is not starved)", async () => {
    const started = Date.now();
    const r = await evaluate({ gyms: "function", agent: "baseline", samples: 10, concurrency: 1, out: tmp(), signal: AbortSignal.timeout(200) });
    expect(r.aborted).toBe(true);
    expect(r.pending).toBeGreaterThan(0);
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it("userrl eval (a thin caller of evaluate) stops at Ctrl-C: --json says aborted, exit code 130", async () => {
    const out = tmp();
    const evaluated = cli("eval", "function", "--agent", "baseline", "--samples", "50", "--concurrency", "1", "--out", out, "--json");
    while (!existsSync(join(out, "run.sqlite"))) await new Promise((r) => setTimeout(r, 20));
    process.emit("SIGINT");
    const r = await evaluated;
    expect(r.code).toBe(130);
    expect(r.err).toContain("Stopping: finished episodes are kept");
    expect(JSON.parse(r.out)).toMatchObject({ aborted: true, errors: 0 });
    expect(JSON.parse(r.out).pending).toBeGreaterThan(0);
  });

  it("bad options get one clear line, before anything runs", async () => {
    const out = tmp();
    await expect(evaluate({ gyms: "function", agent: "baseline", out, samples: 0 })).rejects.toThrow(/^evaluate: samples: /);
    await expect(evaluate({ gyms: [], agent: "baseline", out })).rejects.toThrow(/^evaluate: gyms: /);
    await expect(evaluate({ gyms: "function", agent: "baseline", out, stepTimeoutMs: 0 })).rejects.toThrow(/^evaluate: stepTimeoutMs: /);
    await expect(evaluate({ gyms: "function", agent: 42 as never, out })).rejects.toThrow(/agent must be a spec string/);
    await expect(evaluate({ gyms: "function", agent: { spec: "", start: () => ({}) } as never, out })).rejects.toThrow(/agent must be/);
    await expect(evaluate({ gyms: "nope", agent: "baseline", out })).rejects.toThrow(/nope/);
  });
});
