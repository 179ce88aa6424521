/**
 * What a first user message says about each aspect of the trip: where (route or city) and when.
 *
 * The generator turns this into the scenario's ground-truth search arguments, so a search that restates
 * the user's own words is the correct search; the baseline agent reads the same message the same way.
 * The messages are short, regular English ("I need a one-way flight from New York to Tokyo on April
 * 10th and a hotel in Tokyo from April 10th to April 15th"), read here with simple positional rules:
 * each aspect owns the text from its mention to the next aspect's mention, and borrows the sentence's
 * (or the trip's) dates and city where its own part names none.
 */
import { ASPECT_WORDS, ASPECTS, type Aspect } from "./aspects.js";
import { findDays, formatDay, nightsBetween, type DayMention } from "./dates.js";
import { findPlaces, type PlaceMention } from "./places.js";

export interface Day {
  month: number;
  day: number;
}

export interface AspectTrip {
  aspect: Aspect;
  /** Flights: departure and arrival places. */
  origin?: string;
  destination?: string;
  /** Everything else: the city. */
  location?: string;
  /** The dates that apply: a flight's departure (and arrival, when stated); a stay's first and last day. */
  days: Day[];
}

export type Trip = Partial<Record<Aspect, AspectTrip>>;

/** "…for the same dates", "…for the duration": the stay borrows the dates stated just before. */
const SAME_DATES = /\bsame (?:dates?|period|time|days)\b|\b(?:entire|whole) (?:duration|stay|trip|period)\b|\bfor the duration\b/i;

/** "…dine there on the same day": the day stated just before. */
const SAME_DAY = /\bsame day\b/i;

/** Words that mark a place as a connection, never an origin, destination or stay. */
const CONNECTION_BEFORE = /(?:layovers?|stopovers?|connections?|connecting|stop|stops|via|through)\s+(?:in\s+|at\s+)?$/i;

interface Mention {
  aspect: Aspect;
  start: number;
}

interface Sentence {
  start: number;
  end: number;
}

function sentences(text: string): Sentence[] {
  const out: Sentence[] = [];
  let start = 0;
  for (const m of text.matchAll(/[.!?](?=\s+[A-Z])/g)) {
    out.push({ start, end: m.index + 1 });
    start = m.index + 1;
  }
  out.push({ start, end: text.length });
  return out;
}

/** Trip descriptions also name the flight by its departure ("departing on April 10th"). */
const DESCRIPTION_WORDS: Partial<Record<Aspect, RegExp>> = {
  flight: new RegExp(`${ASPECT_WORDS.flight.source}|\\b(?:depart\\w*|one-way)\\b`, "i"),
};

function mentions(text: string, aspects: readonly Aspect[]): Mention[] {
  const out: Mention[] = [];
  for (const aspect of aspects) {
    const re = new RegExp((DESCRIPTION_WORDS[aspect] ?? ASPECT_WORDS[aspect]).source, "gi");
    for (let m = re.exec(text); m; m = re.exec(text)) out.push({ aspect, start: m.index });
  }
  return out.sort((a, b) => a.start - b.start);
}

/** Items written inside [a, b) (dates by their anchor). */
/** The aspects a trip description mentions, in order of first mention. */
export function aspectsInDescription(description: string): Aspect[] {
  const text = description.split("\nAlso my budget")[0];
  const seen: Aspect[] = [];
  for (const m of mentions(text, ASPECTS)) if (!seen.includes(m.aspect)) seen.push(m.aspect);
  return seen;
}

const inSpan = <T extends { start: number; at?: number }>(xs: T[], a: number, b: number): T[] =>
  xs.filter((x) => (x.at ?? x.start) >= a && (x.at ?? x.start) < b);

