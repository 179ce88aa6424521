/**
 * One SearchGym episode: answer a Bamboogle question, with up to 5 web searches (spec/gyms-tools.md §4).
 * Feedback text, rewards (1 for a correct answer, else 0) and ending (a correct answer or `[finish]`; the
 * step limit truncates) follow the reference.
 *
 * Fixed by default (`compat: "userrl-2025"` restores the reference):
 * - only searches that ran use up one of the 5 search slots: an empty or over-long query, or a provider
 *   failure (an outage is not the agent's doing), does not;
 * - queries over 500 characters and answers over 200 characters are refused with feedback (the reference
 *   sends them on: a stuffed answer listing many candidates could talk the judge into a "Yes");
 * - the answer match is more tolerant of formatting (see `match.ts`), and a judge that gives no usable
 *   verdict leaves the answer unjudged instead of wrong (see `roles.ts`).
 * Not reproduced in either mode: the reference's blocking Serper call, which on an empty result page
 * retried for 30 s before answering "Search Error: Timeout"; here that is "No results found.".
 */
import type { Action } from "../../core/action.js";
import type { ResetResult, RoleCall } from "../../core/types.js";
import { KitEpisode, optionsCheck, optionsError, type Played } from "../kit/episode.js";
import { ModelError } from "../../models/types.js";
import { judgeAnswer, judgeRole } from "./roles.js";
import { playedBy } from "../kit/choose.js";
import { exactMatch } from "./match.js";
import { searchFeedback } from "./providers/format.js";
import { SEARCH_ENV, SEARCH_SPEC_HELP, resolveSearchProvider, searchSpecProblem } from "./providers/spec.js";
import { SearchError, type SearchProvider } from "./providers/types.js";
import { z } from "zod";

export interface SearchPayload {
  question: string;
  answer: string;
}

export const MAX_QUERY_CHARS = 500;
export const MAX_ANSWER_CHARS = 200;

export const MSG = {
  reset: "New question loaded. You can [search] for information or [answer] directly.",
  maxSearches: "You have reached the maximum number of search steps. Please provide an answer in your next action. Do not search again.",
  emptyQuery: "Search query is empty. Please provide a search query.",
  emptyAnswer: "Answer is empty. Please provide an answer.",
  unjudged: "Your answer could not be checked right now. Please submit your answer again.",
  invalid: "Invalid action format. Please choose provide a search or answer in correct format.",
  longQuery: (n: number) => `Search query is too long (${n} characters). Please search with at most ${MAX_QUERY_CHARS} characters.`,
  longAnswer: (n: number) => `Answer is too long (${n} characters). Please answer with a short phrase of at most ${MAX_ANSWER_CHARS} characters.`,
  searchFailed: (why: string) => `Search failed: ${why}`,
  correct: (a: string) => `Correct! Your answer '${a}' is correct.`,
  incorrect: (a: string) => `Incorrect. Your answer '${a}' is not correct.`,
  finished: (gold: string) => `Episode finished without correct answer. The correct answer was: ${gold}`,
};

const providerLike = z.custom<SearchProvider>(
  (v) => typeof v === "object" && v !== null && typeof (v as SearchProvider).search === "function" && typeof (v as SearchProvider).spec === "string",
  "expected a search spec string or a SearchProvider",
);

/** `ctx.options` of SearchGym. */
export const searchOptionsSchema = z
  .object({
    /** A search spec (see providers/spec.ts) or a provider object; default: `USERRL_SEARCH`. */
    search: z.union([z.string(), providerLike]).optional(),
    /** Search slots per episode (the reference: 5). */
    maxSearchSteps: z.number().int().min(0).default(5),
    /** Results shown per search (the reference: 5). */
    maxResults: z.number().int().min(1).max(20).default(5),
  })
  .strict();

export type SearchGymOptions = z.input<typeof searchOptionsSchema>;

interface Outcome {
  feedback: string;
  reward: number;
  terminated: boolean;
  info?: Record<string, unknown>;
  roleCalls?: RoleCall[];
  fallbacks?: string[];
}

export class SearchEpisode extends KitEpisode<SearchPayload> {
  protected readonly truncation = "at-limit";
  /** Over-long queries and answers get their own feedback, naming their length, so they are read whole. */
  protected override readonly wholeActions = true;
  private searches = 0;
  private answeredCorrectly = false;
  private submitted: string | null = null;
  private provider?: SearchProvider;
  private options?: z.output<typeof searchOptionsSchema>;

  protected async opening(): Promise<ResetResult> {
    const parsed = searchOptionsSchema.safeParse(this.ctx.options);
    if (!parsed.success) throw new SearchError(optionsError("search", parsed.error), "config");
    this.options = parsed.data;
    this.provider = await providerFor(parsed.data.search);
    Object.assign(this, { searches: 0, answeredCorrectly: false, submitted: null });
    return { feedback: MSG.reset, info: { question_id: this.task.id, question: this.task.payload.question, provider: this.provider.spec } };
  }

  protected async play(action: Action): Promise<Played> {
    if (!this.provider || !this.options) throw new Error("SearchEpisode.step called before reset()");
    const out = await this.apply(action);
    return {
      feedback: out.feedback,
      reward: out.reward,
      done: out.terminated,
      info: ({ totalReward }) => ({
        question_id: this.task.id,
        step: this.steps,
        searches_used: this.searches,
        submitted_answer: this.submitted,
        answered_correctly: this.answeredCorrectly,
        total_reward: totalReward,
        ...out.info,
      }),
      roleCalls: out.roleCalls,
      fallbacks: out.fallbacks,
    };
  }

