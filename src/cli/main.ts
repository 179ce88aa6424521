/** The `userrl` command line. */
import { Command, CommanderError } from "commander";
import { codeVersion } from "../rollout/store.js";
import { COMMANDS } from "./commands/index.js";
import { CliError } from "./util.js";

export function buildProgram(): Command {
  const program = new Command()
    .name("userrl")
    .description("Train and evaluate user-centric LLM agents in gyms with simulated users (after UserRL).")
    .version(codeVersion())
    .showHelpAfterError("(run with --help for usage)");
  for (const c of COMMANDS) c.register(program);
  return program;
}

export async function main(argv: string[] = process.argv): Promise<void> {
  const program = buildProgram();
  program.exitOverride();
  try {
    await program.parseAsync(argv);
  } catch (err) {
    if (err instanceof CommanderError) {
      process.exitCode = err.exitCode;
      return;
    }
    const expected = err instanceof CliError || ["DataMissingError", "SpecError", "UnknownGymError", "ModelError", "DownloadError"].includes((err as Error)?.name);
    const message = err instanceof Error ? err.message : String(err);
    process.stderr.write(`userrl: error: ${message}\n`);
    if (!expected && process.env.USERRL_DEBUG) process.stderr.write(`${(err as Error)?.stack ?? ""}\n`);
    process.exitCode = err instanceof CliError ? err.exitCode : 1;
  }
}
