import type { Command } from "commander";
import { z } from "zod";
import { actionFromToolArgs, cutAction, cutNote, parseBracketAction } from "../../core/action.js";
import { observationText } from "../../core/observation.js";
import type { Compat, Mode } from "../../core/types.js";
import { readJsonFile } from "../../core/validate.js";
import { DataStore } from "../../data/store.js";
import { getGym } from "../../gyms/index.js";
import { resolveUser } from "../../agents/resolve.js";
import { CliError, choiceOption, intOption, printJson } from "../util.js";

const actionsSchema = z.array(z.union([z.string(), z.object({ choice: z.string(), content: z.string() })]));

export function register(program: Command): void {
  program
    .command("replay")
    .description("run a fixed list of actions on one task and print every step")
    .argument("<gym>", "gym name")
    .requiredOption("--task <id>", "task id")
    .requiredOption("--actions <file.json>", 'JSON array of "[action] …" strings or {"choice","content"} objects')
    .option("--user <spec>", "simulated user (offline or a model spec)")
    .option("--mode <mode>", "train | eval", choiceOption("--mode", ["train", "eval"] as const), "train")
    .option("--compat <c>", "fixed | userrl-2025", choiceOption("--compat", ["fixed", "userrl-2025"] as const), "fixed")
    .option("--max-steps <n>", "environment step limit", intOption("--max-steps", 1), 16)
    .option("--seed <n>", "seed", intOption("--seed", 0), 42)
    .option("--json", "machine-readable output")
    .action(async (gymName: string, opts: { task: string; actions: string; user?: string; mode: Mode; compat: Compat; maxSteps: number; seed: number; json?: boolean }) => {
      const gym = getGym(gymName);
      let actions: z.infer<typeof actionsSchema>;
      try {
        actions = readJsonFile(opts.actions, actionsSchema, "--actions");
      } catch (err) {
        throw new CliError((err as Error).message);
      }
      const task = (await gym.tasks(DataStore.default())).find((t) => t.id === opts.task);
      if (!task) throw new CliError(`gym "${gym.name}" has no task "${opts.task}"`);
      const user = await resolveUser(opts.user);
      try {
        const env = gym.create(task, { mode: opts.mode, compat: opts.compat, maxSteps: opts.maxSteps, seed: opts.seed, user: user.roles(gym), options: {} });
        await env.reset();
        const steps = [];
        for (const [i, a] of actions.entries()) {
          // The same cut as `userrl run` and `serve`: a gym never sees more than MAX_ACTION_CHARS.
          const sent = typeof a === "string" ? parseBracketAction(a) : actionFromToolArgs(a);
          const action = cutAction(sent);
          const cut = action !== sent ? cutNote(sent) : undefined;
          const r = await env.step(action);
          const fallbacks = [...(cut ? [cut] : []), ...(r.fallbacks ?? [])];
          steps.push({ step: i + 1, action: action.raw, feedback: r.feedback, reward: r.reward, done: r.done, truncated: r.truncated, ...(fallbacks.length ? { fallbacks } : {}) });
          if (!opts.json) {
            console.log(`#${i + 1} ${action.raw}\n${observationText(r.feedback, r.reward, "train")}\ndone=${r.done} truncated=${r.truncated}\n`);
          }
        }
        await env.close?.();
        if (opts.json) printJson({ gym: gym.name, task: task.id, steps });
      } finally {
        await user.close();
      }
    });
}
