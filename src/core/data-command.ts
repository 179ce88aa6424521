/**
 * A data command a gym offers under `userrl data <name>` (e.g. TravelGym writing and checking its scenario
 * files): declared by the gym, so the CLI names no gym. The CLI adds `--json`, checks the options as declared,
 * and prints the result: the JSON with `--json`, else the table and then the lines.
 */
export interface DataCommandOption {
  /** The option as typed, with its value's name: `--out <dir>`. Its value arrives keyed by the camelCased name (`out`). */
  flag: string;
  description: string;
  required?: boolean;
  default?: string | number;
  /** The values allowed. */
  choices?: readonly string[];
  /** Parse the value as an integer no smaller than this. */
  integerMin?: number;
}

export interface DataCommandResult {
  /** What `--json` prints. */
  json: unknown;
  table?: { headers: string[]; rows: (string | number)[][] };
  /** Lines printed after the table. */
  lines?: string[];
  /** The check found problems: the command exits with 1. */
  failed?: boolean;
}

/** `T` is the gym's task type (`Task<P>`). */
export interface GymDataCommand<T = unknown> {
  /** The subcommand, prefixed with the gym's name: `travel-generate`. */
  name: string;
  description: string;
  /** Positional arguments, in order (all required). */
  args?: readonly { name: string; description: string }[];
  options?: readonly DataCommandOption[];
  /** Thrown errors are shown to the user as one line: throw them with a message a person can act on. */
  run(input: { args: string[]; options: Record<string, string | number | undefined>; tasks: () => Promise<T[]> }): Promise<DataCommandResult>;
}
