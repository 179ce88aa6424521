/** Persuade's part of the simulator audit: the persuadee's replies get the generic checks (empty, looping, fallbacks). */
import type { GymAudit } from "../../core/types.js";

export const persuadeAudit: GymAudit = {
  // The conversation ends on the agent's or the turn limit's terms, never the persuadee's.
  userEnded: () => false,
};
