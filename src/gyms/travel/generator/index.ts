/**
 * The TravelGym scenario generator. The reference's scenario files were never published, so userrl makes
 * its own, in the same format, for every task id of the reference's parquet files.
 *
 * For a key like `flight:2-37|hotel:2-9` and the row's first user message:
 * 1. the trip (route, city, dates per aspect) is read from the message; it becomes the ground-truth
 *    search arguments;
 * 2. each aspect gets as many hidden preferences as its key says, drawn from the aspect's templates
 *    (never two that touch the same fields), each a predicate over option fields;
 * 3. 22 options per aspect are drafted: 3–5 correct ones pushed to satisfy every preference, wrong ones
 *    that break exactly one preference (every preference is broken by some), and noise that breaks two
 *    or more;
 * 4. prices are set so that one correct option is the strictly cheapest correct one (the best), and for
 *    every preference some option breaking only that preference is cheaper still, so each preference
 *    matters: an agent that misses one is drawn to a cheaper wrong option;
 * 5. ids `F1…F22` are assigned at random, with the best option keeping the id the parquet row names
 *    (the row's ground truth), and the result is verified with `checkScenario` (a failure is a bug and throws).
 *
 * Everything is drawn from a PRNG seeded by (seed, key): the same seed gives the same scenario, byte for byte.
 */
import { INITIAL, LABEL, type Aspect } from "../aspects.js";
import { DOMAINS, type AnyDomain, type AnyTemplate } from "./domain/index.js";
import type { OptionJson, PrefSpec } from "./domain/types.js";
import { Rng } from "../../kit/random.js";
import { checkScenario, type AspectBlock, type Scenario } from "../scenario.js";
import { parseTrip, searchArguments, type AspectTrip } from "../trip.js";

export const DEFAULT_GENERATOR_SEED = 2025;

/** Options listed per aspect. */
export const OPTIONS_PER_ASPECT = 22;

export interface ScenarioSeed {
  /** The scenario key, e.g. `flight:2-37|hotel:2-9` (one `aspect:N-ID` part per aspect). */
  key: string;
  /** The first user message, without the budget sentence. */
  description: string;
  /** The best option ids the dataset row names (its ground truth), if known. */
  bestIds?: readonly string[];
  /** The variant, e.g. "22" (derived from the key when absent). */
  variant?: string;
}

interface KeyPart {
  aspect: Aspect;
  count: number;
}

/** The aspects and preference counts a key names. Throws on a malformed key. */
export function parseKey(key: string): KeyPart[] {
  const parts = key.split("|").map((p) => {
    const m = /^(flight|hotel|apartment|rental_car|restaurant):(\d+)-\d+$/.exec(p.trim());
    if (!m) throw new Error(`malformed TravelGym scenario key part "${p}" in "${key}"`);
    return { aspect: m[1] as Aspect, count: Number(m[2]) };
  });
  if (new Set(parts.map((p) => p.aspect)).size !== parts.length) throw new Error(`aspect repeated in key "${key}"`);
  return parts;
}

/** The variant of a key: its per-aspect counts, largest last ("233"). */
export function variantOf(key: string): string {
  return parseKey(key)
    .map((p) => p.count)
    .sort((a, b) => a - b)
    .join("");
}

/** The aspect order: the row's ground-truth order when given (the reference lists best ids in dimension order). */
function dimensionOrder(parts: KeyPart[], bestIds: readonly string[] | undefined): Aspect[] {
  const byInitial = new Map(parts.map((p) => [INITIAL[p.aspect], p.aspect]));
  const fromIds = (bestIds ?? []).map((id) => byInitial.get(id[0]));
  if (fromIds.length === parts.length && fromIds.every(Boolean) && new Set(fromIds).size === parts.length) return fromIds as Aspect[];
  return parts.map((p) => p.aspect);
}

export function generateScenario(seed: ScenarioSeed, generatorSeed = DEFAULT_GENERATOR_SEED): Scenario {
  const parts = parseKey(seed.key);
  const dims = dimensionOrder(parts, seed.bestIds);
  const rng = new Rng(`travelgym/${generatorSeed}/${seed.key}`);
  const trip = parseTrip(seed.description, dims);
  const blocks: Partial<Record<Aspect, AspectBlock>> = {};
  const summary: string[] = [];
  for (const aspect of dims) {
    const count = parts.find((p) => p.aspect === aspect)!.count;
    const bestId = seed.bestIds?.find((id) => id[0] === INITIAL[aspect]);
    const t = trip[aspect] ?? { aspect, days: [] };
    blocks[aspect] = generateAspect(DOMAINS[aspect], t, count, bestId, rng.fork(aspect));
    summary.push(`${LABEL[aspect]} (${count})`);
  }
  const total = parts.reduce((a, p) => a + p.count, 0);
  const scenario: Scenario = {
    key: seed.key,
    scenario:
      `${seed.description} The traveller wants the cheapest option for each part of the trip that meets all of their ` +
      `preferences, and has ${total} preferences they have not mentioned: ${summary.join(", ")}.`,
    dimensions: dims,
    wantedNum: seed.variant ?? variantOf(seed.key),
    initialDescription: seed.description,
    blocks,
    source: "generated",
  };
  const problems = checkScenario(scenario);
  if (problems.length) throw new Error(`generated scenario ${seed.key} is inconsistent: ${problems.join("; ")}`);
  return scenario;
}

