/**
 * TauGym's options (`ctx.options`, e.g. `gymOptions: {tau: {showPolicy: true}}` in a run config):
 * - `showPolicy` (default false): append the domain policy (tau-bench's `wiki.md`) to the agent's own
 *   system prompt. The reference never shows it, so it is off for parity. (With `--prompts dataset`
 *   the reference's prompt is used as is.)
 * - `customerTurns` (default 10): replies after which the scripted customer gives up and leaves.
 */
import { z } from "zod";
import { gymOptions, optionsCheck } from "../kit/episode.js";

const schema = z
  .object({
    showPolicy: z.boolean().default(false),
    customerTurns: z.number().int().min(1).default(10),
    /** Per-request timeout of the LLM customer (its replies are longer than a judge's verdict). */
    roleTimeoutMs: z.number().positive().default(60_000),
  })
  .strict();

export type TauOptions = z.infer<typeof schema>;

/** Validated options; a bad option is a configuration error naming the gym. */
export function tauOptions(options: Readonly<Record<string, unknown>>): TauOptions {
  return gymOptions("tau", schema, options);
}

/** TauGym's `checkOptions`. */
export const checkTauOptions = optionsCheck("tau", schema);

/** Whether to show the policy, read leniently (the prompt is built before the episode validates options). */
export function showPolicy(options: Readonly<Record<string, unknown>> | undefined): boolean {
  return options?.showPolicy === true;
}
