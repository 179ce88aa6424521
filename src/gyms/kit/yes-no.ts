/** Yes/No/Maybe replies, as the hosts of Turtle, Telepathy and Guess give them. */
import { z } from "zod";

export type YesNo = "Yes" | "No" | "Maybe";

const WORDS: Record<string, YesNo> = { yes: "Yes", no: "No", maybe: "Maybe" };

/** "Yes", "no.", " MAYBE!" → the word a reply opens with; anything else is not a Yes/No/Maybe reply. */
export function readYesNo(text: string): YesNo | undefined {
  const m = /^\W*(yes|no|maybe)\b/i.exec(text);
  return m ? WORDS[m[1].toLowerCase()] : undefined;
}

/** A role's `{ response }` reply that must open with Yes, No or Maybe; it is read as that word. */
export const yesNoReply: z.ZodType<{ response: YesNo }> = z.object({
  response: z.string().transform((s, c) => {
    const w = readYesNo(s);
    if (w) return w;
    c.addIssue({ code: "custom", message: `response must be "Yes", "No" or "Maybe", not "${s.slice(0, 40)}"` });
    return z.NEVER;
  }),
});
