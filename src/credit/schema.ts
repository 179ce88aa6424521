/**
 * Validation of credit requests from outside (CLI input files, HTTP bodies), shared so every edge answers
 * the same way. Shape: `{"groups":[{"id":…,"trajectories":[{"id":…,"rewards":[…],"turnTokens":[…]}]}]}`.
 */
import { z } from "zod";
import { TRAJECTORY_SCORE_METHODS, TURN_LEVEL_METHODS } from "./methods.js";
import type { CreditGroupInput } from "./advantages.js";

const id = z.union([z.string(), z.number()]);

/**
 * Largest reward magnitude accepted: far beyond any gym's rewards, yet small enough that sums, means and
 * squared deviations over long groups stay finite (1e308 would overflow to Infinity and answer null).
 */
export const MAX_ABS_REWARD = 1e9;

const reward = z
  .number()
  .finite()
  .refine((r) => Math.abs(r) <= MAX_ABS_REWARD, { message: `a reward must be between -${MAX_ABS_REWARD} and ${MAX_ABS_REWARD}` });

export const creditTrajectorySchema = z
  .object({
    id,
    rewards: z.array(reward),
    turnTokens: z.array(z.number().int().nonnegative()).optional(),
    lookAhead: z.array(z.number().finite()).optional(),
  })
  .refine((t) => t.turnTokens === undefined || t.turnTokens.length === t.rewards.length, {
    message: "turnTokens must have one entry per reward",
    path: ["turnTokens"],
  })
  .refine((t) => t.lookAhead === undefined || t.lookAhead.length === t.rewards.length, {
    message: "lookAhead must have one entry per reward",
    path: ["lookAhead"],
  });

export const creditGroupSchema = z.object({ id, trajectories: z.array(creditTrajectorySchema) });

export const creditRequestSchema = z.object({ groups: z.array(creditGroupSchema) });

export const creditOptionsSchema = z.object({
  turnLevel: z.enum(TURN_LEVEL_METHODS),
  trajectoryScore: z.enum(TRAJECTORY_SCORE_METHODS),
  /** A discount: 0 (only the turn's own reward) to 1 (no discount). */
  gamma: z.number().min(0, "gamma must be between 0 and 1").max(1, "gamma must be between 0 and 1").optional(),
  emK: z.number().finite().positive().max(1e6).optional(),
  normByStd: z.boolean().optional(),
  eps: z.number().finite().nonnegative().optional(),
});

/** Parse a credit request, or throw one readable message naming the offending paths. */
export function parseCreditRequest(value: unknown): { groups: CreditGroupInput[] } {
  const r = creditRequestSchema.safeParse(value);
  if (!r.success) throw new Error(`invalid credit input: ${formatIssues(r.error.issues)}`);
  return r.data;
}

export function formatIssues(issues: readonly z.core.$ZodIssue[]): string {
  const shown = issues.slice(0, 5).map((i) => `${i.path.length ? i.path.join(".") : "(root)"}: ${i.message}`);
  if (issues.length > 5) shown.push(`… and ${issues.length - 5} more`);
  return shown.join("; ");
}
