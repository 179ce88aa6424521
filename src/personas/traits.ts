/**
 * The built-in persona traits: named, documented behaviour profiles for a gym's simulated user.
 * Each trait has parameters (validated, with defaults), the words appended to every user-seat LLM prompt
 * (our own words), and a one-line summary for `--help`, reports and the README. Offline users read the
 * same names and parameters from `PersonaView.traits`; `impatient` is enforced for every gym by
 * `personaEpisode` (episode.ts), since ending the conversation is gym-independent.
 */
import { z } from "zod";

export interface TraitDefinition {
  summary: string;
  /** Parameters as `name:key=value`; unknown keys are refused. */
  params: z.ZodType<Record<string, unknown>>;
  /** What the user-seat LLM is told, given the parsed parameters. */
  instructions(params: Record<string, unknown>): string;
}

const turns = (fallback: number) => z.coerce.number().int().min(1).max(100).default(fallback);

const noParams = z.object({}).strict();

export const TRAITS = {
  cooperative: {
    summary: "today's behaviour: answers what is asked, plainly and truthfully (the default)",
    params: noParams,
    instructions: () => "",
  },
  terse: {
    summary: "answers in as few words as it can; never adds what was not asked",
    params: z.object({ words: turns(8) }).strict(),
    instructions: (p) =>
      `Keep every reply very short: at most about ${p.words} words, no greetings, no explanations, nothing beyond what the question asks.`,
  },
  verbose: {
    summary: "wraps every answer in chatter: restates the question, thinks aloud, adds asides",
    params: noParams,
    instructions: () =>
      "Be talkative: restate what you were asked, think aloud, add small asides about yourself, and only then give your answer. The answer itself must stay correct.",
  },
  proactive: {
    summary: "volunteers a useful hint now and then without being asked, as the paper's real users did",
    params: noParams,
    instructions: () =>
      "Be helpful beyond the question: now and then offer one piece of information the assistant has not asked for but would find useful. Never state the hidden answer itself outright.",
  },
  impatient: {
    summary: "ends the conversation after N turns in a row that earn nothing (turns=3)",
    params: z.object({ turns: turns(3) }).strict(),
    instructions: (p) =>
      `You are short of time. Show it. If the assistant spends ${p.turns} turns in a row without getting anywhere, say you have to go and stop.`,
  },
  vague: {
    summary: "answers the first N questions ambiguously, and precisely only when asked again (turns=2)",
    params: z.object({ turns: turns(2) }).strict(),
    instructions: (p) =>
      `For your first ${p.turns} replies, answer vaguely: hedge, say "sort of" or "something like that", and leave the exact answer open. When the assistant asks again about the same thing, answer precisely.`,
  },
  mistaken: {
    summary: "states one wrong belief about the task early, and corrects it when the assistant checks",
    params: noParams,
    instructions: () =>
      "Early on, state one thing about what you want or have in mind that is wrong (a slip, not a lie). When the assistant asks about it or checks it, correct yourself and stay with the truth from then on.",
  },
  inconsistent: {
    summary: "words the same facts differently from turn to turn, within what the task's truth allows",
    params: noParams,
    instructions: () =>
      "Do not answer like a form: vary how you put things from one reply to the next, sound unsure at times, and change minor wording. Never contradict the facts of your task.",
  },
} satisfies Record<string, TraitDefinition>;

export type TraitName = keyof typeof TRAITS;

export const TRAIT_NAMES = Object.keys(TRAITS) as TraitName[];

export function isTrait(name: string): name is TraitName {
  return Object.hasOwn(TRAITS, name);
}
