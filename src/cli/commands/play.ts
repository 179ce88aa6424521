import type { Command } from "commander";
import { HumanAgent, terminalIO } from "../../agents/human.js";
import { resolveUser } from "../../agents/resolve.js";
import type { Compat, Mode, Split } from "../../core/types.js";
import { DataStore } from "../../data/store.js";
import { getGym } from "../../gyms/index.js";
import { runEpisode } from "../../rollout/episode.js";
import { episodeSeed } from "../../rollout/runner.js";
import { RunStore } from "../../rollout/store.js";
import { PERSONA_HELP } from "../../personas/help.js";
import { personaOption } from "../persona-option.js";
import { CliError, choiceOption, intOption } from "../util.js";

export function register(program: Command): void {
  program
    .command("play")
    .description("play the agent yourself in the terminal")
    .argument("<gym>", "gym name")
    .option("--task <id>", "task id (default: a random task of the split)")
    .option("--split <split>", "train | test", choiceOption("--split", ["train", "test"] as const), "test")
    .option("--user <spec>", "simulated user (offline or a model spec)")
    .option("--mode <mode>", "eval (bare feedback) | train (shows rewards)", choiceOption("--mode", ["train", "eval"] as const), "train")
    .option("--compat <c>", "fixed | userrl-2025", choiceOption("--compat", ["fixed", "userrl-2025"] as const), "fixed")
    .option("--max-turns <n>", "turns", intOption("--max-turns", 1), 16)
    .option("--out <dir>", "also store the episode in this run directory")
    .option("--persona <spec>", PERSONA_HELP)
    .action(async (gymName: string, opts: { task?: string; split: Split; user?: string; mode: Mode; compat: Compat; maxTurns: number; out?: string; persona?: string }) => {
      const gym = getGym(gymName);
      const persona = personaOption(opts.persona);
      const tasks = (await gym.tasks(DataStore.default())).filter((t) => (opts.task ? t.id === opts.task : t.split === opts.split));
      if (!tasks.length) throw new CliError(opts.task ? `gym "${gym.name}" has no task "${opts.task}"` : `no ${opts.split} tasks`);
      const task = tasks[Math.floor(Math.random() * tasks.length)];
      const user = await resolveUser(opts.user);
      const io = terminalIO();
      try {
        const seed = episodeSeed(Date.now() % 1e9, gym.name, task.id, 0);
        const t = await runEpisode({
          gym,
          task,
          agent: new HumanAgent(io),
          ctx: { mode: opts.mode, compat: opts.compat, maxSteps: opts.maxTurns, seed, user: user.roles(gym), options: {}, ...persona },
          maxTurns: opts.maxTurns,
          id: `play/${gym.name}/${task.id}`,
          runId: "play",
          groupId: `${gym.name}/${task.id}`,
          sample: 0,
          agentSpec: "human",
        });
        const last = t.turns.at(-1);
        if (last?.feedback) console.log(`\n--- Environment ---\n${last.feedback}`);
        console.log(`\nEpisode over (${t.endReason}) after ${t.turns.length} turns: total reward ${t.totalReward}.`);
        if (opts.out) {
          const store = new RunStore(opts.out);
          store.ensureRun("play", { gyms: [gym.name], agent: "human", user: user.spec, mode: opts.mode, compat: opts.compat, maxTurns: opts.maxTurns, ...persona });
          store.saveEpisode({ ...t, runId: store.run()!.id }, "done");
          store.close();
        }
      } finally {
        io.close();
        await user.close();
      }
    });
}