interface Chosen {
  template: AnyTemplate;
  value: PrefSpec["value"];
}

function choosePreferences(domain: AnyDomain, trip: AspectTrip, count: number, rng: Rng): Chosen[] {
  const slots = new Set<string>();
  const out: Chosen[] = [];
  for (const template of rng.shuffle(domain.templates)) {
    if (out.length === count) break;
    if (slots.has(template.slot)) continue;
    slots.add(template.slot);
    out.push({ template, value: template.choose ? template.choose(rng, trip) : rng.pick(template.values) });
  }
  if (out.length < count) throw new Error(`${domain.aspect} has only ${out.length} independent preference kinds; ${count} asked`);
  return out;
}

type Role = "correct" | "wrong" | "noise";

interface Draft {
  role: Role;
  /** Indices of the preferences this option was made to violate. */
  broken: number[];
  draft: unknown;
}

function generateAspect(domain: AnyDomain, trip: AspectTrip, count: number, bestId: string | undefined, rng: Rng): AspectBlock {
  const prefs = choosePreferences(domain, trip, count, rng.fork("preferences"));
  const specs: PrefSpec[] = prefs.map((p) => ({ template: p.template.key, value: p.value }));
  const build = rng.fork("options");
  const nCorrect = build.int(3, 5);
  const nNoise = build.int(4, 6);
  const nWrong = OPTIONS_PER_ASPECT - nCorrect - nNoise;

  // Which preferences each option breaks: wrong options cycle through them so every one is broken.
  const plan: { role: Role; broken: number[] }[] = [];
  for (let i = 0; i < nCorrect; i++) plan.push({ role: "correct", broken: [] });
  const order = build.shuffle(prefs.map((_, i) => i));
  for (let i = 0; i < nWrong; i++) plan.push({ role: "wrong", broken: [order[i % prefs.length]] });
  for (let i = 0; i < nNoise; i++) plan.push({ role: "noise", broken: build.sample(order, build.int(2, prefs.length)) });

  const names = new Set<string>();
  const staged = prefs.map((p, i) => ({ ...p, i })).sort((a, b) => (a.template.stage ?? 1) - (b.template.stage ?? 1));
  const drafts: Draft[] = plan.map(({ role, broken }, index) => {
    const r = build.fork(`option-${index}`);
    const draft = domain.draft(r, trip, names);
    for (const p of staged) {
      if (broken.includes(p.i)) p.template.force(draft, false, p.value, r);
      else if (role !== "noise") p.template.force(draft, true, p.value, r);
    }
    return { role, broken, draft };
  });

  setPrices(domain, drafts, specs, prefs.length, rng.fork("prices"));

  // Ids: the best option keeps the row's id; the rest get the other numbers at random.
  const bestIndex = drafts.findIndex((d) => d.role === "correct");
  const wanted = bestId ? Number(bestId.slice(1)) : undefined;
  const numbers = rng.fork("ids").shuffle(Array.from({ length: OPTIONS_PER_ASPECT }, (_, i) => i + 1).filter((n) => n !== wanted));
  const ids = drafts.map((_, i) => (i === bestIndex && wanted ? wanted : numbers.pop()!));
  const rendered = drafts.map((d, i) => ({ role: d.role, option: domain.render(d.draft, `${INITIAL[domain.aspect]}${ids[i]}`) as OptionJson }));
  const byId = (a: { option: OptionJson }, b: { option: OptionJson }) => Number(a.option.id.slice(1)) - Number(b.option.id.slice(1));
  const list = (role: Role) => rendered.filter((r) => r.role === role).sort(byId).map((r) => r.option);
  const correct = list("correct");
  return {
    preferences: prefs.map((p) => [domain.aspect, p.template.subcategory, p.template.text(p.value), p.template.implicit(p.value), { template: p.template.key, value: p.value }]),
    options: { correct, wrong: list("wrong"), noise: list("noise") },
    correct_ids: correct.map((o) => o.id),
    best_id: rendered[bestIndex].option.id,
    arguments: searchArguments(trip),
  };
}

/**
 * Spread prices over the aspect's range, then make the first correct draft the strictly cheapest correct
 * option and put, for every preference, one option that breaks only it below the best.
 */
function setPrices(domain: AnyDomain, drafts: Draft[], specs: PrefSpec[], nPrefs: number, rng: Rng): void {
  const priceOf = (d: Draft) => domain.price(domain.render(d.draft, "X0"), specs);
  const setPrice = (d: Draft, target: number) => domain.scale(d.draft, target / priceOf(d));
  const correct = drafts.filter((d) => d.role === "correct");
  const best = correct[0];
  const others = correct.slice(1);
  const cheapestOther = Math.min(...others.map(priceOf));
  setPrice(best, cheapestOther * rng.uniform(0.7, 0.88));
  const bestPrice = priceOf(best);
  for (let i = 0; i < nPrefs; i++) {
    const trap = drafts.find((d) => d.role === "wrong" && d.broken.length === 1 && d.broken[0] === i);
    if (trap && priceOf(trap) >= bestPrice) setPrice(trap, bestPrice * rng.uniform(0.62, 0.9));
  }
}