  private apply(action: Action): Promise<Outcome> | Outcome {
    // Tags are case-sensitive in the reference: `[Search] x` is not a search.
    switch (action.exactTag ? action.choice : null) {
      case "search":
        return this.search(wellFormed(action.content));
      case "answer":
        return this.answer(wellFormed(action.content));
      case "finish":
        return { feedback: MSG.finished(this.task.payload.answer), reward: 0, terminated: true };
      default:
        return { feedback: MSG.invalid, reward: 0, terminated: false };
    }
  }

  private async search(query: string): Promise<Outcome> {
    const fixed = this.ctx.compat === "fixed";
    const max = this.options!.maxSearchSteps;
    const none = (feedback: string): Outcome => ({ feedback, reward: 0, terminated: false });
    if (!fixed) this.searches++;
    if (fixed ? this.searches >= max : this.searches > max) return none(MSG.maxSearches);
    if (!query) return none(MSG.emptyQuery);
    if (fixed && query.length > MAX_QUERY_CHARS) return none(MSG.longQuery(query.length));

    const provider = this.provider!;
    const started = performance.now();
    const call: RoleCall = { role: "search", model: provider.spec, usage: { promptTokens: 0, completionTokens: 0 }, latencyMs: 0 };
    try {
      const entries = await provider.search(query, { maxResults: this.options!.maxResults, signal: this.ctx.signal });
      call.latencyMs = performance.now() - started;
      if (fixed) this.searches++;
      return {
        feedback: searchFeedback(query, entries, this.options!.maxResults),
        reward: 0,
        terminated: false,
        info: { searches_used: this.searches, search: { query, results: Math.min(entries.length, this.options!.maxResults) } },
        roleCalls: [call],
      };
    } catch (err) {
      const why = err instanceof Error ? err.message : String(err);
      call.latencyMs = performance.now() - started;
      call.fallback = why;
      // A cancelled search (Ctrl-C) is reported like a failure; the rollout loop then ends the episode as aborted.
      return {
        feedback: MSG.searchFailed(why),
        reward: 0,
        terminated: false,
        info: { searches_used: this.searches, search: { query, error: why } },
        roleCalls: [call],
        fallbacks: [`search via ${provider.spec} failed: ${why}`],
      };
    }
  }

  private async answer(answer: string): Promise<Outcome> {
    const fixed = this.ctx.compat === "fixed";
    if (!answer) return { feedback: MSG.emptyAnswer, reward: 0, terminated: false };
    if (fixed && answer.length > MAX_ANSWER_CHARS) return { feedback: MSG.longAnswer(answer.length), reward: 0, terminated: false };
    this.submitted = answer;
    const { question, answer: gold } = this.task.payload;
    let correct: boolean | null = exactMatch(answer, gold, this.ctx.compat);
    let judge = "exact";
    let calls: RoleCall[] | undefined;
    let fallbacks: string[] | undefined;
    if (!correct && playedBy(this.ctx, judgeRole) === "model") {
      try {
        const v = await judgeAnswer(this.ctx, question, gold, answer);
        calls = v.calls;
        fallbacks = v.fallback ? [v.fallback] : undefined;
        correct = v.correct;
      } catch (err) {
        // Only a cancelled run gets here (other judge failures are verdicts or fallbacks): leave it unjudged.
        if (!(err instanceof ModelError && err.kind === "aborted")) throw err;
        fallbacks = ["search.judge: the call was cancelled"];
        correct = null;
      }
      judge = correct === null ? "unjudged" : "llm";
    }
    this.answeredCorrectly = correct === true;
    const base = { reward: 0, terminated: false, info: { judge, submitted_answer: answer, answered_correctly: this.answeredCorrectly }, roleCalls: calls, fallbacks };
    if (correct === null) return { ...base, feedback: MSG.unjudged };
    if (!correct) return { ...base, feedback: MSG.incorrect(answer) };
    return { ...base, feedback: MSG.correct(answer), reward: 1, terminated: true };
  }
}

/** Why SearchGym cannot search with these options (no provider given, none in the environment), if so. */
export function missingProvider(options: Readonly<Record<string, unknown>>): string | undefined {
  if (options.search !== undefined || process.env[SEARCH_ENV]?.trim()) return undefined;
  return `SearchGym needs a search provider: set ${SEARCH_ENV} to ${SEARCH_SPEC_HELP} (or pass the gym option search)`;
}

/** SearchGym's `checkOptions`: the options schema, and the search spec in use (its scheme, options, a BM25 corpus file). */
export const checkSearchOptions = optionsCheck("search", searchOptionsSchema, (o) => {
  const spec = typeof o.search === "string" ? o.search : o.search === undefined ? process.env[SEARCH_ENV]?.trim() || undefined : undefined;
  return spec === undefined ? undefined : searchSpecProblem(spec);
});

/** The episode's provider: `options.search`, else `USERRL_SEARCH`; a clear error when neither is set. */
async function providerFor(option: string | SearchProvider | undefined): Promise<SearchProvider> {
  if (option !== undefined && typeof option !== "string") return option;
  const missing = missingProvider({ search: option });
  if (missing) throw new SearchError(missing, "config");
  return resolveSearchProvider(option ?? process.env[SEARCH_ENV]!);
}

/** Lone UTF-16 surrogates (from broken model output) become U+FFFD, so every layer gets valid text. */
function wellFormed(s: string): string {
  return s.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, "\uFFFD");
}
