import type { Command } from "commander";
import { DataStore } from "../../data/store.js";
import { GYMS } from "../../gyms/index.js";
import { printJson, table } from "../util.js";

export function register(program: Command): void {
  program
    .command("gyms")
    .description("list the gyms with their task counts per split")
    .option("--json", "machine-readable output")
    .action(async (opts: { json?: boolean }) => {
      const data = DataStore.default();
      const rows = [];
      for (const g of GYMS.values()) {
        const tasks = await g.tasks(data);
        rows.push({
          name: g.name,
          title: g.title,
          summary: g.summary,
          metric: g.metric,
          choices: g.choices,
          offline: g.offline,
          offlineUser: g.offlineUser,
          agents: ["baseline", ...Object.keys(g.agents ?? {})],
          splits: { train: tasks.filter((t) => t.split === "train").length, test: tasks.filter((t) => t.split === "test").length },
        });
      }
      if (opts.json) return printJson({ gyms: rows });
      console.log(
        table(
          ["gym", "train", "test", "metric", "offline user", "summary"],
          rows.map((r) => [r.name, r.splits.train, r.splits.test, r.metric, r.offline ? "yes" : "no", r.summary]),
        ),
      );
    });
}
