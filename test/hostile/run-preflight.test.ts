/**
 * Issue 15 items 9 and 11, and the exit codes: configuration errors stop a run before its first episode
 * with one line and exit 1 (nothing is played, nothing stored); unchecked numbers in model specs and
 * flags are refused; a run whose episodes failed exits 1, and `--json` keeps the same codes.
 */
import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, test } from "vitest";
import { cli } from "../cli-runner.js";
import { creditBodySchema } from "../../src/server/credit.js";
import { createModel } from "../../src/models/spec.js";
import { http, serve } from "../server/helpers.js";

afterEach(() => {
  process.exitCode = 0;
});

const tmp = (p: string) => mkdtempSync(join(tmpdir(), p));

async function refused(gyms: string[], options: string[], pattern: RegExp): Promise<void> {
  const out = tmp("preflight-");
  const r = await cli("run", ...gyms, "--agent", "baseline", "--user", "offline", "--limit", "1", "--out", out, "--json", ...options);
  expect(r.code, r.err).toBe(1);
  expect(r.out).toBe("");
  expect(r.err.trim().split("\n")).toHaveLength(1);
  expect(r.err).toMatch(pattern);
  expect(existsSync(join(out, "run.sqlite"))).toBe(false); // stopped before the store was even created
}

describe("item 9: gym options are checked before the first episode", () => {
  test("invalid Tau and Search values", async () => {
    await refused(["tau"], ["--gym-option", "tau.customerTurns=-5"], /invalid tau option "customerTurns": .*>=\s*1/);
    await refused(["tau"], ["--gym-option", "tau.showPolicy=maybe"], /invalid tau option "showPolicy": .*boolean/);
    await refused(["search"], ["--gym-option", "search.search=bm25:test/fixtures/search-corpus.jsonl", "--gym-option", "search.maxResults=1000000"], /invalid search option "maxResults": .*<=\s*20/);
  });

  test("an unknown search provider and a missing BM25 corpus", async () => {
    await refused(["search"], ["--gym-option", "search.search=bing:x"], /"bing:x" is not a search spec/);
    await refused(["search"], ["--gym-option", "search.search=bm25:/nonexistent/corpus.jsonl"], /no BM25 corpus file \/nonexistent\/corpus\.jsonl/);
  });

  test("unknown keys and unknown gyms are not ignored", async () => {
    await refused(["function"], ["--gym-option", "function.foo=bar"], /unknown function option "foo" \(function takes no options\)/);
    await refused(["function"], ["--gym-option", "tau.showPolicy=true", "--gym-option", "tau.custmerTurns=3"], /unknown tau option "custmerTurns" \(tau takes showPolicy, customerTurns, /);
    await refused(["function"], ["--gym-option", "nogym.x=1"], /gym option for unknown gym "nogym"/);
  });

  test("the server checks them at start too", async () => {
    await expect(serve({ gymOptions: { function: { foo: "bar" } } })).rejects.toThrow(/unknown function option "foo"/);
    await expect(serve({ gymOptions: { tau: { customerTurns: -5 } } })).rejects.toThrow(/invalid tau option "customerTurns"/);
  });

  test("valid options still run", async () => {
    const r = await cli("run", "tau", "--agent", "oracle", "--user", "offline", "--limit", "1", "--out", tmp("preflight-ok-"), "--json", "--gym-option", "tau.showPolicy=true", "tau.customerTurns=5");
    expect(r.code, r.err).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({ episodes: 1, errors: 0 });
  });
});

describe("exit codes: 0 all finished, 1 errors or failed episodes, 130 interrupted", () => {
  test("a run whose every episode failed exits 1, with and without --json", async () => {
    const agent = "openai:x@http://127.0.0.1:9/v1?retries=0";
    const json = await cli("run", "function", "--agent", agent, "--limit", "2", "--out", tmp("exit-"), "--json");
    expect(json.code).toBe(1);
    expect(JSON.parse(json.out)).toMatchObject({ episodes: 0, errors: 2 });
    const text = await cli("run", "function", "--agent", agent, "--limit", "2", "--out", tmp("exit-"));
    expect(text.code).toBe(1);
    const evaluated = await cli("eval", "function", "--agent", agent, "--limit", "2", "--out", tmp("exit-"), "--json");
    expect(evaluated.code).toBe(1);
    expect(JSON.parse(evaluated.out)).toMatchObject({ errors: 2 });
  });

  test("a run where everything finished exits 0", async () => {
    const r = await cli("run", "function", "--agent", "baseline", "--limit", "2", "--out", tmp("exit-ok-"), "--json");
    expect(r.code).toBe(0);
  });
});

describe("item 11: unchecked values", () => {
  test("model-spec numbers out of range are refused with what they mean", async () => {
    const cases: [string, RegExp][] = [
      ["timeout=-1", /option timeout=-1 must be a number > 0 .*\(seconds per attempt\)/],
      ["retries=-3", /option retries=-3 must be an integer ≥ 0 .*\(attempts after the first\)/],
      ["max_tokens=-5", /option max_tokens=-5 must be an integer ≥ 1 \(tokens per reply\)/],
      ["temperature=-1", /option temperature=-1 must be a number ≥ 0 and ≤ 2/],
      ["concurrency=0", /option concurrency=0 must be an integer ≥ 1 \(requests in flight at once to this endpoint\)/],
      ["retries=1.5", /must be an integer/],
      ["timeout=", /must be a number/],
    ];
    for (const [option, pattern] of cases) {
      await expect(createModel(`openai:m@http://127.0.0.1:9/v1?${option}`, { cache: null })).rejects.toThrow(pattern);
    }
    await expect(createModel("openai:m@http://127.0.0.1:9/v1?timeout=30&retries=0&max_tokens=5&temperature=0.7", { cache: null })).resolves.toBeDefined();
  });

  test("the CLI says the same for a spec and refuses --temperature -1", async () => {
    const spec = await cli("run", "function", "--agent", "openai:m@http://127.0.0.1:9/v1?concurrency=0", "--limit", "1", "--out", tmp("spec-"));
    expect(spec.code).toBe(1);
    expect(spec.err).toMatch(/concurrency=0 must be an integer ≥ 1 \(requests in flight/);
    expect(spec.err).not.toMatch(/semaphore/);
    const temp = await cli("run", "function", "--agent", "baseline", "--temperature", "-1", "--out", tmp("spec-"));
    expect(temp.code).not.toBe(0);
    expect(temp.err).toMatch(/--temperature must be a number between 0 and 2 \(got -1\)/);
  });

  test("/credit bodies: overflowing rewards and absurd gamma are refused with a message", () => {
    const body = (rewards: number[], options?: Record<string, unknown>) => ({ groups: [{ id: 1, trajectories: [{ id: "a", rewards }, { id: "b", rewards: [0] }] }], options });
    for (const r of [1e308, -1e308]) {
      const parsed = creditBodySchema.safeParse(body([r, r]));
      expect(parsed.success).toBe(false);
      expect(parsed.error?.issues[0].message).toMatch(/a reward must be between -1000000000 and 1000000000/);
    }
    const gamma = creditBodySchema.safeParse(body([1], { gamma: 1e308 }));
    expect(gamma.success).toBe(false);
    expect(gamma.error?.issues[0].message).toMatch(/gamma must be between 0 and 1/);
    expect(creditBodySchema.safeParse(body([1, 0.5], { gamma: 0.8 })).success).toBe(true);
  });

  test("POST /credit answers them as a validation error (HTTP 422, like every invalid body) with the message", async () => {
    const s = await serve();
    const post = (json: unknown) => http(s.url, "/credit", { json });
    const groups = (rewards: number[]) => [{ id: 1, trajectories: [{ id: "a", rewards }, { id: "b", rewards: [0] }] }];
    const big = await post({ groups: groups([1e308, 1e308]) });
    expect(big).toMatchObject({ status: 422, body: { code: "VALIDATION_ERROR", detail: expect.stringMatching(/a reward must be between -1000000000 and 1000000000/) } });
    const gamma = await post({ groups: groups([1]), options: { gamma: 1e308 } });
    expect(gamma).toMatchObject({ status: 422, body: { code: "VALIDATION_ERROR", detail: expect.stringMatching(/gamma must be between 0 and 1/) } });
    const fine = await post({ groups: groups([1, 0.5]), options: { gamma: 0.8 } });
    expect(fine.status).toBe(200);
  });
});
