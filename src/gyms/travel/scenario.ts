/**
 * TravelGym scenarios in the reference's file format (spec/gyms-tools.md §2.1): a file maps a scenario key
 * (`flight:2-37|hotel:2-9`) to a scenario with `scenario`, `dimensions`, `wanted_num`,
 * `initial_description`, and one block per aspect holding `preferences`, `options` {correct, wrong, noise},
 * `correct_ids`, `best_id` and `arguments`.
 *
 * Generated scenarios add a fifth element to each preference, `{template, value}`, naming the predicate
 * that decides it; `checkScenario` re-evaluates those predicates on the options, so a scenario's
 * correct/best labels are verified from the file alone.
 */
import { z } from "zod";
import { issuesText } from "../../core/validate.js";
import { INITIAL, isAspect, type Aspect } from "./aspects.js";
import { DOMAINS, TEMPLATES } from "./generator/domain/index.js";
import type { OptionJson, PrefSpec } from "./generator/domain/types.js";

const optionSchema = z.looseObject({ id: z.string() });

const prefSpecSchema = z.object({ template: z.string(), value: z.union([z.string(), z.number(), z.null()]) });

export const aspectBlockSchema = z.looseObject({
  preferences: z.array(z.array(z.unknown())).default([]),
  options: z
    .looseObject({
      correct: z.array(optionSchema).default([]),
      wrong: z.array(optionSchema).default([]),
      noise: z.array(optionSchema).default([]),
    })
    .default({ correct: [], wrong: [], noise: [] }),
  correct_ids: z.array(z.string()).default([]),
  best_id: z.string(),
  arguments: z.unknown().optional(),
});

export const scenarioFileSchema = z.looseObject({
  scenario: z.string().default(""),
  dimensions: z.array(z.string()).min(1),
  wanted_num: z.union([z.string(), z.number()]).optional(),
  initial_description: z.string(),
});

export type AspectBlock = z.infer<typeof aspectBlockSchema>;

/** One scenario, with its aspect blocks validated and keyed. */
export interface Scenario {
  key: string;
  /** The hidden situation, shown only to the utterance classifier. */
  scenario: string;
  dimensions: Aspect[];
  wantedNum: string;
  initialDescription: string;
  blocks: Partial<Record<Aspect, AspectBlock>>;
  /** Where it came from. */
  source: "generated" | "userbench";
}

/** A preference as the episode tracks it (ids `P1…Pn` in dimension order). */
export interface Preference {
  id: string;
  aspect: string;
  subcategory: string;
  preference: string;
  implicit: string;
  /** The dimension whose block listed it. */
  dimension: Aspect;
  /** The checkable predicate, for generated scenarios. */
  spec?: PrefSpec;
}

/** Validate one raw scenario (throws a readable error on a bad shape). */
export function parseScenario(key: string, raw: unknown, source: Scenario["source"]): Scenario {
  const parsed = scenarioFileSchema.safeParse(raw);
  if (!parsed.success) throw new Error(`scenario ${key}: ${issuesText(parsed.error)}`);
  const top = parsed.data;
  const dims = top.dimensions.filter(isAspect);
  if (dims.length !== top.dimensions.length) throw new Error(`scenario ${key}: unknown aspect in dimensions ${JSON.stringify(top.dimensions)}`);
  const blocks: Partial<Record<Aspect, AspectBlock>> = {};
  for (const d of dims) {
    const b = aspectBlockSchema.safeParse((raw as Record<string, unknown>)[d]);
    if (!b.success) throw new Error(`scenario ${key}: aspect "${d}": ${b.error.issues[0]?.path.join(".")} ${b.error.issues[0]?.message}`);
    blocks[d] = b.data;
  }
  return {
    key,
    scenario: top.scenario,
    dimensions: dims,
    wantedNum: String(top.wanted_num ?? ""),
    initialDescription: top.initial_description,
    blocks,
    source,
  };
}

