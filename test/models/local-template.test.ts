import { describe, expect, test } from "vitest";
import { INTERACT_TOOL } from "../../src/core/action.js";
import { ChatRenderer, toTemplateMessages } from "../../src/models/local/chat-template.js";
import type { ChatMessage } from "../../src/models/types.js";

const convo: ChatMessage[] = [
  { role: "system", content: "Play the game." },
  { role: "user", content: "Find f." },
  {
    role: "assistant",
    content: "",
    reasoning: "search first",
    toolCalls: [{ id: "c1", name: "interact_with_env", arguments: '{"choice":"search","content":"test"}' }],
  },
  { role: "tool", content: "Test case: [3, 5, 5, 3]", toolCallId: "c1" },
];

describe("toTemplateMessages", () => {
  test("assistant tool calls become Hugging Face tool_calls with parsed arguments; reasoning becomes reasoning_content", () => {
    const [, , a, t] = toTemplateMessages(convo);
    expect(a).toEqual({
      role: "assistant",
      content: "",
      reasoning_content: "search first",
      tool_calls: [{ type: "function", id: "c1", function: { name: "interact_with_env", arguments: { choice: "search", content: "test" } } }],
    });
    expect(t).toEqual({ role: "tool", content: "Test case: [3, 5, 5, 3]", tool_call_id: "c1" });
  });

  test("arguments that are not a JSON object stay a string", () => {
    const [m] = toTemplateMessages([{ role: "assistant", content: "", toolCalls: [{ id: "x", name: "f", arguments: "{oops" }] }]);
    expect(m.tool_calls?.[0].function.arguments).toBe("{oops");
  });
});

describe("the built-in ChatML template", () => {
  const r = new ChatRenderer(undefined);

  test("renders system + tools, Hermes tool calls, tool responses and the generation prompt", () => {
    expect(r.source).toBe("builtin");
    const text = r.render(convo, { tools: [INTERACT_TOOL] });
    expect(text.startsWith("<|im_start|>system\nPlay the game.\n\n# Tools\n")).toBe(true);
    expect(text).toContain(`<tools>\n${JSON.stringify(INTERACT_TOOL).replaceAll('":', '": ').replaceAll(',"', ', "')}\n</tools>`);
    expect(text).toContain(
      '<|im_start|>assistant\n<think>\nsearch first\n</think>\n\n<tool_call>\n{"name": "interact_with_env", "arguments": {"choice": "search", "content": "test"}}\n</tool_call><|im_end|>\n',
    );
    expect(text.endsWith("<|im_start|>user\n<tool_response>\nTest case: [3, 5, 5, 3]\n</tool_response><|im_end|>\n<|im_start|>assistant\n")).toBe(true);
  });

  test("reasoning of turns before the last user message is dropped; enable_thinking=false pre-fills an empty think block", () => {
    const text = r.render([...convo, { role: "user", content: "again" }], { enableThinking: false });
    expect(text).not.toContain("search first");
    expect(text.endsWith("<|im_start|>assistant\n<think>\n\n</think>\n\n")).toBe(true);
  });

  test("without tools the system prompt is a plain ChatML turn", () => {
    expect(r.render([{ role: "system", content: "S" }, { role: "user", content: "U" }])).toBe(
      "<|im_start|>system\nS<|im_end|>\n<|im_start|>user\nU<|im_end|>\n<|im_start|>assistant\n",
    );
  });
});

describe("GGUF templates", () => {
  test("the model's own template is used, with bos/eos tokens and enable_thinking passed through", () => {
    const r = new ChatRenderer("{{ bos_token }}{% for m in messages %}[{{ m.role }}]{{ m.content }}{% endfor %}{% if enable_thinking is false %}/no_think{% endif %}", {
      bos_token: "<s>",
    });
    expect(r.source).toBe("gguf");
    expect(r.render([{ role: "user", content: "hi" }], { enableThinking: false })).toBe("<s>[user]hi/no_think");
  });

  test("a template that does not parse falls back to ChatML with a warning", () => {
    const r = new ChatRenderer("{% for %}");
    expect(r.source).toBe("builtin");
    expect(r.warning).toMatch(/does not parse/);
    expect(r.render([{ role: "user", content: "U" }])).toBe("<|im_start|>user\nU<|im_end|>\n<|im_start|>assistant\n");
  });

  test("a template that fails while rendering falls back for that prompt", () => {
    const r = new ChatRenderer("{{ raise_exception('no tools here') }}");
    expect(r.render([{ role: "user", content: "U" }])).toBe("<|im_start|>user\nU<|im_end|>\n<|im_start|>assistant\n");
    expect(r.warning).toMatch(/failed/);
  });
});
