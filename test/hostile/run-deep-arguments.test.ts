/**
 * Issue 15 item 4: a model reply whose tool-call arguments are nested 5,000 deep (10 kB) once crashed the
 * whole `run` ("Maximum call stack size exceeded", nothing stored) and, on the server, was stored as a
 * finished episode. Now the nesting is measured in one pass before anything recurses over it: the turn
 * records a clear error and the episode ends like any unusable call; the run goes on.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, test } from "vitest";
import { cli } from "../cli-runner.js";
import { jsonDepth, MAX_ARGUMENT_DEPTH, parseToolCall } from "../../src/core/action.js";
import { extractObject } from "../../src/models/lenient-json.js";
import { RunStore } from "../../src/rollout/store.js";
import { MAX_MESSAGE_DEPTH } from "../../src/server/protocol.js";
import { rawSocket, serve, tmp } from "../server/helpers.js";

afterEach(() => {
  process.exitCode = 0;
});

const DEPTH = 5000;
const deepArray = `${"[".repeat(DEPTH)}${"]".repeat(DEPTH)}`;
const deepArguments = `{"choice": "action", "content": ${deepArray}}`;

describe("item 4: tool-call arguments nested 5,000 deep", () => {
  test("the parser refuses them with a clear error instead of overflowing the stack", () => {
    expect(jsonDepth(deepArguments)).toBe(DEPTH + 1);
    expect(jsonDepth('{"a": "[[[[[[[[", "b": [1, {"c": "\\"]]"}]}')).toBe(3); // brackets inside strings do not count
    expect(parseToolCall("interact_with_env", deepArguments)).toEqual({ ok: false, error: `tool arguments are nested deeper than ${MAX_ARGUMENT_DEPTH} levels` });
    expect(parseToolCall("interact_with_env", '{"choice": "action", "content": [[1, 2], {"a": [3]}]}')).toMatchObject({ ok: true, args: { content: "[[1, 2], {'a': [3]}]" } });
    // A simulated user's or judge's reply nested as deep is no object at all, not a crash later when stored.
    expect(extractObject(`Sure: {"response": ${deepArray}}`)).toBeUndefined();
  });

  test("a run survives it: the episode ends with the error on its turn, the other episodes run", async () => {
    const dir = mkdtempSync(join(tmpdir(), "deep-"));
    const script = join(dir, "agent.json");
    writeFileSync(script, JSON.stringify([{ toolCalls: [{ name: "interact_with_env", arguments: deepArguments }] }, "No tool this time."]));
    const out = join(dir, "run");
    const r = await cli("run", "function", "--agent", `scripted:${script}`, "--limit", "2", "--concurrency", "1", "--out", out, "--json");
    expect(r.err).not.toMatch(/call stack/);
    expect(JSON.parse(r.out)).toMatchObject({ episodes: 2, errors: 0 });
    const store = RunStore.open(out);
    const rows = store.episodes();
    store.close();
    expect(rows.map((e) => e.endReason).sort()).toEqual(["invalid_tool_call", "no_tool_call"]);
    const store2 = RunStore.open(out);
    const deep = [...store2.trajectories()].find((t) => t.endReason === "invalid_tool_call")!;
    store2.close();
    expect(deep.turns[0].error).toBe(`tool arguments are nested deeper than ${MAX_ARGUMENT_DEPTH} levels`);
  });

  test("on the server: as a JSON string the call ends the episode as unusable; as an object the frame is refused and nothing is stored", async () => {
    const out = tmp();
    const s = await serve({ out });
    const c = await rawSocket(s.url);
    const step = (args: string) => c.send(`{"type": "step", "data": {"tool_call": {"name": "interact_with_env", "arguments": ${args}}}}`);
    c.send({ type: "reset", data: { gym: "function", task_id: "func-1" } });
    expect((await c.next()).type).toBe("observation");
    step(deepArguments);
    const refused = await c.next();
    expect(refused).toMatchObject({ type: "error", data: { code: "INVALID_JSON", message: `Invalid JSON: nested deeper than ${MAX_MESSAGE_DEPTH} levels` } });
    c.send({ type: "state" });
    expect((await c.next()).data).toMatchObject({ done: false, step_count: 0 }); // the episode goes on
    step(JSON.stringify(deepArguments));
    const reply = await c.next();
    expect(reply.type).toBe("observation");
    expect(reply.data.observation).toMatchObject({ end_reason: "invalid_tool_call", error: `tool arguments are nested deeper than ${MAX_ARGUMENT_DEPTH} levels` });
    c.ws.close();
    await c.closed;
    await s.close({ drainMs: 0 });
    const store = RunStore.open(out);
    const rows = store.episodes();
    store.close();
    expect(rows).toMatchObject([{ endReason: "invalid_tool_call", turns: 1 }]);
  });
});
