/**
 * SearchGym: answer a multi-hop factual question (Bamboogle) with up to 5 web searches.
 * Rules, rewards and feedback follow the reference (spec/gyms-tools.md §4); the episode is in
 * `episode.ts`, its tasks in `tasks.ts`, answer matching in `match.ts`, the LLM judge in `roles.ts`, search providers (Serper,
 * SearXNG, offline BM25) in `providers/`, the scripted baseline in `baseline.ts`.
 */
import type { GymDefinition } from "../../core/types.js";
import { buildSystemPrompt } from "../kit/system-prompt.js";
import { roleInfo } from "../kit/roles.js";
import { binaryScoring } from "../kit/scoring.js";
import { judgeRole } from "./roles.js";
import { SearchBaseline } from "./baseline.js";
import { checkSearchOptions, MAX_ANSWER_CHARS, missingProvider, SearchEpisode, type SearchPayload } from "./episode.js";
import { loadTasks } from "./tasks.js";

export { SearchEpisode, searchOptionsSchema, type SearchGymOptions, type SearchPayload } from "./episode.js";
export { SearchBaseline } from "./baseline.js";
export { exactMatch } from "./match.js";
export { resolveSearchProvider, parseSearchSpec, SEARCH_ENV } from "./providers/spec.js";
export { Bm25Index, Bm25Provider, loadCorpus } from "./providers/bm25.js";
export { SerperProvider } from "./providers/serper.js";
export { SearxngProvider } from "./providers/searxng.js";
export { SearchError, type SearchEntry, type SearchProvider } from "./providers/types.js";

export const searchGym: GymDefinition<SearchPayload> = {
  name: "search",
  title: "SearchGym",
  summary: "Answer a multi-hop factual question, searching the web at most 5 times.",
  choices: ["search", "answer"],
  metric: "binary",
  scoring: binaryScoring("Success: a correct answer (exact match, else the LLM judge) pays 1 once."),
  offline: true,
  roles: [roleInfo(judgeRole)],
  offlineUser:
    "rule-based answer check only (normalised exact match, no LLM judge); searches still need a provider, e.g. USERRL_SEARCH=bm25:<corpus.jsonl>",
  tasks: loadTasks,
  missing: missingProvider,
  checkOptions: checkSearchOptions,
  systemPrompt: () =>
    buildSystemPrompt({
      environment:
        "The user asks you a factual question. Most questions need two or more facts combined (for example, first find " +
        "who or what is meant, then look up the detail asked about). You can search the web: each search returns up to " +
        "five results, each a title with a snippet or a direct answer. You have at most 5 searches per question.",
      choices: {
        search: "content is a web search query; returns the top results.",
        answer: `content is your final answer: only the name, date, number or short phrase asked for (at most ${MAX_ANSWER_CHARS} characters), no explanation. A wrong answer does not end the conversation, so you may answer again.`,
      },
      tips: [
        "Split the question into sub-questions and search for one fact at a time, using what you found in the next query.",
        "Keep queries short and specific: names, titles and key terms rather than whole sentences.",
        "Give one answer, not a list of alternatives.",
      ],
    }),
  firstMessage: (task) => `${task.payload.question}\n\nPlease look this up and give me a short answer.`,
  create: (task, ctx) => new SearchEpisode(task, ctx),
  baseline: () => new SearchBaseline(),
};
