import { describe, expect, test } from "vitest";
import { extractObject, parseLiteral } from "../../src/models/lenient-json.js";

describe("extractObject", () => {
  test.each([
    ['{"answer": "Yes"}', { answer: "Yes" }],
    ['```json\n{"answer": "No"}\n```', { answer: "No" }],
    ['```JSON\n{"answer": "No"}', { answer: "No" }],
    ["Sure! Here it is: {'answer': 'Maybe', 'ok': True, 'n': None} Hope that helps.", { answer: "Maybe", ok: true, n: null }],
    ['{"a": 1, "b": [1, 2,],}', { a: 1, b: [1, 2] }],
    ['prefix {"outer": {"inner": "}"}} suffix', { outer: { inner: "}" } }],
  ])("%s", (text, obj) => expect(extractObject(text)).toEqual(obj));
  test("nothing usable", () => {
    expect(extractObject("no json here")).toBeUndefined();
    expect(extractObject("")).toBeUndefined();
    expect(extractObject("[1, 2]")).toBeUndefined();
  });
  test("python literals", () => {
    expect(parseLiteral("{'a': (1, 2), \"b\": 'it\\'s'}")).toEqual({ a: [1, 2], b: "it's" });
    expect(() => parseLiteral("{'a': }")).toThrow();
  });
});
