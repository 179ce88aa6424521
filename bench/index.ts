/**
 * Benchmarks: `npm run bench -- <name> [args…]`, or `npm run bench -- list`.
 * Each benchmark module exports `describe` and `run(args)`, and prints its table(s) to stdout.
 */
interface Bench {
  describe: string;
  run(args: string[]): Promise<void>;
}

const BENCHES: Record<string, () => Promise<Bench>> = {
  audit: () => import("./audit.js"),
  credit: () => import("./credit.js"),
  "credit-lab": () => import("./credit-lab.js"),
  "local-model": () => import("./local-model.js"),
  rollout: () => import("./rollout.js"),
  "server-load": () => import("./server-load.js"),
  "simulator-cost": () => import("./simulator-cost.js"),
  tau: () => import("./tau.js"),
  "train-curves": () => import("./train-curves.js"),
  ui: () => import("./ui.js"),
};

async function main(): Promise<void> {
  const [name, ...args] = process.argv.slice(2);
  if (!name || name === "list" || !(name in BENCHES)) {
    console.log("benchmarks (npm run bench -- <name>):");
    for (const [n, load] of Object.entries(BENCHES)) console.log(`  ${n.padEnd(18)} ${(await load()).describe}`);
    if (name && name !== "list") process.exitCode = 2;
    return;
  }
  await (await BENCHES[name]()).run(args);
}

await main();
