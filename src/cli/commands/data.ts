import type { Command } from "commander";
import { DataStore } from "../../data/store.js";
import { printJson, table } from "../util.js";
import { registerGymDataCommands } from "./gym-data.js";

export function register(program: Command): void {
  const data = program.command("data").description("the public datasets: where they are, and downloading them");
  data
    .command("status")
    .description("show where each data file comes from (USERRL_DATA_DIR, the cache, or missing)")
    .option("--verify", "check every file's sha256 against the manifest")
    .option("--json", "machine-readable output")
    .action(async (opts: { verify?: boolean; json?: boolean }) => {
      const store = DataStore.default();
      const status = await store.status(opts.verify);
      const missing = status.filter((s) => s.source === "missing").length;
      const bad = status.filter((s) => s.sha256Ok === false || (s.source !== "missing" && s.size !== s.expectedSize)).length;
      if (opts.json) {
        printJson({ dataDir: store.dataDir ?? null, cacheDir: store.cacheDir, missing, mismatched: bad, files: status });
      } else {
        console.log(`data dir: ${store.dataDir ?? "(USERRL_DATA_DIR not set)"}\ncache:    ${store.cacheDir}\n`);
        console.log(
          table(
            ["file", "source", "bytes", "check"],
            status.map((s) => [
              s.key,
              s.source,
              s.size,
              s.source === "missing" ? "" : s.size !== s.expectedSize ? "SIZE MISMATCH" : s.sha256Ok === undefined ? "size ok" : s.sha256Ok ? "sha256 ok" : "SHA256 MISMATCH",
            ]),
          ),
        );
        console.log(`\n${status.length - missing}/${status.length} present${bad ? `, ${bad} mismatched` : ""}.${missing ? " Run `userrl data fetch` to download the rest." : ""}`);
      }
      if (bad) process.exitCode = 1;
    });
  data
    .command("fetch")
    .description("download every missing data file into the cache (pinned commits, sha256-verified)")
    .action(async () => {
      const store = new DataStore({
        onProgress: (key, got, total) => {
          if (process.stderr.isTTY) process.stderr.write(`\r${key}: ${got}${total ? `/${total}` : ""} bytes   `);
        },
      });
      if (store.dataDir) {
        console.log(`USERRL_DATA_DIR is set (${store.dataDir}); files are read from there, nothing to download.`);
        return;
      }
      await store.fetchAll();
      if (process.stderr.isTTY) process.stderr.write("\n");
      console.log(`All data files are in ${store.cacheDir}/data.`);
    });
  registerGymDataCommands(data);
}
