import { describe, expect, test } from "vitest";
import { observationText } from "../../src/core/observation.js";
import { functionGym } from "../../src/gyms/function/index.js";
import { evaluate, EvalError, parseExpr, pyPow } from "../../src/gyms/function/expr.js";
import { data, play, task } from "../helpers.js";

const WRONG = "Your answer is wrong. Please continue to try and reason about the hidden function and make your answer attempt later.";
const EVAL_ERR = "Error parsing numbers or calculating result. This may happen like when division by zero occurs. Please try again with different number combinations.";
const INVALID = "Invalid action format. Please use [action], [search], [answer], or [finish].";

test("splits come from the parquet ids: 460 train, 78 test, disjoint", async () => {
  const tasks = await functionGym.tasks(data);
  expect(tasks.filter((t) => t.split === "train")).toHaveLength(460);
  expect(tasks.filter((t) => t.split === "test")).toHaveLength(78);
  expect(new Set(tasks.map((t) => t.id)).size).toBe(538);
  expect(tasks.find((t) => t.split === "test")!.id).toBe("func-484");
});

test("every rule parses and reproduces its expected result on the test case", async () => {
  for (const t of await functionGym.tasks(data)) {
    const [a, b, c, d] = t.payload.testCase;
    const v = evaluate(parseExpr(t.payload.rule), { a, b, c, d });
    expect(Math.abs(v - t.payload.expected)).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(t.payload.expected)));
  }
});

describe("spec §1.8 test vectors (training config)", () => {
  test("V1 func-1", async () => {
    const t = await task(functionGym, "func-1");
    const r = await play(functionGym, t, ["[action] 1 1 1 1", "[action] 2 1 1 1", "[action] 1 2 3 4", "[search] test", "[answer] 200", "[answer] 225"]);
    expect(r.map((x) => x.feedback)).toEqual([
      "For numbers [1.0, 1.0, 1.0, 1.0], the result is 1.0.",
      "For numbers [2.0, 1.0, 1.0, 1.0], the result is 2.0.",
      "For numbers [1.0, 2.0, 3.0, 4.0], the result is 24.0.",
      "Test case: [3, 5, 5, 3]",
      WRONG,
      "Your answer is correct!",
    ]);
    expect(r.map((x) => x.reward)).toEqual([0, 0, 0, 0, 0, 1]);
    expect(r.map((x) => x.done)).toEqual([false, false, false, false, false, true]);
    expect(observationText(r[5].feedback, r[5].reward, "train").endsWith("\nReward: 1.0")).toBe(true);
  });

  test("V2 func-4", async () => {
    const t = await task(functionGym, "func-4");
    const r = await play(functionGym, t, [
      "[action] 0 1 1 1",
      "[action] 3 10 4 9",
      "[action] 1.5 2 3",
      "[search] Test",
      "[search] tests",
      "[answer]",
      "[answer] nine",
      "[answer] 9.0000001",
    ]);
    expect(r.map((x) => x.feedback)).toEqual([
      EVAL_ERR,
      "This is the test case and I cannot provide you with the calculation feedback.",
      "Please provide exactly four numbers.",
      "Test case: [3, 10, 4, 9]",
      "Search content should only be 'test' to get the test case.",
      "Answer is empty. Please provide a numerical answer.",
      "Invalid numerical answer. Please provide a valid number.",
      "Your answer is correct!",
    ]);
    expect(r.at(-1)).toMatchObject({ reward: 1, done: true, truncated: false });
  });

  test("V3 func-61 (reference behaviour: float probes accepted)", async () => {
    const t = await task(functionGym, "func-61");
    const r = await play(
      functionGym,
      t,
      ["[action] 2 2 2 2", "[action] 1 1000 1000 1", "[action] -2 0.5 3 1", "[action] 1 -2 0.5 1", "hello", "", "[finish] now"],
      { compat: "userrl-2025" },
    );
    expect(r.map((x) => x.feedback)).toEqual([
      "For numbers [2.0, 2.0, 2.0, 2.0], the result is 0.0.",
      EVAL_ERR,
      "For numbers [-2.0, 0.5, 3.0, 1.0], the result is 2.125.",
      EVAL_ERR,
      INVALID,
      INVALID,
      "Episode finished without correct answer. The expected result for the test case was: 1295.0",
    ]);
    expect(r.at(-1)).toMatchObject({ reward: 0, done: true });
  });

  test("formatting: half-to-even rounding and exponent notation", async () => {
    const t151 = await task(functionGym, "func-151");
    expect(t151.payload.rule).toBe("a * d / c * b");
    const [r1] = await play(functionGym, t151, ["[action] 1 1 32 1"]);
    expect(r1.feedback).toBe("For numbers [1.0, 1.0, 32.0, 1.0], the result is 0.0312.");
    const [r2] = await play(functionGym, await task(functionGym, "func-1"), ["[action] 10000000000 100000000 1 1"]);
    expect(r2.feedback).toBe("For numbers [10000000000.0, 100000000.0, 1.0, 1.0], the result is 1e+18.");
  });

  test("truncation at step 16, then the episode is complete", async () => {
    const t = await task(functionGym, "func-11");
    const r = await play(functionGym, t, Array.from({ length: 17 }, () => "[action] 1 2 3 4"));
    expect(r[14].truncated).toBe(false);
    expect(r[15]).toMatchObject({ truncated: true, done: false });
    expect(r[16].feedback).toMatch(/Episode is complete/);
    expect(r[16].done).toBe(true);
  });
});

