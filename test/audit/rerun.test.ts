import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { RunStore } from "../../src/rollout/store.js";
import { cli } from "../cli-runner.js";

const tmp = () => mkdtempSync(join(tmpdir(), "userrl-rerun-"));

describe("--rerun-sim-faults", () => {
  test("flagged episodes are played again as new samples in their place, recorded and reported; never twice", async () => {
    const dir = tmp();
    // An agent that keeps asking "Is it a fruit?", and a host that answers the run's first question wrongly
    // ("No", for a kiwi), then rightly.
    const agent = join(dir, "agent.json");
    writeFileSync(agent, JSON.stringify({ replies: [{ tool: { choice: "action", content: "Is it a fruit?" } }], loop: true }));
    const script = join(dir, "host.json");
    writeFileSync(script, JSON.stringify({ replies: ['{"response": "No"}', ...Array(50).fill('{"response": "Yes"}')] }));
    const out = join(dir, "run");
    const args = ["run", "telepathy", "--agent", `scripted:${agent}`, "--user", `scripted:${script}`, "--task", "Kiwi", "--out", out, "--max-turns", "3", "--rerun-sim-faults"];
    const first = await cli(...args, "--json");
    expect(first.code).toBe(0);
    const s = JSON.parse(first.out);
    expect(s.simFaultReruns).toEqual({ flagged: 1, rerun: 1, stillFaulty: 0 });
    const store = RunStore.open(out);
    const [t] = [...store.trajectories()];
    expect(t.meta?.simFaultRerun).toEqual({ findings: 1, kinds: ["contradiction"] });
    const row = store.db.prepare("SELECT episode_key, findings, replaced FROM audit_reruns").get() as { episode_key: string; findings: string; replaced: string };
    expect(row.episode_key).toBe("telepathy/Kiwi/0");
    expect(JSON.parse(row.findings)[0].kind).toBe("contradiction");
    expect(JSON.parse(row.replaced).turns[0].feedback).toBe("No");
    store.close();
    const audit = JSON.parse((await cli("audit", out, "--json")).out);
    expect(audit.gyms.telepathy.reruns).toBe(1);
    expect(audit.faulty).toBe(0);
    // Resuming re-runs nothing more.
    const again = JSON.parse((await cli(...args, "--json")).out);
    expect(again.simFaultReruns).toMatchObject({ rerun: 0 });
  });

  test("userrl eval and the library's evaluate() re-run flagged episodes and report it; eval scores the re-run", async () => {
    const dir = tmp();
    const agent = join(dir, "agent.json");
    writeFileSync(agent, JSON.stringify({ replies: [{ tool: { choice: "action", content: "Is it a fruit?" } }], loop: true }));
    const script = join(dir, "host.json");
    writeFileSync(script, JSON.stringify({ replies: ['{"response": "No"}', ...Array(50).fill('{"response": "Yes"}')] }));
    const common = ["telepathy", "--agent", `scripted:${agent}`, "--user", `scripted:${script}`, "--task", "Kiwi", "--max-turns", "3", "--rerun-sim-faults"];
    const text = await cli("eval", ...common, "--out", join(dir, "eval"));
    expect(text.code).toBe(0);
    expect(text.out).toMatch(/simulator audit: 1 episode\(s\) flagged; 1 re-run as new samples in their place\./);
    const { evaluate } = await import("../../src/eval/evaluate.js");
    const result = await evaluate({ gyms: "telepathy", agent: `scripted:${agent}`, user: `scripted:${script}`, taskIds: ["Kiwi"], maxTurns: 3, out: join(dir, "lib"), rerunSimFaults: true });
    expect(result.simFaultReruns).toEqual({ flagged: 1, rerun: 1, stillFaulty: 0 });
    expect(result.episodes).toBe(1);
  });
});