/** Back to the file format (aspect blocks at the top level, as the reference stores them). */
export function scenarioToFile(s: Scenario): Record<string, unknown> {
  const out: Record<string, unknown> = {
    scenario: s.scenario,
    dimensions: s.dimensions,
    wanted_num: s.wantedNum,
    initial_description: s.initialDescription,
  };
  for (const d of s.dimensions) out[d] = s.blocks[d];
  return out;
}

/** The preferences of a scenario with ids P1…Pn; entries with fewer than four fields are skipped, as in the reference. */
export function preferencesOf(s: Scenario): Preference[] {
  const out: Preference[] = [];
  for (const d of s.dimensions) {
    for (const entry of s.blocks[d]?.preferences ?? []) {
      if (!Array.isArray(entry) || entry.length < 4) continue;
      const spec = prefSpecSchema.safeParse(entry[4]);
      out.push({
        id: `P${out.length + 1}`,
        aspect: String(entry[0]),
        subcategory: String(entry[1]),
        preference: String(entry[2]),
        implicit: String(entry[3]),
        dimension: d,
        spec: spec.success ? spec.data : undefined,
      });
    }
  }
  return out;
}

export function allOptions(b: AspectBlock): OptionJson[] {
  return [...b.options.correct, ...b.options.wrong, ...b.options.noise] as OptionJson[];
}

/**
 * Everything wrong with a scenario, as sentences (empty when it is consistent). Always checked: the
 * aspects, option ids (unique, right initial), `correct_ids` = the `correct` list, `best_id` among them.
 * When every preference names its predicate (generated scenarios): correct options satisfy every
 * preference, each wrong or noise option violates at least one, and the best option is the strictly
 * cheapest correct one.
 */
export function checkScenario(s: Scenario): string[] {
  const problems: string[] = [];
  const parts = s.key.split("|").map((p) => p.split(":")[0]);
  if (parts.length && [...parts].sort().join() !== [...s.dimensions].sort().join()) {
    problems.push(`dimensions ${s.dimensions.join(",")} do not match the key`);
  }
  if (new Set(s.dimensions).size !== s.dimensions.length) problems.push("an aspect is listed twice");
  const prefs = preferencesOf(s);
  for (const d of s.dimensions) {
    const b = s.blocks[d];
    if (!b) {
      problems.push(`${d}: no block`);
      continue;
    }
    const opts = allOptions(b);
    const ids = opts.map((o) => o.id);
    if (new Set(ids).size !== ids.length) problems.push(`${d}: duplicate option ids`);
    for (const id of ids) if (!new RegExp(`^${INITIAL[d]}\\d+$`).test(id)) problems.push(`${d}: option id ${id} does not start with ${INITIAL[d]}`);
    const correct = b.options.correct.map((o) => o.id);
    if ([...correct].sort().join() !== [...b.correct_ids].sort().join()) problems.push(`${d}: correct_ids differ from the correct options`);
    if (!b.correct_ids.includes(b.best_id)) problems.push(`${d}: best_id ${b.best_id} is not a correct option`);
    const own = prefs.filter((p) => p.dimension === d);
    if (own.length === 0 || !own.every((p) => p.spec)) continue;
    const specs = own.map((p) => p.spec!);
    const checks = specs.map((sp) => TEMPLATES.get(sp.template));
    if (checks.some((c) => !c)) {
      problems.push(`${d}: unknown preference template`);
      continue;
    }
    const satisfies = (o: OptionJson) => checks.every((c, i) => c!.template.test(o, specs[i].value));
    for (const o of b.options.correct as OptionJson[]) if (!satisfies(o)) problems.push(`${d}: correct option ${o.id} violates a preference`);
    for (const o of [...b.options.wrong, ...b.options.noise] as OptionJson[]) {
      if (satisfies(o)) problems.push(`${d}: option ${o.id} is not listed as correct but satisfies every preference`);
    }
    const price = (o: OptionJson) => DOMAINS[d].price(o, specs);
    const best = opts.find((o) => o.id === b.best_id);
    if (best) {
      for (const o of b.options.correct as OptionJson[]) {
        if (o.id !== best.id && !(price(best) < price(o))) problems.push(`${d}: best ${best.id} is not cheaper than correct ${o.id}`);
      }
    }
  }
  return problems;
}
