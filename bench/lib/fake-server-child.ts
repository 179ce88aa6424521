/**
 * Runs the fake OpenAI-compatible server in its own process (so its CPU is not counted as ours).
 * Usage: node fake-server-child.js <latencyMs> <turnsPerEpisode>. Prints the base URL on stdout.
 * The replies play a FunctionGym episode: probes, then a (wrong) answer on the last turn.
 */
import { startFakeServer } from "../../src/models/fake-server.js";

const latencyMs = Number(process.argv[2] ?? 0);
const turns = Number(process.argv[3] ?? 10);
const server = await startFakeServer({
  latencyMs,
  keepRequests: 0,
  responder: ({ body }) => {
    const messages = (body.messages as { role: string }[] | undefined) ?? [];
    if (!Array.isArray(body.tools)) return { text: "OK" };
    const done = messages.filter((m) => m.role === "tool").length;
    return done + 1 >= turns
      ? { tool: { arguments: { choice: "answer", content: "0" } } }
      : { tool: { arguments: { choice: "action", content: `${done + 1} 2 3 4` } } };
  },
});
process.stdout.write(`${server.url}\n`);
process.on("SIGTERM", () => void server.close().then(() => process.exit(0)));
