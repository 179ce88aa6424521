import { describe, expect, test } from "vitest";
import { actionFromToolArgs, cutAction, INTERACT_TOOL, MAX_ACTION_CHARS, parseBracketAction, parseToolCall, pyStrip } from "../../src/core/action.js";

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

describe("Python strip and the action cut", () => {
  test("pyStrip removes exactly the whitespace Python's str.strip() removes, from both ends only", () => {
    const python = (x: string) => x.replace(/^[\s\u001c-\u001f\u0085]+|[\s\u001c-\u001f\u0085]+$/gu, "");
    const samples = ["", "   ", " a b ", "\u00a0\u2003x\u3000", "\u001c\u001fy\u0085", "\ufeffz\ufeff", "\u200bq\u200b", "\ud800 \udfff", " \t\n a \r\n", "😀 x 😀"];
    for (const x of samples) expect(pyStrip(x), JSON.stringify(x)).toBe(python(x));
    const inner = `x${" \t\n".repeat(100_000)}y`; // a regex `\s+$` retries from every inner space
    expect(pyStrip(` ${inner} `)).toBe(inner);
  });

  test("cutAction keeps a short action as is and cuts a long one to the limit the rollout delivers", () => {
    const short = parseBracketAction("[action] hello");
    expect(cutAction(short)).toBe(short);
    const long = cutAction(parseBracketAction(`[answer] ${"x".repeat(MAX_ACTION_CHARS)}`));
    expect(long.raw).toHaveLength(MAX_ACTION_CHARS);
    expect(long.content).toHaveLength(MAX_ACTION_CHARS);
    expect(long.choice).toBe("answer");
  });
});
