import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test, vi } from "vitest";
import { resolveAgent, resolveUser } from "../../src/agents/resolve.js";
import { answerType, parseResults, rankCandidates, timeClause } from "../../src/gyms/search/baseline.js";
import { searchGym } from "../../src/gyms/search/index.js";
import { DEFAULT_RUN, runBatch } from "../../src/rollout/runner.js";
import { RunStore } from "../../src/rollout/store.js";
import { main } from "../../src/cli/main.js";
import { ctx, runTestEpisode, task } from "../helpers.js";
import { StaticProvider } from "./search-fakes.js";

/** Run the CLI in-process and return what it printed (its JSON output goes to stdout). */
async function cliOut(...args: string[]): Promise<string> {
  let out = "";
  const spy = vi.spyOn(process.stdout, "write").mockImplementation((c: string | Uint8Array) => ((out += String(c)), true));
  try {
    await main(["node", "userrl", ...args]);
  } finally {
    spy.mockRestore();
  }
  return out;
}

const CORPUS = "bm25:test/fixtures/search-corpus.jsonl";
/** The questions whose facts the fixture corpus holds. */
const COVERED = [1, 2, 4, 5, 6, 7, 15, 19, 31, 34, 37, 46, 52, 54].map((n) => `Bamboogle-${n}`);

describe("reading results", () => {
  test("answer types from the wording", () => {
    expect(answerType("When did the last king from Britain's House of Hanover die?")).toBe("date");
    expect(answerType("In what year was the tallest lighthouse completed?")).toBe("year");
    expect(answerType("How many people died in the second most powerful earthquake ever recorded?")).toBe("number");
    expect(answerType("What is the highest elevation (in meters) of the second largest island in the world?")).toBe("number");
    expect(answerType("Can people who have celiac eat camel meat?")).toBe("yesno");
    expect(answerType("What is the capital of the second largest state in the US by area?")).toBe("entity");
  });

  test("time clauses of two-hop questions", () => {
    expect(timeClause("Who was president of the United States in the year that Citibank was founded?")?.clause).toBe("Citibank was founded");
    expect(timeClause("Who was president of the U.S. when superconductivity was discovered?")?.clause).toBe("superconductivity was discovered");
    expect(timeClause("When was the tallest tower completed?")).toBeUndefined();
  });

  test("parses the gym's feedback, with or without a reward line", () => {
    const fb = "Search results for 'q':\n1. Box\n- Answer: 42\n2. T\n- Snippet: a\nb\nReward: 0.0";
    expect(parseResults(fb)).toEqual([
      { rank: 1, title: "Box", text: "42", isAnswer: true },
      { rank: 2, title: "T", text: "a\nb", isAnswer: false },
    ]);
    expect(parseResults("Search failed: Serper answered HTTP 500")).toEqual([]);
    expect(parseResults("Search results for 'q':\nNo results found.")).toEqual([]);
  });

  test("candidates: the answer box wins; dates near the asked-about event beat others", () => {
    const q = "When did William IV die?";
    const entries = parseResults(
      "Search results for 'x':\n1. William IV\n- Snippet: William IV was born on 21 August 1765. He died on 20 June 1837 at Windsor Castle.\n2. Other\n- Snippet: Nothing on 1 May 1900.",
    );
    expect(rankCandidates(q, entries)[0].text).toBe("20 June 1837");
    const boxed = parseResults("Search results for 'x':\n1. Death\n- Answer: June 20, 1837\n2. William IV\n- Snippet: born on 21 August 1765.");
    expect(rankCandidates(q, boxed)[0].text).toBe("June 20, 1837");
  });

  test("candidates: names, not words of the question; titles give the canonical form", () => {
    const entries = parseResults(
      "Search results for 'x':\n1. David Dinkins - Wikipedia\n- Snippet: David Norman Dinkins was the first African American mayor of New York City.\n2. Tom Bradley\n- Snippet: He was mayor of Los Angeles.",
    );
    const ranked = rankCandidates("Who was the first African American mayor of New York City?", entries).map((c) => c.text);
    expect(ranked[0]).toBe("David Dinkins");
    expect(ranked).not.toContain("New York City");
    expect(ranked).not.toContain("African American");
  });
});

describe("episodes", () => {
  test("searches the question, then answers from the results", async () => {
    const t = await task(searchGym, "Bamboogle-1");
    const provider = new StaticProvider([
      { title: "Citibank", snippet: "Citibank was founded in 1812 as the City Bank of New York." },
      { title: "James Madison", snippet: "James Madison was the fourth president of the United States from 1809 to 1817." },
      { title: "John Adams", snippet: "John Adams was the second president of the United States from 1797 to 1801." },
    ]);
    const traj = await runTestEpisode(searchGym, t, ctx({ options: { search: provider } }));
    expect(traj.turns.map((x) => `${x.action?.choice}:${x.action?.content}`)).toEqual([`search:${t.payload.question}`, "answer:James Madison"]);
    expect(traj.totalReward).toBe(1);
    expect(traj.endReason).toBe("done");
  });

  test("gives up cleanly when search fails", async () => {
    const t = await task(searchGym, "Bamboogle-2");
    const provider = new StaticProvider(() => {
      throw new Error("down");
    });
    const traj = await runTestEpisode(searchGym, t, ctx({ options: { search: provider } }));
    expect(traj.turns.map((x) => x.action?.choice)).toEqual(["search", "finish"]);
    expect(traj.turns[0].feedback).toBe("Search failed: down");
    expect(traj.turns[0].fallbacks?.[0]).toMatch(/failed: down/);
  });
});

describe("offline end to end over the BM25 fixture corpus", () => {
  test("runBatch: the baseline answers most covered questions", async () => {
    const store = new RunStore(mkdtempSync(join(tmpdir(), "search-run-")));
    const agent = await resolveAgent("baseline");
    const user = await resolveUser(undefined);
    try {
      const s = await runBatch(
        { ...DEFAULT_RUN, gyms: ["search"], agent: "baseline", user: "offline", taskIds: COVERED, gymOptions: { search: { search: CORPUS } } },
        { store, agent, user },
      );
      expect(s.episodes).toBe(COVERED.length);
      expect(s.errors).toBe(0);
      expect(s.meanReward).toBeGreaterThanOrEqual(0.8);
    } finally {
      store.close();
    }
  });

  test("CLI: gyms lists search; run works offline with USERRL_SEARCH", async () => {
    const search = JSON.parse(await cliOut("gyms", "--json")).gyms.find((x: { name: string }) => x.name === "search");
    expect(search).toMatchObject({ splits: { train: 0, test: 125 }, metric: "binary", choices: ["search", "answer"] });
    const saved = process.env.USERRL_SEARCH;
    process.env.USERRL_SEARCH = CORPUS;
    try {
      const out = mkdtempSync(join(tmpdir(), "search-cli-"));
      const r = await cliOut("run", "search", "--agent", "baseline", "--user", "offline", "--task", "Bamboogle-2", "Bamboogle-6", "--out", out, "--json");
      expect(JSON.parse(r)).toMatchObject({ episodes: 2, errors: 0, meanReward: 1 });
    } finally {
      if (saved === undefined) delete process.env.USERRL_SEARCH;
      else process.env.USERRL_SEARCH = saved;
    }
  });
});
