/** Credit-assignment options shared by `userrl credit` and `userrl export-rl`. */
import { InvalidArgumentError, type Command } from "commander";
import {
  DEFAULT_EM_K,
  DEFAULT_GAMMA,
  TRAJECTORY_SCORE_METHODS,
  TURN_LEVEL_METHODS,
  type CreditOptions,
  type TrajectoryScoreMethod,
  type TurnLevelMethod,
} from "../credit/index.js";
import { choiceOption, floatOption } from "./util.js";

export interface CreditCliOptions {
  turnLevel: TurnLevelMethod;
  trajectory: TrajectoryScoreMethod;
  gamma: number;
  emK: number;
  std: boolean;
}

function positive(name: string): (v: string) => number {
  return (v) => {
    const n = Number(v);
    if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError(`${name} must be a positive number`);
    return n;
  };
}

export function addCreditOptions(cmd: Command): Command {
  return cmd
    .requiredOption(
      "--turn-level <method>",
      `turn credits: ${TURN_LEVEL_METHODS.join(" | ")}`,
      choiceOption("--turn-level", TURN_LEVEL_METHODS),
    )
    .requiredOption(
      "--trajectory <method>",
      `trajectory score: Mean (the reference's "Sum") | Sum (Σ r_t) | R2G`,
      choiceOption("--trajectory", TRAJECTORY_SCORE_METHODS),
    )
    .option("--gamma <γ>", "discount of R2G credits and scores", floatOption("--gamma", { min: 0, max: 1 }), DEFAULT_GAMMA)
    .option("--em-k <k>", "k of the EM mapping", positive("--em-k"), DEFAULT_EM_K)
    .option("--no-std", "do not divide by the group's standard deviation");
}

export function creditOptionsFrom(o: CreditCliOptions): CreditOptions {
  return { turnLevel: o.turnLevel, trajectoryScore: o.trajectory, gamma: o.gamma, emK: o.emK, normByStd: o.std };
}

/** One line saying how credit was computed. */
export function describeCredit(o: CreditOptions): string {
  const parts = [`turn level ${o.turnLevel}`, `trajectory score ${o.trajectoryScore}`];
  if (o.turnLevel === "R2G" || o.trajectoryScore === "R2G") parts.push(`γ ${o.gamma}`);
  if (o.turnLevel === "EM") parts.push(`k ${o.emK}`);
  parts.push(o.normByStd === false ? "not divided by std" : "divided by std");
  return parts.join(" · ");
}
