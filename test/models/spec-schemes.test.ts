import { expect, test } from "vitest";
import { createModel, registerModelScheme } from "../../src/models/spec.js";
import type { ChatOptions } from "../../src/models/types.js";

/** A scheme whose model records the options each attempt receives. */
const seen: ChatOptions[] = [];
registerModelScheme(
  "recorder",
  (parsed, spec) => ({
    spec,
    chat: async (_messages, options = {}) => {
      seen.push({ ...options, signal: undefined });
      return { text: parsed.params.reply ?? "ok", toolCalls: [], finishReason: "stop", usage: { promptTokens: 1, completionTokens: 1 }, latencyMs: 0 };
    },
  }),
  { params: ["reply"], timeoutMs: 60_000 },
);

test("a scheme declares its own spec options and a timeout that is also the floor under per-call timeouts", async () => {
  const m = await createModel("recorder:x?reply=hi", { cache: null });
  expect((await m.chat([{ role: "user", content: "q" }])).text).toBe("hi");
  await m.chat([{ role: "user", content: "q" }], { timeoutMs: 10_000 }); // a role's short HTTP timeout
  await m.chat([{ role: "user", content: "q" }], { timeoutMs: 90_000 });
  expect(seen.map((o) => o.timeoutMs)).toEqual([60_000, 60_000, 90_000]);
  await expect(createModel("recorder:x?threads=2")).rejects.toThrow(/unknown option "threads"/);
});

test("a spec's own timeout replaces the scheme's", async () => {
  seen.length = 0;
  const m = await createModel("recorder:x?timeout=5", { cache: null });
  await m.chat([{ role: "user", content: "q" }]);
  await m.chat([{ role: "user", content: "q" }], { timeoutMs: 10_000 });
  await m.chat([{ role: "user", content: "q" }], { timeoutMs: 1_000 });
  expect(seen.map((o) => o.timeoutMs)).toEqual([5_000, 10_000, 5_000]);
});

test("unknown schemes list the lazily loaded ones", async () => {
  await expect(createModel("nosuch:x")).rejects.toThrow(/unknown model scheme "nosuch" \(known: openai, scripted, local/);
});
