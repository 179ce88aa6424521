import type { Command } from "commander";
import { z } from "zod";
import { readJsonFile } from "../../core/validate.js";
import { fakeReplySchema, startFakeServer } from "../../models/fake-server.js";
import { CliError, intOption } from "../util.js";

export function register(program: Command): void {
  program
    .command("fake-server")
    .description("serve a fake OpenAI-compatible endpoint (scripted replies, delays, errors) for demos and benchmarks")
    .option("--port <n>", "port (0 = any free port)", intOption("--port", 0), 8000)
    .option("--host <addr>", "address to bind", "127.0.0.1")
    .option("--latency <ms>", "delay before every reply", intOption("--latency", 0), 0)
    .option("--script <file.json>", "replies in order: [{text}|{tool:{arguments}}|{status,retryAfter}|{hang:true}|{malformed}]")
    .action(async (opts: { port: number; host: string; latency: number; script?: string }) => {
      let script;
      if (opts.script) {
        try {
          script = readJsonFile(opts.script, z.array(fakeReplySchema), "--script");
        } catch (err) {
          throw new CliError((err as Error).message);
        }
      }
      const server = await startFakeServer({ port: opts.port, host: opts.host, latencyMs: opts.latency, script });
      console.log(`fake OpenAI-compatible server on ${server.url} (model name: anything). Ctrl-C stops it.`);
      const stop = async () => {
        await server.close();
        console.log(`served ${server.stats.requests} requests on ${server.stats.connections} connections`);
        process.exit(0);
      };
      process.once("SIGINT", stop);
      process.once("SIGTERM", stop);
    });
}
