/**
 * The vocabulary of generated TravelGym scenarios: options as the agent sees them, and hidden preferences
 * as checkable predicates over option fields.
 *
 * A preference template is one kind of wish ("no layover longer than N hours"), with a finite set of
 * parameter values, its wording (explicit text and an implicit statement the user would actually say),
 * a predicate over a rendered option, and a way to push a draft option to satisfy or violate it.
 * Templates in the same `slot` touch the same fields, so a scenario never holds two of them.
 */
import type { Aspect } from "../../aspects.js";
import type { Rng } from "../../../kit/random.js";
import type { AspectTrip } from "../../trip.js";

/** An option as listed to the agent: an id plus the aspect's fields. */
export type OptionJson = { id: string } & Record<string, unknown>;

export type PrefValue = string | number | null;

/** A machine-readable preference: which template, which parameter. Stored with each generated preference. */
export interface PrefSpec {
  template: string;
  value: PrefValue;
}

export interface PrefTemplate<D> {
  /** Unique across aspects, e.g. "flight.layover". */
  key: string;
  /** Templates sharing a slot never appear together in one scenario. */
  slot: string;
  subcategory: string;
  /** A concrete question about this subcategory, as an agent could ask it. */
  question: string;
  /** Every parameter value the template can take (`[null]` when it has none). */
  values: readonly PrefValue[];
  /** Pick a value that fits this trip (default: any value). */
  choose?(rng: Rng, trip: AspectTrip): PrefValue;
  /** The preference stated plainly (hidden from the agent). */
  text(v: PrefValue): string;
  /** What the user says to reveal it indirectly. */
  implicit(v: PrefValue): string;
  /** Whether a rendered option satisfies it. */
  test(o: OptionJson, v: PrefValue): boolean;
  /** Change a draft so that the rendered option satisfies (`want`) or violates it. */
  force(d: D, want: boolean, v: PrefValue, rng: Rng): void;
  /** Templates that rebuild a structure (a flight's route) run before those that edit within it (0 first). */
  stage?: number;
}

export interface AspectDomain<D> {
  aspect: Aspect;
  templates: readonly PrefTemplate<D>[];
  /** A random option for this trip (`names` holds the names already used in this option list). */
  draft(rng: Rng, trip: AspectTrip, names: Set<string>): D;
  render(d: D, id: string): OptionJson;
  /** What the user would pay for the option given their preferences: what "cheapest" compares. */
  price(o: OptionJson, prefs: readonly PrefSpec[]): number;
  /** Multiply every price in the draft. */
  scale(d: D, factor: number): void;
  /** A typical price range for this trip (the generator spreads options over it). */
  priceRange(trip: AspectTrip): [number, number];
}

/** Add or remove a string in a list (amenities, tags). */
export function toggle(list: string[], item: string, present: boolean): void {
  const i = list.indexOf(item);
  if (present && i < 0) list.push(item);
  if (!present && i >= 0) list.splice(i, 1);
}

/** A list in a fixed canonical order, so the order never hints at how an option was made. */
export function ordered(list: readonly string[], canon: readonly string[]): string[] {
  return [...list].sort((a, b) => canon.indexOf(a) - canon.indexOf(b));
}

/** A priced list (extras, insurance plans) in a fixed canonical order, like `ordered`. */
export function orderedPrices(prices: Readonly<Record<string, number>>, canon: readonly string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const k of canon) if (k in prices) out[k] = prices[k];
  return out;
}

/** Paid extras a draft offers: each of `names` with probability `chance`, at a whole price in `[lo, hi]`. */
export function randomExtras(rng: Rng, names: readonly string[], chance: number, [lo, hi]: [number, number]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const name of names) if (rng.chance(chance)) out[name] = rng.int(lo, hi);
  return out;
}

export function listField(o: OptionJson, field: string): string[] {
  const v = o[field];
  return Array.isArray(v) ? v.map(String) : [];
}

