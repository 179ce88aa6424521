import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { resolveAgent, resolveUser } from "../../src/agents/resolve.js";
import { IMPATIENT_EXIT } from "../../src/personas/episode.js";
import { parsePersona } from "../../src/personas/spec.js";
import { DEFAULT_RUN, runBatch, type RunConfig } from "../../src/rollout/runner.js";
import { RunStore } from "../../src/rollout/store.js";
import { cli } from "../cli-runner.js";

const tmp = () => mkdtempSync(join(tmpdir(), "userrl-persona-run-"));

async function batch(dir: string, c: RunConfig) {
  const store = new RunStore(dir);
  const agent = await resolveAgent(c.agent, { models: { cache: null } });
  const user = await resolveUser(c.user);
  try {
    return await runBatch(c, { store, agent, user });
  } finally {
    store.close();
  }
}

function stored(dir: string) {
  const store = RunStore.open(dir);
  try {
    return { config: store.run()!.config, trajectories: [...store.trajectories()] };
  } finally {
    store.close();
  }
}

const config = (over: Partial<RunConfig>): RunConfig => ({ ...DEFAULT_RUN, gyms: ["telepathy"], agent: "baseline", user: "offline", limit: 3, concurrency: 1, ...over });

describe("personas in runs", () => {
  test("an impatient user leaves after N turns that earn nothing; recorded on trajectories and in settings", async () => {
    const dir = tmp();
    await batch(dir, config({ persona: parsePersona("impatient:turns=2") }));
    const { config: c, trajectories } = stored(dir);
    expect((c.persona as { id: string }).id).toBe("impatient:turns=2");
    expect(trajectories).toHaveLength(3);
    for (const t of trajectories) {
      expect(t.persona).toBe("impatient:turns=2");
      const last = t.turns.at(-1)!;
      if (t.totalReward > 0) continue; // solved before running out of patience
      expect(t.turns).toHaveLength(2);
      expect(last.done).toBe(true);
      expect(last.feedback.endsWith(IMPATIENT_EXIT)).toBe(true);
      expect(last.info.personaEnd).toBe("impatient");
    }
  });

  test("the cooperative persona is today's behaviour byte for byte, and records nothing", async () => {
    const a = tmp();
    const b = tmp();
    await batch(a, config({}));
    await batch(b, config({ persona: parsePersona("cooperative") }));
    const strip = (dir: string) =>
      stored(dir).trajectories.map((t) => ({
        task: t.taskId,
        end: t.endReason,
        total: t.totalReward,
        turns: t.turns.map(({ action, feedback, reward, done, truncated, info }) => ({ action, feedback, reward, done, truncated, info })),
      }));
    expect(strip(b)).toEqual(strip(a));
    expect(stored(b).config.persona).toBeUndefined();
    expect(stored(b).trajectories[0].persona).toBeUndefined();
  });

  test("resuming with another persona is refused, in both directions", async () => {
    const dir = tmp();
    await batch(dir, config({ limit: 1, persona: parsePersona("terse") }));
    await expect(batch(dir, config({ limit: 1 }))).rejects.toThrow(/persona "terse", not "cooperative"/);
    const plain = tmp();
    await batch(plain, config({ limit: 1 }));
    await expect(batch(plain, config({ limit: 1, persona: parsePersona("vague") }))).rejects.toThrow(/persona "cooperative", not "vague"/);
    await expect(batch(dir, config({ limit: 2, persona: parsePersona("terse") }))).resolves.toMatchObject({ episodes: 2 });
  });

  test("--persona on the CLI: a bad spec is one clear line, a good one is recorded", async () => {
    const dir = tmp();
    const bad = await cli("run", "telepathy", "--agent", "baseline", "--user", "offline", "--limit", "1", "--out", dir, "--persona", "grumpy");
    expect(bad.code).not.toBe(0);
    expect(bad.err).toMatch(/unknown persona "grumpy"/);
    const good = await cli("run", "telepathy", "--agent", "baseline", "--user", "offline", "--limit", "1", "--out", dir, "--persona", "vague+impatient:turns=4", "--json");
    expect(good.code).toBe(0);
    expect(stored(dir).trajectories[0].persona).toBe("vague+impatient:turns=4");
  });
});
