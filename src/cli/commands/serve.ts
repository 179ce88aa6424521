import type { Command } from "commander";
import { runStdioServer, startServer } from "../../server/app.js";
import { DEFAULT_SERVER_OPTIONS as D, type ServerOptions } from "../../server/options.js";
import { PERSONA_HELP } from "../../personas/help.js";
import { personaOption } from "../persona-option.js";
import { choiceOption, intOption, parseGymOptions } from "../util.js";

// Moved to the shared CLI helpers (`userrl run` and `eval` take --gym-option too); re-exported for callers.
export { parseGymOptions };

/** The flags as commander parses them: the server's settings, with times in seconds and gym options unparsed. */
type ServeOptions = Omit<
  ServerOptions,
  "idleTimeoutMs" | "stepTimeoutMs" | "drainTimeoutMs" | "gymOptions" | "production" | "rememberEpisodes" | "maxPendingPerSession" | "allowOrigins" | "persona"
> & {
  allowOrigin?: string[];
  persona?: string;
  idleTimeout: number;
  stepTimeout: number;
  drainTimeout: number;
  production?: boolean;
  gymOption?: string[];
  stdio?: boolean;
};

export function register(program: Command): void {
  program
    .command("serve")
    .description("serve the gyms to remote agents and trainers: OpenEnv WebSocket/HTTP protocol, MCP, and the credit service")
    .option("--gyms <names...>", "gyms to serve, or all (every gym that can run as configured)", ["all"])
    .option("--port <n>", "port (0 = any free port)", intOption("--port", 0), D.port)
    .option("--host <addr>", "address to bind (0.0.0.0 to accept other machines, e.g. in a container)", D.host)
    .option("--max-sessions <n>", "live sessions at once (≥ the trainer's concurrent episodes)", intOption("--max-sessions", 1), D.maxSessions)
    .option("--max-sessions-per-client <n>", "sessions without a connection (JSON-RPC, MCP over HTTP) one client may hold (default: half of --max-sessions)", intOption("--max-sessions-per-client", 1))
    .option("--allow-origin <origins...>", "browser origins allowed besides loopback pages, e.g. https://app.example.org (* = any)")
    .option("--default-gym <name>", "the gym of a reset that names none (default: the first served gym)")
    .option("--token <token>", "require `Authorization: Bearer <token>` (default: $USERRL_SERVER_TOKEN, else none)")
    .option("--idle-timeout <s>", "close sessions silent this long, in seconds (0 = never)", intOption("--idle-timeout", 0), D.idleTimeoutMs / 1000)
    .option("--step-timeout <s>", "time limit of one reset or step, simulated users included, in seconds", intOption("--step-timeout", 1), D.stepTimeoutMs / 1000)
    .option("--user <spec>", "simulated user: offline | a model spec for every user/judge role", D.user)
    .option("--judge <spec>", "a different model spec for judge roles")
    .option("--mode <mode>", "train: observations end with `Reward: x` | eval: bare feedback", choiceOption("--mode", ["train", "eval"] as const), D.mode)
    .option("--compat <c>", "fixed | userrl-2025", choiceOption("--compat", ["fixed", "userrl-2025"] as const), D.compat)
    .option("--max-turns <n>", "agent turns per episode", intOption("--max-turns", 1), D.maxTurns)
    .option("--prompts <p>", "own | dataset", choiceOption("--prompts", ["own", "dataset"] as const), D.prompts)
    .option("--out <dir>", "run directory: every served episode is stored there")
    .option("--production", "OpenEnv production mode: no stateless /reset, /step, /state")
    .option("--max-message-bytes <n>", "largest WebSocket frame or HTTP body", intOption("--max-message-bytes", 1024), D.maxMessageBytes)
    .option("--max-episodes-per-second <n>", "episodes one connection may start a second (twice as many at once)", intOption("--max-episodes-per-second", 1), D.maxEpisodesPerSecond)
    .option("--max-reply-bytes-per-second <n>", "reply bytes one connection may be sent a second (twice as many at once)", intOption("--max-reply-bytes-per-second", 1024), D.maxReplyBytesPerSecond)
    .option("--drain-timeout <s>", "on shutdown, seconds live episodes may go on", intOption("--drain-timeout", 0), D.drainTimeoutMs / 1000)
    .option("--gym-option <gym.key=value...>", "gym-specific options, e.g. search.search=bm25:corpus.jsonl")
    .option("--persona <spec>", PERSONA_HELP)
    .option("--stdio", "serve MCP over stdin/stdout instead (one session; for MCP clients that launch the server)")
    .action(async (o: ServeOptions) => {
      const options: Partial<ServerOptions> = {
        gyms: o.gyms,
        host: o.host,
        port: o.port,
        maxSessions: o.maxSessions,
        maxSessionsPerClient: o.maxSessionsPerClient,
        allowOrigins: o.allowOrigin ?? [],
        defaultGym: o.defaultGym,
        token: o.token ?? process.env.USERRL_SERVER_TOKEN ?? undefined,
        idleTimeoutMs: o.idleTimeout * 1000,
        stepTimeoutMs: o.stepTimeout * 1000,
        user: o.user,
        judge: o.judge,
        mode: o.mode,
        compat: o.compat,
        maxTurns: o.maxTurns,
        prompts: o.prompts,
        out: o.out,
        production: o.production === true,
        maxMessageBytes: o.maxMessageBytes,
        maxEpisodesPerSecond: o.maxEpisodesPerSecond,
        maxReplyBytesPerSecond: o.maxReplyBytesPerSecond,
        drainTimeoutMs: o.drainTimeout * 1000,
        gymOptions: parseGymOptions(o.gymOption),
        ...personaOption(o.persona),
      };
      if (o.stdio) return runStdioServer(options);
      const server = await startServer(options);
      console.log(
        `userrl server on ${server.url} — gyms: ${server.catalog.names().join(", ")}; WebSocket ${server.url.replace(/^http/, "ws")}/ws, ` +
          `MCP ${server.url}/mcp, credit ${server.url}/credit${server.options.token ? "; bearer token required" : ""}` +
          `${server.recorder.storeDir ? `; episodes stored in ${server.recorder.storeDir}` : ""}. Ctrl-C drains and stops.`,
      );
      await new Promise<void>((resolve) => {
        let stops = 0;
        const stop = () => {
          stops++;
          if (stops > 1) process.exit(130);
          process.stderr.write(`\nDraining ${server.registry.liveEpisodes()} live episode(s) (up to ${o.drainTimeout} s; Ctrl-C again quits now)…\n`);
          void server.close().then(() => {
            process.off("SIGINT", stop);
            process.off("SIGTERM", stop);
            resolve();
          });
        };
        process.on("SIGINT", stop);
        process.on("SIGTERM", stop);
      });
    });
}
