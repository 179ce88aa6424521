/** The `--persona` help line every command shares. */
import { TRAIT_NAMES } from "./traits.js";

export const PERSONA_HELP = `simulated user's persona: ${TRAIT_NAMES.join(" | ")}, joined with + (e.g. terse+impatient:turns=2), or a .json/.yaml persona file (default: cooperative)`;
