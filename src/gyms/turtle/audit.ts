/** Turtle's part of the simulator audit: the host must not quote the hidden story (its "bottom") to the player. */
import { quotedSpan } from "../kit/quoted-span.js";
import type { GymAudit } from "../../core/types.js";

/** Consecutive words of the hidden story that make a quote rather than a coincidence. */
const QUOTE_WORDS = 6;

export const turtleAudit: GymAudit<{ /** The hidden true story. */ bottom: string }> = {
  leak(task, turn, reply) {
    const span = quotedSpan(reply, task.payload.bottom, QUOTE_WORDS);
    if (!span || (turn.action?.content ?? "").toLowerCase().includes(span)) return undefined;
    return `the host quoted the hidden story: "${span}"`;
  },
};
