/** The gyms in the simulator-cost benchmark. To add one: write `bench/cost-cases/<gym>.ts` and list it here. */
import { intentionCost } from "./intention.js";
import { persuadeCost } from "./persuade.js";
import { tauCost } from "./tau.js";
import { telepathyCost } from "./telepathy.js";
import { travelCost } from "./travel.js";
import { turtleCost } from "./turtle.js";
import type { CostCase } from "./types.js";

export const COST_CASES: CostCase[] = [persuadeCost, turtleCost, intentionCost, telepathyCost, travelCost, tauCost];
