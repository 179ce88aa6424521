/** The gyms in the simulator-cost benchmark. To add one: write `bench/cost-cases/<gym>.ts` and list it here. */
import { persuadeCost } from "./persuade.js";
import type { CostCase } from "./types.js";

export const COST_CASES: CostCase[] = [persuadeCost];
