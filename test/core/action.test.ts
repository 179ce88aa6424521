import { describe, expect, test } from "vitest";
import { actionFromToolArgs, INTERACT_TOOL, parseBracketAction, parseToolCall } from "../../src/core/action.js";

describe("one parser for both action forms", () => {
  test("bracket form", () => {
    expect(parseBracketAction("  [action] 1 2 3 4 ")).toEqual({ choice: "action", content: "1 2 3 4", raw: "  [action] 1 2 3 4 ", exactTag: true });
    expect(parseBracketAction("[Finish]")).toMatchObject({ choice: "finish", exactTag: false });
    expect(parseBracketAction("hello")).toMatchObject({ choice: null, content: "hello" });
    expect(parseBracketAction("")).toMatchObject({ choice: null, content: "" });
  });
  test("tool arguments build the reference's env string", () => {
    expect(actionFromToolArgs({ choice: "action", content: "Is it red?" }).raw).toBe("[action] Is it red?");
    expect(actionFromToolArgs({ choice: "answer", content: "[answer] 5" }).raw).toBe("[answer] 5");
    expect(actionFromToolArgs({ choice: "finish", content: "whatever" }).raw).toBe("[finish]");
    expect(actionFromToolArgs({ choice: "shout", content: "hi there" })).toMatchObject({ raw: "hi there", choice: null });
    // Non-string content goes through Python str(): a dict repr, as the reference does.
    expect(actionFromToolArgs({ choice: "answer", content: { name: "x", arguments: { a: 1 } } }).raw).toBe("[answer] {'name': 'x', 'arguments': {'a': 1}}");
  });
  test("unusable tool calls are reported, not thrown", () => {
    expect(parseToolCall("interact_with_env", '{"choice":"search","content":"test"}')).toMatchObject({ ok: true, action: { choice: "search" } });
    expect(parseToolCall("other", "{}")).toMatchObject({ ok: false });
    expect(parseToolCall("interact_with_env", "{bad")).toMatchObject({ ok: false, error: expect.stringMatching(/JSON/) });
    expect(parseToolCall("interact_with_env", "[1]")).toMatchObject({ ok: false });
    expect(parseToolCall("interact_with_env", '{"choice":"action"}')).toMatchObject({ ok: false });
  });
  test("the tool schema requires choice and content", () => {
    const params = INTERACT_TOOL.function.parameters as { required: string[]; properties: { choice: { enum: string[] } } };
    expect(params.required).toEqual(["choice", "content"]);
    expect(params.properties.choice.enum).toEqual(["action", "answer", "search"]);
  });
});
