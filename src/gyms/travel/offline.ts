/**
 * The deterministic offline user of TravelGym (`--user offline`), covering every role:
 *
 * - search judge: the query must name exactly one aspect of the trip, contain every ground-truth argument
 *   of that aspect (places matched through aliases, dates in any common format), and name no other date or
 *   known city;
 * - utterance classifier: a question that names the same concept as a remaining preference (through the
 *   travel lexicon, within the aspect the question names) is type 2; a specific question no remaining
 *   preference matches is type 3; a general "any preferences?" question, or a checklist naming more than
 *   two subjects, is type 4; a remark that asks nothing is type 1;
 * - replies: the preference's implicit elicitation statement (type 2), the same statement introduced with
 *   its aspect (proactive), or a neutral line (type 1), chosen deterministically.
 */
import { aspectsNamed, isAspect, LABEL, type Aspect } from "./aspects.js";
import { findDays, dayKey } from "./dates.js";
import { conceptsIn, isQuestion, isVague, preferenceConcepts } from "./lexicon.js";
import { findPlaces, isKnownPlace, placeKey } from "./places.js";
import { hashSeed } from "../kit/random.js";
import type { Classification, RoleOutcome, SearchVerdict, TravelRoles } from "./roles.js";
import type { Preference, Scenario } from "./scenario.js";
import type { PersonaVoice } from "../../personas/voice.js";

const NEUTRAL = [
  "Sure, that sounds fine to me.",
  "Okay.",
  "I don't have anything in particular to add on that.",
  "Alright, go ahead.",
  "Sounds good.",
];
const LEAD_INS = ["", "Good question. ", "Hmm, let me think. ", "Well, "];

/** Subjects one concrete question may name. */
export const MAX_SUBJECTS = 2;

const done = <T>(value: T): RoleOutcome<T> => ({ value, calls: [] });

/** Every leaf value of a ground-truth argument object, as text. */
function leaves(v: unknown): string[] {
  if (v === null || v === undefined) return [];
  if (typeof v === "string" || typeof v === "number" || typeof v === "boolean") return [String(v)];
  if (Array.isArray(v)) return v.flatMap(leaves);
  if (typeof v === "object") return Object.values(v as Record<string, unknown>).flatMap(leaves);
  return [];
}

const normalise = (s: string): string => s.toLowerCase().replace(/[^a-z0-9]+/g, " ").trim();

/** Whether the query states one argument value: the same date, the same place, or the same words. */
function states(query: string, value: string, queryDays: Set<string>, queryPlaces: Set<string>): boolean {
  const days = findDays(value);
  if (days.length === 1) {
    const rest = value.slice(0, days[0].start) + value.slice(days[0].end);
    if (!/[a-z0-9]/i.test(rest)) return queryDays.has(dayKey(days[0]));
  }
  if (queryPlaces.has(placeKey(value))) return true;
  const v = normalise(value);
  return v.length > 0 && ` ${normalise(query)} `.includes(` ${v} `);
}

export function offlineSearchVerdict(query: string, scenario: Scenario): SearchVerdict {
  const named = aspectsNamed(query);
  if (named.length !== 1) return { verdict: "False" };
  const aspect = named[0];
  const block = scenario.blocks[aspect];
  if (!scenario.dimensions.includes(aspect) || !block) return { verdict: "False" };
  const values = leaves(block.arguments);
  const queryDays = new Set(findDays(query).map(dayKey));
  const places = findPlaces(query).filter((p) => isKnownPlace(p.text.replace(/,.*$/, "")));
  const queryPlaces = new Set(places.map((p) => p.key));
  if (!values.every((v) => states(query, v, queryDays, queryPlaces))) return { verdict: "False" };
  // Nothing beyond the ground truth: no other date, no other known city.
  const argDays = new Set(values.flatMap((v) => findDays(v).map(dayKey)));
  const argPlaces = new Set(values.map(placeKey));
  if ([...queryDays].some((d) => !argDays.has(d))) return { verdict: "False" };
  if ([...queryPlaces].some((p) => !argPlaces.has(p))) return { verdict: "False" };
  return { verdict: "True", aspect };
}

/** The aspect a preference belongs to, for matching against the aspect a question names. */
function prefAspect(p: Preference): Aspect {
  const a = p.aspect.toLowerCase().replace(/\s+/g, "_");
  return isAspect(a) ? a : p.dimension;
}

export function offlineClassify(utterance: string, remaining: readonly Preference[], scenario: Scenario): Classification {
  const concepts = conceptsIn(utterance);
  const named = aspectsNamed(utterance);
  // A question names its aspect, or else may mean any aspect of the trip.
  const scope = named.length ? named : scenario.dimensions;
  if (!isQuestion(utterance)) return { type: "1" };
  if (concepts.size === 0) return { type: isVague(utterance) ? "4" : "1" };
  // A checklist of many subjects is not a concrete question: it would elicit something every turn.
  if (concepts.size > MAX_SUBJECTS) return { type: "4" };
  let best: { pref: Preference; score: number } | undefined;
  for (const pref of remaining) {
    if (!scope.includes(prefAspect(pref))) continue;
    const own = preferenceConcepts(pref.subcategory, pref.preference);
    let score = 0;
    for (const c of own) if (concepts.has(c)) score++;
    if (score > 0 && (!best || score > best.score)) best = { pref, score };
  }
  return best ? { type: "2", preferenceId: best.pref.id } : { type: "3" };
}

function pick<T>(items: readonly T[], key: string): T {
  return items[hashSeed(key) % items.length];
}

export function offlinePreferenceReply(pref: Preference, utterance: string): string {
  return `${pick(LEAD_INS, `${pref.id}|${utterance}`)}${pref.implicit}`;
}

export function offlineProactiveReply(pref: Preference): string {
  const a = prefAspect(pref);
  return `By the way, about the ${LABEL[a]}: ${pref.implicit}`;
}

export function offlineNaturalReply(utterance: string, turn: number): string {
  return pick(NEUTRAL, `${turn}|${utterance}`);
}

/** A vague traveller's first answers about a preference: the aspect is acknowledged, the preference not yet said. */
export function offlineHedgedReply(pref: Preference): string {
  return `Hmm, about the ${LABEL[prefAspect(pref)]}... there is something, I think, but I can't quite put it into words yet.`;
}

/** The offline traveller's replies in a persona's voice (one voice per episode: a vague user hedges only at first). */
export function voicedOfflineRoles(voice: PersonaVoice): TravelRoles {
  if (!voice.active) return offlineRoles;
  return {
    ...offlineRoles,
    preferenceReply: async (pref, _history, utterance) => done(voice.speak(offlinePreferenceReply(pref, utterance), offlineHedgedReply(pref))),
    proactiveReply: async (pref) => done(voice.speak(offlineProactiveReply(pref))),
    naturalReply: async (history, utterance) => done(voice.speak(offlineNaturalReply(utterance, history.length))),
  };
}

export const offlineRoles: TravelRoles = {
  judgeSearch: async (query, scenario) => done(offlineSearchVerdict(query, scenario)),
  classify: async (utterance, _history, remaining, scenario) => done(offlineClassify(utterance, remaining, scenario)),
  preferenceReply: async (pref, _history, utterance) => done(offlinePreferenceReply(pref, utterance)),
  proactiveReply: async (pref) => done(offlineProactiveReply(pref)),
  naturalReply: async (history, utterance) => done(offlineNaturalReply(utterance, history.length)),
};
