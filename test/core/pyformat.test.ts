import { describe, expect, test } from "vitest";
import { pyFloat, pyFixed, pyFloatList, pyIntList, pyJsonDumps, pyParseFloat, pyPercent, pyRepr, pyRound } from "../../src/core/pyformat.js";

describe("pyFloat (Python repr of float)", () => {
  test.each([
    [1, "1.0"],
    [225, "225.0"],
    [0.1, "0.1"],
    [0.30000000000000004, "0.30000000000000004"],
    [-16, "-16.0"],
    [1e18, "1e+18"],
    [1e16, "1e+16"],
    [1e15, "1000000000000000.0"],
    [1.5e16, "1.5e+16"],
    [0.0001, "0.0001"],
    [0.00001, "1e-05"],
    [1.234e-7, "1.234e-07"],
    [0.0312, "0.0312"],
    [2.125, "2.125"],
    [0.9999999999999999, "0.9999999999999999"],
    [-0, "-0.0"],
    [0, "0.0"],
    [Infinity, "inf"],
    [-Infinity, "-inf"],
    [NaN, "nan"],
    [123456789012345.6, "123456789012345.6"],
  ])("%s -> %s", (x, s) => expect(pyFloat(x)).toBe(s));
});

describe("pyRound (exact, ties to even)", () => {
  test("the spec's tie: round(0.03125, 4) == 0.0312", () => expect(pyRound(0.03125, 4)).toBe(0.0312));
  test("JS toFixed would round the other way", () => expect((0.03125).toFixed(4)).toBe("0.0313"));
  test.each([
    [2.5, 0, 2],
    [3.5, 0, 4],
    [-2.5, 0, -2],
    [0.125, 2, 0.12],
    [0.375, 2, 0.38],
    [2.675, 2, 2.67], // 2.675 is really 2.67499999…
    [1.0000000001, 4, 1],
    [225.00000001, 4, 225],
    [1 / 3, 4, 0.3333],
    [2 / 3, 6, 0.666667],
    [1e20 + 0.5, 4, 1e20 + 0.5],
    [-0.00001, 4, -0],
  ])("round(%s, %s) = %s", (x, n, r) => expect(Object.is(pyRound(x, n), r) || pyRound(x, n) === r).toBe(true));
  test("keeps inf and nan", () => {
    expect(pyRound(Infinity, 4)).toBe(Infinity);
    expect(pyRound(NaN, 4)).toBeNaN();
  });
});

test("lists, percent, fixed", () => {
  expect(pyFloatList([1, 2, 3, 4])).toBe("[1.0, 2.0, 3.0, 4.0]");
  expect(pyIntList([3, 5, 5, 3])).toBe("[3, 5, 5, 3]");
  expect(pyPercent(0)).toBe("0.00%");
  expect(pyPercent(0.25)).toBe("25.00%");
  expect(pyFixed(0.125, 2)).toBe("0.12");
});

test("pyJsonDumps matches json.dumps defaults", () => {
  expect(pyJsonDumps({ name: "interact_with_env", arguments: { choice: "action", content: "1 2" } })).toBe(
    '{"name": "interact_with_env", "arguments": {"choice": "action", "content": "1 2"}}',
  );
  expect(pyJsonDumps({ a: "é✈", b: [1, 2.5, null, true] })).toBe('{"a": "\\u00e9\\u2708", "b": [1, 2.5, null, true]}');
  expect(pyJsonDumps({ a: "é" }, { ensureAscii: false })).toBe('{"a": "é"}');
  expect(pyJsonDumps({ x: 1 }, { floatKeys: new Set(["x"]) })).toBe('{"x": 1.0}');
  expect(pyJsonDumps({ a: [1], b: {} }, { indent: 4 })).toBe('{\n    "a": [\n        1\n    ],\n    "b": {}\n}');
  expect(pyJsonDumps("😀")).toBe('"\\ud83d\\ude00"');
});

test("pyRepr is Python str() of dicts", () => {
  expect(pyRepr({ name: "get_user", arguments: { id: 1, ok: true, x: null } })).toBe("{'name': 'get_user', 'arguments': {'id': 1, 'ok': True, 'x': None}}");
  expect(pyRepr("it's")).toBe(`"it's"`);
  expect(pyRepr([1.5, "a"])).toBe("[1.5, 'a']");
});

test("pyParseFloat accepts what Python float() accepts", () => {
  for (const [s, v] of [
    ["225", 225],
    ["2.25e2", 225],
    ["+5", 5],
    ["1_000", 1000],
    [" 9.0000001 ", 9.0000001],
    [".5", 0.5],
    ["5.", 5],
    ["-inf", -Infinity],
    ["Infinity", Infinity],
  ] as const)
    expect(pyParseFloat(s)).toBe(v);
  expect(pyParseFloat("nan")).toBeNaN();
  for (const bad of ["$225", "225,", "nine", "", "1__0", "_1", "1e", "0x10"]) expect(pyParseFloat(bad)).toBeUndefined();
});
