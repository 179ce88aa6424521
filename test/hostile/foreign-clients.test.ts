/**
 * Items 14 and 15 of issue 15: what real clients nobody here wrote tripped over. OpenEnv: a reset without
 * `gym` on a multi-gym server failed (also upstream's `{"seed": 42, "episode_id": …}`), a client's
 * `episode_id` was not echoed, `/metadata` failed OpenEnv's metadata model. MCP: the error said "send reset"
 * where the tool is `start_episode`; structured results came without an output schema.
 */
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { expect, test } from "vitest";
import { z } from "zod";
import { serve } from "../server/helpers.js";
import { httpFrom, rpcFrom, socketFrom } from "./helpers.js";

/** OpenEnv's `EnvironmentMetadata`: these fields and no other. */
const openEnvMetadata = z.strictObject({
  name: z.string(),
  description: z.string(),
  readme_content: z.string().nullable().optional(),
  version: z.string().nullable().optional(),
  author: z.string().nullable().optional(),
  documentation_url: z.string().nullable().optional(),
});

test("item 14: a reset without gym on a multi-gym server plays the default gym, over WebSocket and HTTP", async () => {
  const s = await serve({ gyms: ["function", "telepathy"] });
  const c = socketFrom("127.0.0.1", s.url);
  await c.open;
  const r = await c.ask({ type: "reset", data: { seed: 42, episode_id: "my-episode-42" } });
  expect(r.type).toBe("observation");
  expect(r.data.observation).toMatchObject({ gym: "function", split: "train", episode_id: "my-episode-42" });
  expect(r.data.observation.server_episode_id).not.toBe("my-episode-42");
  expect((await c.ask({ type: "state" })).data).toMatchObject({ episode_id: "my-episode-42" });
  const step = await c.ask({ type: "step", data: { choice: "search", content: "test" } });
  expect(step.data.observation.episode_id).toBe("my-episode-42");
  // The same seed samples the same task.
  const again = await c.ask({ type: "reset", data: { seed: 42 } });
  expect(again.data.observation.task_id).toBe(r.data.observation.task_id);
  expect(again.data.observation.episode_id).toBe(again.data.observation.server_episode_id);
  c.ws.close();
  const http = await httpFrom("127.0.0.1", s.url, "/reset", { json: { seed: 42, episode_id: "e1" } });
  expect(http).toMatchObject({ status: 200, body: { observation: { gym: "function", episode_id: "e1" } } });

  const t = await serve({ gyms: ["function", "telepathy"], defaultGym: "telepathy" });
  expect((await httpFrom("127.0.0.1", t.url, "/reset", { json: {} })).body.observation.gym).toBe("telepathy");
  expect((await httpFrom("127.0.0.1", t.url, "/metadata")).body.readme_content).toMatch(/without `gym` plays \*\*telepathy\*\*/);
  await expect(serve({ gyms: ["function"], defaultGym: "turtle" })).rejects.toThrow(/--default-gym "turtle" is not served/);
});

test("item 14: /metadata is OpenEnv's metadata model, nothing more", async () => {
  const s = await serve({ gyms: ["function", "telepathy"] });
  const meta = (await httpFrom("127.0.0.1", s.url, "/metadata")).body;
  expect(openEnvMetadata.safeParse(meta).success, JSON.stringify(Object.keys(meta))).toBe(true);
  expect(meta.readme_content).toMatch(/\*\*function\*\*[^]*\*\*telepathy\*\*/);
});

test("item 15: MCP refusals name start_episode; every tool declares its output schema", async () => {
  const s = await serve();
  const listed = (await rpcFrom("127.0.0.1", s.url, "tools/list")).result.tools as { name: string; outputSchema?: { type: string } }[];
  for (const t of listed) expect(t.outputSchema, t.name).toMatchObject({ type: "object" });

  const client = new Client({ name: "hostile", version: "1" });
  await client.connect(new StreamableHTTPClientTransport(new URL(`${s.url}/mcp`)));
  const tools = (await client.listTools()).tools;
  expect(tools.map((t) => [t.name, t.outputSchema?.type])).toEqual(listed.map((t) => [t.name, "object"]));
  const early = (await client.callTool({ name: "interact_with_env", arguments: { choice: "search", content: "test" } })) as { isError?: boolean; content: { text: string }[] };
  expect(early.isError).toBe(true);
  expect(early.content[0].text).toMatch(/call start_episode first/);
  expect(early.content[0].text).not.toMatch(/reset/);
  // The SDK client checks every structured result against the declared schema.
  for (const [name, args] of [
    ["list_gyms", {}],
    ["list_tasks", { limit: 2 }],
    ["start_episode", { task_id: "func-1" }],
    ["interact_with_env", { choice: "search", content: "test" }],
    ["episode_state", {}],
    ["interact_with_env", { choice: "finish", content: "" }],
  ] as const) {
    const r = (await client.callTool({ name, arguments: args })) as { isError?: boolean; structuredContent?: unknown };
    expect(r.isError, name).toBe(false);
    expect(r.structuredContent, name).toBeTypeOf("object");
  }
  const ended = (await client.callTool({ name: "interact_with_env", arguments: { choice: "search", content: "test" } })) as { content: { text: string }[] };
  expect(ended.content[0].text).toMatch(/has ended \(done\); call start_episode to start another/);
  await client.close();
});
