import { describe, expect, test } from "vitest";
import { z } from "zod";
import { askJson } from "../../src/models/ask-json.js";
import { extractObject, parseLiteral } from "../../src/models/lenient-json.js";
import { ScriptedModel } from "../../src/models/scripted.js";

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

describe("askJson", () => {
  const schema = z.object({ answer: z.enum(["Yes", "No", "Maybe"]) });
  test("a good reply needs one call", async () => {
    const m = new ScriptedModel(['{"answer": "Yes"}']);
    const r = await askJson(m, [{ role: "user", content: "q" }], { role: "host", schema, fallback: { answer: "Maybe" } });
    expect(r.value).toEqual({ answer: "Yes" });
    expect(r.fallback).toBeUndefined();
    expect(r.calls).toHaveLength(1);
  });
  test("one corrective retry, then success", async () => {
    const m = new ScriptedModel(["I think yes", '{"answer": "No"}']);
    const r = await askJson(m, [{ role: "user", content: "q" }], { role: "host", schema, fallback: { answer: "Maybe" } });
    expect(r.value).toEqual({ answer: "No" });
    expect(r.calls).toHaveLength(2);
    expect(m.requests[1].messages.at(-1)!.content).toMatch(/could not be used/);
  });
  test("off-contract twice: the fallback is used and recorded", async () => {
    const m = new ScriptedModel(['{"answer": "Absolutely"}', "still no"]);
    const r = await askJson(m, [{ role: "user", content: "q" }], { role: "host", schema, fallback: { answer: "Maybe" } });
    expect(r.value).toEqual({ answer: "Maybe" });
    expect(r.fallback).toMatch(/host/);
  });
  test("a model error goes straight to the fallback", async () => {
    const m = new ScriptedModel([{ error: "boom" }]);
    const r = await askJson(m, [{ role: "user", content: "q" }], { role: "judge", schema, fallback: { answer: "No" } });
    expect(r.value).toEqual({ answer: "No" });
    expect(r.fallback).toMatch(/boom/);
  });
});
