import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import type { Command } from "commander";
import { PERSONA_HELP } from "../../personas/help.js";
import { RUN_DB } from "../../rollout/store.js";
import { startUi } from "../../ui/app.js";
import { intOption } from "../util.js";

interface UiFlags {
  runs?: string;
  out?: string;
  port: number;
  host: string;
  token?: string;
  allow: string[];
  judge?: string;
  persona?: string;
}

export function register(program: Command): void {
  program
    .command("ui")
    .description("the web app: browse runs and episodes, compare runs, play either seat, run a real-user study")
    .argument("[runDirs...]", "run directories, or folders holding run directories")
    .option("--runs <folder>", "a folder searched for run directories (also where played episodes and studies go)")
    .option("--out <folder>", "where episodes played in the browser and studies are written (default: --runs, else ./runs)")
    .option("--port <n>", "port (0 = any free port)", intOption("--port", 0), 8300)
    .option("--host <addr>", "address to bind; anything but loopback needs --token", "127.0.0.1")
    .option("--token <token>", "require this token (default: $USERRL_UI_TOKEN); the printed URL carries it")
    .option("--allow <spec...>", "model specs the browser may choose as agent or user (baseline, gym agents and offline always can)", [])
    .option("--judge <spec>", "judge model for user-seat episodes of gyms whose judge is an LLM role")
    .option("--persona <spec>", `default of the Play page's persona field — the ${PERSONA_HELP}`)
    .action(async (dirs: string[], o: UiFlags) => {
      // A named folder that is not itself a run is searched for runs, like --runs.
      const runDirs = dirs.filter((d) => existsSync(join(d, RUN_DB)));
      const roots = [...dirs.filter((d) => !runDirs.includes(d)), ...(o.runs ? [o.runs] : [])];
      const out = resolve(o.out ?? o.runs ?? roots[0] ?? "runs");
      const ui = await startUi({ runDirs, roots, out, host: o.host, port: o.port, token: o.token ?? process.env.USERRL_UI_TOKEN, allow: o.allow, judge: o.judge, persona: o.persona });
      console.log(`userrl ui on ${ui.openUrl} — played episodes and studies go to ${out}. Ctrl-C stops.`);
      await new Promise<void>((done) => {
        const stop = () => {
          process.off("SIGINT", stop);
          process.off("SIGTERM", stop);
          void ui.close().then(done);
        };
        process.on("SIGINT", stop);
        process.on("SIGTERM", stop);
      });
    });
}
