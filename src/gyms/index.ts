/** The gym registry: every gym the CLI, the runner and the server know, by name. */
import type { GymDefinition } from "../core/types.js";
import { userProblem } from "./kit/choose.js";
import { functionGym } from "./function/index.js";
import { guessGym } from "./guess/index.js";
import { intentionGym } from "./intention/index.js";
import { searchGym } from "./search/index.js";
import { persuadeGym } from "./persuade/index.js";
import { tauGym } from "./tau/index.js";
import { telepathyGym } from "./telepathy/index.js";
import { travelGym } from "./travel/index.js";
import { turtleGym } from "./turtle/index.js";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const ALL: GymDefinition<any>[] = [functionGym, intentionGym, persuadeGym, searchGym, tauGym, telepathyGym, travelGym, turtleGym, guessGym];

export const GYMS: ReadonlyMap<string, GymDefinition<unknown>> = new Map(ALL.map((g) => [g.name, g]));

export class UnknownGymError extends Error {
  constructor(name: string) {
    super(`unknown gym "${name}" (known: ${[...GYMS.keys()].join(", ")})`);
    this.name = "UnknownGymError";
  }
}

export function getGym(name: string): GymDefinition<unknown> {
  const g = GYMS.get(name.toLowerCase());
  if (!g) throw new UnknownGymError(name);
  return g;
}

/**
 * Why `gym` cannot run with this simulated user and these gym options — no offline user for `offline`, a role a
 * person cannot play for `human:<name>` (see the kit's `userProblem`), or something the gym itself lacks
 * (`missing`, e.g. SearchGym's search provider) — or undefined when it can.
 */
export function cannotRun(gym: GymDefinition<unknown>, userSpec: string, options: Readonly<Record<string, unknown>> = {}, hasJudge = false): string | undefined {
  return userProblem(gym, userSpec, hasJudge) ?? gym.missing?.(options);
}

/** Expand a list of gym names, where `all` means every gym. */
export function resolveGyms(names: readonly string[]): GymDefinition<unknown>[] {
  if (names.length === 0 || names.includes("all")) return [...GYMS.values()];
  return [...new Set(names.map((n) => n.toLowerCase()))].map(getGym);
}