/** Read the trip of each aspect from a first user message. */
export function parseTrip(description: string, aspects: readonly Aspect[]): Trip {
  const text = description.split("\nAlso my budget")[0];
  const places = findPlaces(text).filter((p) => !CONNECTION_BEFORE.test(text.slice(Math.max(0, p.start - 30), p.start)));
  const all = mentions(text, aspects);
  const sents = sentences(text);
  const sentenceOf = (pos: number): Sentence => sents.find((s) => pos >= s.start && pos < s.end) ?? { start: 0, end: text.length };
  const days = anchorDays(text, findDays(text), all, sentenceOf);
  const before = (p: PlaceMention, word: RegExp): boolean => word.test(text.slice(Math.max(0, p.start - 12), p.start));
  const isFrom = (p: PlaceMention) => before(p, /\bfrom\s+$/i);
  const isTo = (p: PlaceMention) => before(p, /\b(?:to|into)\s+$/i);

  // The trip's main city: where the flight goes, else the first place the user goes to or stays in.
  const flightTo = places.find(isTo);
  const tripCity = flightTo ?? places.find((p) => !isFrom(p)) ?? places[0];
  // The trip's dates: the first pair of dates in one sentence, else every date.
  const tripDays = (() => {
    for (const s of sents) {
      const ds = inSpan(days, s.start, s.end);
      if (ds.length >= 2) return ds.slice(0, 2);
    }
    return days.slice(0, 2);
  })();

  const trip: Trip = {};
  for (const aspect of aspects) {
    const own = all.filter((m) => m.aspect === aspect);
    if (own.length === 0) {
      trip[aspect] = { aspect, ...placeFor(aspect, undefined), days: completeStay(aspect, pickDays(aspect, tripDays, "")) };
      continue;
    }
    // The text each mention owns: up to the next mention of another aspect in its sentence.
    const spans = own.map((m) => {
      const s = sentenceOf(m.start);
      const next = all.find((x) => x.start > m.start && x.aspect !== aspect && x.start < s.end);
      return { mention: m, sentence: s, start: m.start, end: next ? next.start : s.end };
    });
    const withDays = spans.find((sp) => inSpan(days, sp.start, sp.end).length > 0);
    let chosen: AnchoredDay[];
    let spanText = "";
    if (withDays) {
      chosen = inSpan(days, withDays.start, withDays.end);
      spanText = text.slice(withDays.start, withDays.end);
    } else {
      const sp = spans[0];
      const firstInSentence = all.find((x) => x.start >= sp.sentence.start && x.start < sp.sentence.end)!;
      const lead = inSpan(days, sp.sentence.start, firstInSentence.start);
      const earlier = inSpan(days, sp.sentence.start, sp.start);
      const later = inSpan(days, sp.end, sp.sentence.end);
      const ownText = text.slice(sp.start, sp.end);
      if (SAME_DAY.test(ownText)) chosen = earlier.length ? earlier.slice(-1) : tripDays.slice(0, 1);
      else if (SAME_DATES.test(ownText)) chosen = earlier.length >= 2 ? earlier.slice(-2) : tripDays;
      else chosen = lead.length ? lead : later.length ? later : tripDays;
    }
    trip[aspect] = { aspect, ...placeFor(aspect, spans[0]), days: completeStay(aspect, pickDays(aspect, chosen, spanText)) };
  }
  return trip;

  /**
   * A stay that names one date gets the other from the context: "until December 20th" ends a stay that
   * began at the sentence's (or trip's) previous date; a lone start date runs to the trip's end.
   */
  function completeStay(aspect: Aspect, ds: AnchoredDay[]): Day[] {
    if (aspect === "flight" || aspect === "restaurant" || ds.length !== 1) return ds.map(strip);
    const d = ds[0];
    if (/\b(?:until|till|through)\s+$/i.test(text.slice(Math.max(0, d.start - 9), d.start))) {
      const s = sentenceOf(d.start);
      const earlier = days.filter((x) => x.start < d.start && x.start >= s.start).at(-1) ?? tripDays.find((x) => isBefore(x, d));
      return earlier ? [strip(earlier), strip(d)] : [strip(d)];
    }
    const s = sentenceOf(d.start);
    const end = days.find((x) => x.start > d.start && x.start < s.end && isBefore(d, x)) ?? tripDays.find((x) => isBefore(d, x));
    return end ? [strip(d), strip(end)] : [strip(d)];
  }

  function placeFor(aspect: Aspect, sp: { start: number; end: number; sentence: Sentence } | undefined): Partial<AspectTrip> {
    const near = (pred: (p: PlaceMention) => boolean): PlaceMention | undefined => {
      if (!sp) return places.find(pred);
      return (
        inSpan(places, sp.start, sp.end).find(pred) ??
        [...inSpan(places, sp.sentence.start, sp.start)].reverse().find(pred) ??
        inSpan(places, sp.end, sp.sentence.end).find(pred) ??
        places.find(pred)
      );
    };
    if (aspect === "flight") {
      const origin = near(isFrom);
      const destination = near((p) => isTo(p) && p.key !== origin?.key) ?? (tripCity && tripCity.key !== origin?.key ? tripCity : undefined);
      return { origin: origin?.text, destination: destination?.text };
    }
    const stay = near((p) => !isFrom(p) || p === tripCity) ?? tripCity;
    return { location: stay?.text };
  }
}

interface AnchoredDay extends DayMention {
  /** Where the date counts as written: a date that opens the next clause belongs to that clause's aspect. */
  at: number;
}

/**
 * "…and on November 18th, I will dine at a restaurant": a date followed by a short clause that leads
 * straight to the next mention belongs to that mention, not to the text before it.
 */
function anchorDays(text: string, days: DayMention[], all: Mention[], sentenceOf: (pos: number) => Sentence): AnchoredDay[] {
  return days.map((d) => {
    const next = all.find((m) => m.start > d.end && m.start < sentenceOf(d.start).end);
    const between = next ? text.slice(d.end, next.start) : "";
    const opensClause = /\bon\s+$/i.test(text.slice(Math.max(0, d.start - 4), d.start)) && /^,\s*(?:I|we)\b[^,.;\d]*$/i.test(between);
    return { ...d, at: opensClause && next ? next.start : d.start };
  });
}

function strip(d: Day): Day {
  return { month: d.month, day: d.day };
}

/** Calendar order within one trip (a trip may cross New Year, so "later" means within half a year). */
function isBefore(a: Day, b: Day): boolean {
  const n = nightsBetween(a, b);
  return n > 0 && n < 183;
}

function pickDays(aspect: Aspect, ds: readonly AnchoredDay[], spanText: string): AnchoredDay[] {
  if (aspect === "flight") return /\barriv/i.test(spanText) ? ds.slice(0, 2) : ds.slice(0, 1);
  return ds.slice(0, 2);
}

/** The ground-truth search arguments of one aspect, in the words of the user's message. */
export function searchArguments(t: AspectTrip): Record<string, string> {
  const d = t.days.map(formatDay);
  switch (t.aspect) {
    case "flight":
      return compact({ origin: t.origin, destination: t.destination, departure_date: d[0], arrival_date: d[1] });
    case "hotel":
    case "apartment":
      return compact({ location: t.location, check_in_date: d[0], check_out_date: d[1] });
    case "rental_car":
      return compact({ location: t.location, pickup_date: d[0], return_date: d[1] });
    case "restaurant":
      return d.length > 1 ? compact({ location: t.location, start_date: d[0], end_date: d[1] }) : compact({ location: t.location, date: d[0] });
  }
}

function compact(o: Record<string, string | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(o)) if (v) out[k] = v;
  return out;
}
