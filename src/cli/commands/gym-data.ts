/** The gyms' own data commands (`GymDefinition.dataCommands`) as `userrl data <name>` subcommands. */
import { Option, type Command } from "commander";
import type { GymDataCommand } from "../../core/data-command.js";
import { DataStore } from "../../data/store.js";
import { GYMS } from "../../gyms/index.js";
import { choiceOption, CliError, intOption, printJson, table } from "../util.js";

export function registerGymDataCommands(data: Command): void {
  for (const gym of GYMS.values()) {
    for (const command of gym.dataCommands ?? []) addDataCommand(data, command, () => gym.tasks(DataStore.default()));
  }
}

function addDataCommand<T>(data: Command, command: GymDataCommand<T>, tasks: () => Promise<T[]>): void {
  const sub = data.command(command.name).description(command.description);
  for (const a of command.args ?? []) sub.argument(`<${a.name}>`, a.description);
  for (const o of command.options ?? []) {
    const option = new Option(o.flag, o.description);
    if (o.choices) option.argParser(choiceOption(o.flag.split(" ")[0], o.choices));
    else if (o.integerMin !== undefined) option.argParser(intOption(o.flag.split(" ")[0], o.integerMin));
    if (o.default !== undefined) option.default(o.default);
    if (o.required) option.makeOptionMandatory();
    sub.addOption(option);
  }
  sub.option("--json", "machine-readable output").action(async (...params: unknown[]) => {
    const args = params.slice(0, command.args?.length ?? 0).map(String);
    const { json, ...options } = params[args.length] as Record<string, string | number | undefined> & { json?: boolean };
    let result;
    try {
      result = await command.run({ args, options, tasks });
    } catch (err) {
      throw new CliError((err as Error).message);
    }
    if (json) printJson(result.json);
    else {
      if (result.table) console.log(table(result.table.headers, result.table.rows));
      for (const line of result.lines ?? []) console.log(line);
    }
    if (result.failed) process.exitCode = 1;
  });
}