describe("the test-case loophole", () => {
  test("reference behaviour: a probe a hair from the test case leaks the answer", async () => {
    const t = await task(functionGym, "func-1");
    const [r] = await play(functionGym, t, ["[action] 3.0000001 5 5 3"], { compat: "userrl-2025" });
    expect(r.feedback).toBe("For numbers [3.0000001, 5.0, 5.0, 3.0], the result is 225.0.");
  });
  test("fixed: only integer probes are evaluated", async () => {
    const t = await task(functionGym, "func-1");
    const r = await play(functionGym, t, ["[action] 3.0000001 5 5 3", "[action] 3.0 5 5 3", "[action] 4 5 5 3"]);
    expect(r[0].feedback).toMatch(/integers/);
    expect(r[1].feedback).toBe("This is the test case and I cannot provide you with the calculation feedback.");
    expect(r[2].feedback).toBe("For numbers [4.0, 5.0, 5.0, 3.0], the result is 300.0.");
  });
});

test("tags are case-sensitive; odd inputs are feedback, never exceptions", async () => {
  const t = await task(functionGym, "func-1");
  const huge = `[action] ${"9".repeat(100_000)}`;
  const r = await play(functionGym, t, ["[Action] 1 2 3 4", huge, "[answer] \u0000\u{1F600}", "[action] ١ ٢ ٣ ٤", "[answer] inf"]);
  expect(r[0].feedback).toBe(INVALID);
  expect(r[1].feedback).toBe("Please provide exactly four numbers.");
  expect(r[2].feedback).toBe("Invalid numerical answer. Please provide a valid number.");
  expect(r[3].feedback).toBe("Please provide exactly four numbers.");
  expect(r[4].feedback).toBe(WRONG);
});

describe("expression semantics follow Python floats", () => {
  test("** is right-associative and binds tighter than unary minus", () => {
    expect(evaluate(parseExpr("a ** b ** c"), { a: 2, b: 3, c: 2 })).toBe(512);
    expect(evaluate(parseExpr("-a ** 2"), { a: 3 })).toBe(-9);
  });
  test("errors as Python raises them", () => {
    expect(() => pyPow(0, -1)).toThrow(EvalError);
    expect(() => pyPow(-8, 1 / 3)).toThrow(EvalError);
    expect(() => pyPow(1000, 1000)).toThrow(EvalError);
    expect(() => evaluate(parseExpr("a / b"), { a: 1, b: 0 })).toThrow(EvalError);
    expect(pyPow(1, NaN)).toBe(1);
    expect(pyPow(-1, Infinity)).toBe(1);
    expect(evaluate(parseExpr("a * b - a * b"), { a: 1e200, b: 1e200 })).toBeNaN();
  });
});
