/** How a run records its persona, and why a run directory refuses to be resumed with another one. */
import type { PersonaView } from "../core/types.js";
import { personaId } from "./spec.js";

/** The one-line refusal when a stored run's persona differs from the requested one, else undefined. */
export function personaMismatch(dir: string, stored: unknown, wanted: PersonaView | undefined): string | undefined {
  const before = stored as PersonaView | undefined;
  if (JSON.stringify(before ?? null) === JSON.stringify(wanted ?? null)) return undefined;
  const was = personaId(before);
  const now = personaId(wanted);
  const what = was === now ? `persona "${was}" with other instructions (its file changed)` : `persona "${was}", not "${now}"`;
  return `${dir} holds a run with ${what}; resume with the same --persona or choose another --out directory`;
}