export function recordField(o: OptionJson, field: string): Record<string, unknown> {
  const v = o[field];
  return v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

export function numberField(o: OptionJson, field: string): number {
  const v = o[field];
  return typeof v === "number" ? v : Number.NaN;
}

/** A template for "the option includes <item>" on a list field (amenities, tags). */
export function featureTemplate<D>(spec: {
  key: string;
  item: string;
  field: string;
  subcategory: string;
  question: string;
  text: string;
  implicit: string;
  list(d: D): string[];
}): PrefTemplate<D> {
  return {
    key: spec.key,
    slot: `${spec.field}:${spec.item}`,
    subcategory: spec.subcategory,
    question: spec.question,
    values: [null],
    text: () => spec.text,
    implicit: () => spec.implicit,
    test: (o) => listField(o, spec.field).includes(spec.item),
    force: (d, want) => toggle(spec.list(d), spec.item, want),
  };
}

/** A template for "the extra <name> is offered" on a service field (name → price). */
export function serviceTemplate<D>(spec: {
  key: string;
  name: string;
  subcategory: string;
  question: string;
  text: string;
  implicit: string;
  price: [number, number];
  service(d: D): Record<string, number>;
}): PrefTemplate<D> {
  return {
    key: spec.key,
    slot: `service:${spec.name}`,
    subcategory: spec.subcategory,
    question: spec.question,
    values: [null],
    text: () => spec.text,
    implicit: () => spec.implicit,
    test: (o) => spec.name in recordField(o, "service"),
    force: (d, want, _v, rng) => {
      const s = spec.service(d);
      if (want) s[spec.name] ??= rng.int(spec.price[0], spec.price[1]);
      else delete s[spec.name];
    },
  };
}

/** A template for "rating at least X" (ratings are one decimal on a 0–10 scale). */
export function ratingTemplate<D>(spec: {
  key: string;
  values: readonly number[];
  question: string;
  text(v: number): string;
  implicit(v: number): string;
  rating(d: D, set?: number): number;
}): PrefTemplate<D> {
  return {
    key: spec.key,
    slot: "rating",
    subcategory: "rating",
    question: spec.question,
    values: spec.values,
    text: (v) => spec.text(Number(v)),
    implicit: (v) => spec.implicit(Number(v)),
    test: (o, v) => numberField(o, "rating") >= Number(v),
    force: (d, want, v, rng) => {
      const t = Number(v);
      const r = spec.rating(d);
      if (want && !(r >= t)) spec.rating(d, round1(rng.uniform(t, Math.min(9.8, t + 1.2))));
      if (!want && r >= t) spec.rating(d, round1(rng.uniform(Math.max(5, t - 2), t - 0.3)));
    },
  };
}

export function round1(x: number): number {
  return Math.round(x * 10) / 10;
}

/** A price range for the whole stay, from a range per night (or rental day). */
export function stayPriceRange(perNightLow: number, perNightHigh: number): (trip: AspectTrip) => [number, number] {
  return (trip) => {
    const n = stayLength(trip);
    return [perNightLow * n, perNightHigh * n];
  };
}

/** Nights (or rental days) of a stay, at least one. */
export function stayLength(trip: AspectTrip): number {
  if (trip.days.length < 2) return 1;
  const [a, b] = trip.days;
  const t0 = Date.UTC(2025, a.month - 1, a.day);
  let t1 = Date.UTC(2025, b.month - 1, b.day);
  if (t1 < t0) t1 = Date.UTC(2026, b.month - 1, b.day);
  return Math.max(1, Math.round((t1 - t0) / 86_400_000));
}

/** A name not used yet among `taken`, built by `make` (adds a suffix after a few tries). */
export function uniqueName(taken: Set<string>, make: () => string): string {
  for (let i = 0; i < 20; i++) {
    const n = make();
    if (!taken.has(n)) {
      taken.add(n);
      return n;
    }
  }
  let k = 2;
  const base = make();
  while (taken.has(`${base} ${k}`)) k++;
  taken.add(`${base} ${k}`);
  return `${base} ${k}`;
}
