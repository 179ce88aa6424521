/** `--persona <spec>` → the run config's persona field (absent for the cooperative default), or a CliError. */
import type { PersonaView } from "../core/types.js";
import { parsePersona } from "../personas/spec.js";
import { CliError } from "./util.js";

export function personaOption(spec: string | undefined): { persona?: PersonaView } {
  try {
    const persona = parsePersona(spec);
    return persona ? { persona } : {};
  } catch (err) {
    throw new CliError((err as Error).message);
  }
}
