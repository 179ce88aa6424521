/**
 * Persona specs, as typed on the command line: built-in traits joined by `+`, each with optional
 * parameters (`terse+impatient:turns=2`), or a user-defined persona file (`./rushed.yaml`) — into the
 * `PersonaView` every gym reads. `cooperative` alone (or nothing) means no persona: today's behaviour.
 */
import { readFileSync } from "node:fs";
import { extname, resolve } from "node:path";
import { parse as parseYaml } from "yaml";
import { z } from "zod";
import type { PersonaView } from "../core/types.js";
import { isTrait, TRAIT_NAMES, TRAITS, type TraitDefinition } from "./traits.js";

export const DEFAULT_PERSONA = "cooperative";

/** A persona file: a name, optional own instructions, and built-in traits with their parameters. */
const personaFileSchema = z
  .object({
    name: z.string().regex(/^[a-z][a-z0-9-]{0,39}$/, "name must be lowercase letters, digits and dashes (at most 40)"),
    summary: z.string().max(500).optional(),
    instructions: z.string().max(4000).optional(),
    traits: z.record(z.string(), z.record(z.string(), z.unknown()).nullable()).default({}),
  })
  .strict();

export type PersonaFile = z.infer<typeof personaFileSchema>;

interface Part {
  id: string;
  instructions: string[];
  traits: Record<string, Record<string, unknown>>;
}

const FILE_PART = /[/\\]|\.(ya?ml|json)$/i;

/**
 * Parse a persona spec; undefined for the cooperative default. Throws one clear line on bad input.
 * `files: false` (specs typed into a web page) refuses persona files, so a page cannot make the server read a path.
 */
export function parsePersona(spec: string | undefined, { files = true }: { files?: boolean } = {}): PersonaView | undefined {
  const text = (spec ?? "").trim();
  if (text === "" || text === DEFAULT_PERSONA) return undefined;
  const parts = text.split("+").map((p) => p.trim());
  if (parts.some((p) => p === "")) throw new Error(`persona "${text}": empty part between "+" signs`);
  const traits: Record<string, Record<string, unknown>> = {};
  const ids: string[] = [];
  const lines: string[] = [];
  for (const raw of parts) {
    if (!files && FILE_PART.test(raw)) throw new Error(`persona "${raw}": persona files are read only from the command line, not from here`);
    const part = FILE_PART.test(raw) ? filePart(raw) : traitPart(raw, files);
    for (const name of Object.keys(part.traits)) {
      if (traits[name]) throw new Error(`persona "${text}": "${name}" appears twice`);
    }
    Object.assign(traits, part.traits);
    if (part.id !== DEFAULT_PERSONA) ids.push(part.id);
    lines.push(...part.instructions);
  }
  if (ids.length === 0) return undefined;
  delete traits[DEFAULT_PERSONA];
  const id = ids.join("+");
  const instructions = lines.length
    ? `How to behave as this user (persona "${id}"):\n${lines.map((l) => `- ${l}`).join("\n")}`
    : "";
  return { id, instructions, traits };
}

/** The persona id a run records for a spec ("cooperative" for the default). */
export function personaId(view: PersonaView | undefined): string {
  return view?.id ?? DEFAULT_PERSONA;
}

/** `impatient:turns=2` → its parsed parameters, canonical id and instructions. */
function traitPart(raw: string, files: boolean): Part {
  const [name, ...pairs] = raw.split(":");
  if (!isTrait(name)) {
    throw new Error(`unknown persona "${name}"; built-in: ${TRAIT_NAMES.join(", ")}${files ? " (or a .json/.yaml persona file)" : ""}`);
  }
  const given: Record<string, string> = {};
  for (const pair of pairs) {
    const m = /^([a-z][a-zA-Z0-9]*)=(.+)$/.exec(pair);
    if (!m) throw new Error(`persona "${raw}": parameters look like ${name}:key=value (got "${pair}")`);
    given[m[1]] = m[2];
  }
  return traitWith(name, given, raw);
}

function traitWith(name: keyof typeof TRAITS, given: Record<string, unknown>, where: string): Part {
  const def: TraitDefinition = TRAITS[name];
  const parsed = def.params.safeParse(given);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`persona "${where}": ${issue.path.length ? `${issue.path.join(".")}: ` : ""}${issue.message}`);
  }
  const params = parsed.data;
  const defaults = def.params.parse({});
  const changed = Object.keys(params)
    .filter((k) => params[k] !== defaults[k])
    .sort()
    .map((k) => `:${k}=${String(params[k])}`);
  const text = def.instructions(params);
  return { id: `${name}${changed.join("")}`, instructions: text ? [text] : [], traits: { [name]: params } };
}

/** A user-defined persona from a JSON or YAML file. */
function filePart(path: string): Part {
  const full = resolve(path);
  let text: string;
  try {
    text = readFileSync(full, "utf8");
  } catch (err) {
    throw new Error(`persona file ${full}: cannot read it (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  }
  let value: unknown;
  try {
    value = extname(full).toLowerCase() === ".json" ? JSON.parse(text) : parseYaml(text);
  } catch (err) {
    throw new Error(`persona file ${full}: not valid ${extname(full).slice(1)} (${(err as Error).message.split("\n")[0]})`);
  }
  const parsed = personaFileSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`persona file ${full}: ${issue.path.length ? `${issue.path.join(".")}: ` : ""}${issue.message}`);
  }
  const file = parsed.data;
  if (isTrait(file.name)) throw new Error(`persona file ${full}: the name "${file.name}" is a built-in persona; choose another`);
  const instructions: string[] = file.instructions?.trim() ? [file.instructions.trim()] : [];
  const traits: Record<string, Record<string, unknown>> = { [file.name]: {} };
  for (const [name, params] of Object.entries(file.traits)) {
    if (!isTrait(name)) throw new Error(`persona file ${full}: unknown trait "${name}"; built-in: ${TRAIT_NAMES.join(", ")}`);
    const part = traitWith(name, params ?? {}, `${file.name}.${name}`);
    instructions.push(...part.instructions);
    Object.assign(traits, part.traits);
  }
  return { id: file.name, instructions, traits };
}

/** `--personas all` or a list (commas or spaces) → the persona specs of a robustness evaluation, cooperative first. */
export function personaList(items: readonly string[]): string[] {
  const specs = items.flatMap((i) => i.split(",")).map((s) => s.trim()).filter(Boolean);
  const expanded = specs.flatMap((s) => (s === "all" ? TRAIT_NAMES : [s]));
  const ids = new Map<string, string>();
  for (const spec of [DEFAULT_PERSONA, ...expanded]) {
    const id = personaId(parsePersona(spec));
    if (!ids.has(id)) ids.set(id, spec);
  }
  return [...ids.values()];
}
