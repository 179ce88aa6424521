import type { Command } from "commander";
import { exportJsonl, exportJsonlFile } from "../../rollout/export.js";
import { RunStore } from "../../rollout/store.js";

export function register(program: Command): void {
  program
    .command("export")
    .description("export a run's finished trajectories as JSON Lines")
    .argument("<runDir>", "a run directory (made by `userrl run` or `userrl eval`)")
    .option("--gym <name>", "only this gym")
    .option("-o, --output <file>", "write to a file instead of stdout")
    .action(async (runDir: string, opts: { gym?: string; output?: string }) => {
      const store = RunStore.open(runDir);
      try {
        if (opts.output) {
          const n = await exportJsonlFile(store, opts.output, { gym: opts.gym });
          console.error(`${n} trajectories written to ${opts.output}`);
        } else await exportJsonl(store, process.stdout, { gym: opts.gym });
      } finally {
        store.close();
      }
    });
}
