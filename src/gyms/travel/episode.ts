/**
 * One TravelGym episode: search the database, talk with the traveller, recommend one option per aspect
 * (spec/gyms-tools.md §2.2–§2.5, the training path `step_async`).
 *
 * Rewards: a first correct search of an aspect earns the search reward (0.0 in `train` mode, 0.2 in
 * `eval`), a question that makes the traveller reveal a preference earns the preference reward (0.8 /
 * 0.6), a recommendation earns 1.0 for the best option, 0.8 for a correct one and 0 otherwise.
 *
 * Fixed by default (`compat: "userrl-2025"` restores the reference's asynchronous path):
 * - proactive elicitation works: after the third consecutive question that misses every preference, the
 *   traveller brings one up (the reference's async path reaches the 4th, then fails on an unbound variable,
 *   answers "I'm sorry…", elicits nothing and logs the agent's turn twice);
 * - one option per answer ("F3, H11" scored 2.0 there, and "F3, F5" consumed F3 but lost its credit);
 * - the episode ends once every aspect of the trip has a recommendation (the async path ran on to the
 *   step limit with nothing left to earn but the 0.2 eval search reward);
 * - a failed user-model reply falls back to the offline user's templated reply instead of "I'm sorry…",
 *   so a flaky simulator does not take away a preference the agent asked about well.
 */
import { pyStrip, type Action } from "../../core/action.js";
import { pyJsonDumps, pyPercent } from "../../core/pyformat.js";
import type { GymContext, ResetResult, RoleCall } from "../../core/types.js";
import { EPISODE_COMPLETE, KitEpisode, type Played } from "../kit/episode.js";
import { ASPECT_OF_INITIAL, FIELD_GUIDE, INITIAL, isAspect, type Aspect } from "./aspects.js";
import type { OptionJson } from "./generator/domain/types.js";
import { offlinePreferenceReply, offlineProactiveReply, offlineNaturalReply } from "./offline.js";
import { Rng } from "../kit/random.js";
import type { Classification, HistoryEntry, RoleOutcome, TravelRoles } from "./roles.js";
import { allOptions, preferencesOf, type Preference, type Scenario } from "./scenario.js";

export const MSG = {
  complete: EPISODE_COMPLETE,
  formatWrong: "Your response format is wrong and cannot be parsed properly.",
  backend: "Currently the searching backend is experiencing some issues. Please try again later.",
  searchFalse:
    "There's something wrong within your searching request, or the arguments in your request is not accurate. Please refine your search request to 1. align with user's need, 2. make only one request attempt at a time, and 3. cover and only cover correct search request arguments.",
  searchNA:
    "You have provided the correct search request arguments. However, the arguments are not related to any of the ground truth search arguments. Please refine your search request to 1. align with user's need, 2. make only one request attempt at a time, and 3. cover and only cover correct search request arguments.",
  searchOk: "You have provided the correct search request arguments.",
  noPreference:
    "This is a good question. However, I do not have specific preference in the aspect you ask about yet (or maybe I have already elicited that to you before). You may continue to ask me about other detailed and specific preferences.",
  vague:
    "Your question is too vague and general, and I am not sure how to respond to it. Please ask me about some specific aspects of my preferences, in a more detailed and concrete way, so that I can provide you with a more accurate response.",
  sorry: "I'm sorry, I'm not sure how to respond to your latest utterance right now. Please try again.",
  multiple: "You have chosen multiple options. Please choose only one option at a time.",
  recorded:
    " Your choice is recorded and do not choose options of this travel aspect again. Please continue your interaction and reasoning focusing on other travel aspects.",
};

/** Notes the classifier sees under each agent turn of the history (our wording). */
const NOTE = {
  type1: "Not about any preference of mine; I reply naturally.",
  type2: (id: string) => `Asks concretely about a preference I have (${id}); I reveal it indirectly.`,
  type3: "Asks concretely about a preference I do not have; I say so.",
  type4: "Too vague to answer; I ask for something specific.",
  judgeFailed: "Could not classify this message; treated as ordinary conversation.",
  proactive: "Off topic for several turns; I bring up one of my preferences myself.",
  replyFailed: "My reply could not be produced; I used a fixed line.",
};

export interface TravelRewards {
  search: number;
  preference: number;
  best: number;
  correct: number;
  wrongPenalty: number;
}

/** The reward presets: training (the paper's GRPO run) and evaluation (its eval harness). */
export function rewardPreset(mode: GymContext["mode"]): TravelRewards {
  return mode === "train"
    ? { search: 0.0, preference: 0.8, best: 1.0, correct: 0.8, wrongPenalty: 0.0 }
    : { search: 0.2, preference: 0.6, best: 1.0, correct: 0.8, wrongPenalty: 0.0 };
}

const SEARCH_FAILURE_INTERVAL = 5;
const ELICITATION_INTERVAL = 3;

interface Outcome {
  feedback: string;
  reward: number;
  elicited: string[];
  info?: Record<string, unknown>;
}

export class TravelEpisode extends KitEpisode<Scenario, Scenario> {
  protected readonly truncation = "at-limit-but-finish";
  private readonly rewards: TravelRewards;
  private readonly compat: boolean;
  private listings = new Map<Aspect, OptionJson[]>();
  private remaining: Preference[] = [];
  private elicited: Preference[] = [];
  private history: HistoryEntry[] = [];
  private searchTimes = 0;
  private nonPreferenceTimes = 0;
  private unsearched: Aspect[] = [];
  private remainingBest: string[] = [];
  private remainingCorrect: string[] = [];
  private choiceInitials: string[] = [];
  private activeElicited = 0;
  private passiveElicited = 0;
  private rng: Rng;
  private calls: RoleCall[] = [];
  private fallbacks: string[] = [];

  constructor(
    scenario: Scenario,
    ctx: GymContext,
    private readonly roles: TravelRoles,
    rewards?: Partial<TravelRewards>,
    private readonly sourceNote?: string,
  ) {
    super(scenario, ctx);
    this.rewards = { ...rewardPreset(ctx.mode), ...rewards };
    this.compat = ctx.compat === "userrl-2025";
    this.rng = new Rng(`travel-episode/${ctx.seed}/${scenario.key}`);
  }

  /** The episode's task is its scenario. */
  private get scenario(): Scenario {
    return this.task;
  }

  protected async opening(): Promise<ResetResult> {
    const s = this.scenario;
    this.rng = new Rng(`travel-episode/${this.ctx.seed}/${s.key}`);
    this.remaining = preferencesOf(s);
    this.elicited = [];
    this.history = [];
    this.searchTimes = 0;
    this.nonPreferenceTimes = 0;
    this.unsearched = [...s.dimensions];
    this.remainingBest = [];
    this.remainingCorrect = [];
    this.choiceInitials = [];
    this.activeElicited = 0;
    this.passiveElicited = 0;
    this.listings = new Map();
    for (const d of s.dimensions) {
      const b = s.blocks[d]!;
      this.remainingCorrect.push(...b.correct_ids);
      this.remainingBest.push(b.best_id);
      // The listing order: shuffled once per episode (the reference shuffles with a global RNG).
      const display = allOptions(b).map((o) => Object.fromEntries(Object.entries(o).filter(([k]) => k !== "type" && k !== "reason")) as OptionJson);
      this.listings.set(d, this.rng.fork(`listing/${d}`).shuffle(display));
    }
    return { feedback: s.initialDescription, info: { ...this.baseInfo(), scenario_source: s.source, ...(this.sourceNote ? { scenario_note: this.sourceNote } : {}) } };
  }

  protected async play(action: Action): Promise<Played> {
    this.calls = [];
    this.fallbacks = [];
    const a = pyStrip(action.raw);
    if (a.toLowerCase().startsWith("[finish]")) {
      const total = this.remaining.length + this.elicited.length;
      return {
        feedback: `Session ended. You elicited ${this.elicited.length}/${total} preferences. Final elicitation ratio: ${pyPercent(this.ratio())}`,
        reward: 0,
        done: true,
        finish: true,
        info: () => ({ ...this.baseInfo(), final_elicitation_ratio: this.ratio() }),
      };
    }
    let out: Outcome;
    if (a.startsWith("[search]")) out = await this.search(pyStrip(a.slice("[search]".length)));
    else if (a.startsWith("[action]")) out = await this.talk(pyStrip(a.slice("[action]".length)));
    else if (a.startsWith("[answer]")) out = this.answer(pyStrip(a.slice("[answer]".length)));
    else out = { feedback: MSG.formatWrong, reward: 0, elicited: [] };

    const newly: string[] = [];
    for (const id of out.elicited) {
      const i = this.remaining.findIndex((p) => p.id === id);
      if (i < 0) continue;
      this.elicited.push(this.remaining[i]);
      this.remaining.splice(i, 1);
      newly.push(id);
    }
    let done = this.remainingBest.length === 0;
    if (!this.compat && this.scenario.dimensions.every((d) => this.choiceInitials.includes(INITIAL[d]))) done = true;
    return {
      feedback: out.feedback,
      reward: out.reward,
      done,
      // After the kit has added this step's reward to the total that `baseInfo()` reports.
      info: () => ({ ...this.baseInfo(), ...out.info, newly_elicited: newly }),
      roleCalls: this.calls,
      fallbacks: this.fallbacks,
    };
  }

  private ratio(): number {
    const total = this.remaining.length + this.elicited.length;
    return total === 0 ? 0 : this.elicited.length / total;
  }

  private baseInfo(): Record<string, unknown> {
    return {
      task_id: this.scenario.key,
      step: this.steps,
      total_preferences: this.remaining.length + this.elicited.length,
      remaining_preferences: this.remaining.length,
      elicited_preferences: this.elicited.map((p) => p.id),
      elicitation_ratio: this.ratio(),
      active_elicited_preferences: this.activeElicited,
      passive_elicited_preferences: this.passiveElicited,
      recommended_aspects: [...this.choiceInitials],
      total_reward: this.totalReward,
    };
  }

  private use<T>(r: RoleOutcome<T>): T {
    this.calls.push(...r.calls);
    if (r.fallback) this.fallbacks.push(r.fallback);
    return r.value;
  }

  private remember(...entries: HistoryEntry[]): void {
    this.history.push(...entries);
  }

  // ---- [search] ------------------------------------------------------------------------------------

  private async search(query: string): Promise<Outcome> {
    this.searchTimes++;
    const fail = (): Outcome => {
      this.remember({ role: "agent", content: query }, { role: "database", content: MSG.backend });
      return { feedback: MSG.backend, reward: 0, elicited: [], info: { search: "backend_error" } };
    };
    // Every fifth search fails on purpose, without asking the judge (the reference's robustness drill).
    if (this.searchTimes % SEARCH_FAILURE_INTERVAL === 0) return fail();
    const verdict = this.use(await this.roles.judgeSearch(query, this.scenario));
    if (verdict.verdict === "True") {
      let aspect = (verdict.aspect ?? "").toLowerCase().trim();
      if (aspect === "rental car" || aspect === "car rental") aspect = "rental_car";
      if (!isAspect(aspect) || !this.scenario.dimensions.includes(aspect)) return fail();
      if (this.unsearched.includes(aspect)) {
        this.unsearched.splice(this.unsearched.indexOf(aspect), 1);
        const lines = this.listings.get(aspect)!.map((o) => pyJsonDumps(o));
        const feedback = `${MSG.searchOk}\n\n${FIELD_GUIDE[aspect]}\n\nHere are all the options for <${aspect}>:\n${lines.join("\n")}`.trim();
        this.remember({ role: "agent", content: query }, { role: "database", content: `${feedback.split("\n")[0]} ... (skip detailed results here) ...` });
        return { feedback, reward: this.rewards.search, elicited: [], info: { search: aspect } };
      }
      const feedback = `${MSG.searchOk} However, you have already got the search results for <${aspect}> in previous search attempts. Please directly refer to the previous search results.`;
      this.remember({ role: "agent", content: query }, { role: "database", content: feedback });
      return { feedback, reward: 0, elicited: [], info: { search: aspect, repeated: true } };
    }
    if (verdict.verdict === "False" || verdict.verdict === "N/A") {
      const feedback = verdict.verdict === "False" ? MSG.searchFalse : MSG.searchNA;
      this.remember({ role: "agent", content: query }, { role: "database", content: feedback });
      return { feedback, reward: 0, elicited: [], info: { search: "rejected" } };
    }
    return fail();
  }

  // ---- [action] ------------------------------------------------------------------------------------

  private async talk(utterance: string): Promise<Outcome> {
    const judged: Classification | null = this.use(await this.roles.classify(utterance, this.history, this.remaining, this.scenario));
    let type = judged?.type ?? "1";
    let pref: Preference | undefined;
    let note: string;
    if (judged?.type === "2") {
      pref = this.remaining.find((p) => p.id === judged.preferenceId);
      if (!pref) type = "1";
    }
    if (!judged || (judged.type === "2" && !pref)) note = NOTE.judgeFailed;
    else note = type === "2" ? NOTE.type2(pref!.id) : type === "3" ? NOTE.type3 : type === "4" ? NOTE.type4 : NOTE.type1;

    // Type 2: the traveller reveals the preference asked about.
    if (type === "2" && pref) {
      this.nonPreferenceTimes = 0;
      this.activeElicited++;
      const reply = this.use(await this.roles.preferenceReply(pref, this.history, utterance));
      if (reply === null && this.compat) return this.sorry(utterance);
      const text = reply ?? offlinePreferenceReply(pref, utterance);
      this.remember({ role: "agent", content: utterance, note }, { role: "user", content: text });
      return { feedback: text, reward: this.rewards.preference, elicited: [pref.id], info: { utterance_type: "2", preference: pref.id } };
    }

    // Several turns without touching a preference: the traveller brings one up.
    const threshold = this.compat ? ELICITATION_INTERVAL : ELICITATION_INTERVAL - 1;
    if (this.nonPreferenceTimes >= threshold && this.remaining.length > 0) {
      this.nonPreferenceTimes = 0;
      this.passiveElicited++;
      const chosen = this.rng.pick(this.remaining);
      const reply = this.use(await this.roles.proactiveReply(chosen, this.history, utterance));
      if (this.compat) {
        // The reference's async path lost the reply: it logs the turn, then fails and logs it again.
        if (reply !== null) this.remember({ role: "agent", content: utterance, note: NOTE.proactive });
        return this.sorry(utterance, { utterance_type: type, proactive: chosen.id });
      }
      const text = reply ?? offlineProactiveReply(chosen);
      this.remember({ role: "agent", content: utterance, note: NOTE.proactive }, { role: "user", content: text });
      return { feedback: text, reward: 0, elicited: [chosen.id], info: { utterance_type: type, proactive: chosen.id } };
    }

    this.nonPreferenceTimes++;
    if (type === "3" || type === "4") {
      const text = type === "3" ? MSG.noPreference : MSG.vague;
      this.remember({ role: "agent", content: utterance, note }, { role: "user", content: text });
      return { feedback: text, reward: 0, elicited: [], info: { utterance_type: type } };
    }
    const reply = this.use(await this.roles.naturalReply(this.history, utterance));
    if (reply === null && this.compat) return this.sorry(utterance, { utterance_type: "1" });
    const text = reply ?? offlineNaturalReply(utterance, this.history.length);
    this.remember({ role: "agent", content: utterance, note }, { role: "user", content: text });
    return { feedback: text, reward: 0, elicited: [], info: { utterance_type: "1" } };
  }

  /** The reference's fallback reply when the user model's answer could not be used. */
  private sorry(utterance: string, info: Record<string, unknown> = {}): Outcome {
    this.remember({ role: "agent", content: utterance, note: NOTE.replyFailed }, { role: "user", content: MSG.sorry });
    return { feedback: MSG.sorry, reward: 0, elicited: [], info: { ...info, reply_failed: true } };
  }

  // ---- [answer] ------------------------------------------------------------------------------------

  private answer(content: string): Outcome {
    const ids = content.split(",").map((x) => pyStrip(x));
    if (!this.compat && ids.length > 1) return { feedback: MSG.multiple, reward: 0, elicited: [] };
    let reward = 0;
    let best = false;
    let correct = false;
    let wrong = false;
    const graded: { id: string; aspect?: Aspect; grade: "best" | "correct" | "wrong" }[] = [];
    for (const id of ids) {
      if (!/^[ACFHR]\d+$/.test(id)) return { feedback: `Invalid option ID format detected for '${id}'. Expected format: H1, F12, C4, etc.`, reward: 0, elicited: [] };
      const initial = id[0];
      if (this.choiceInitials.includes(initial)) {
        return {
          feedback: `You have already recommended an option with the same initial '${initial}'. You are allowed to recommend only one option per traveling aspect. Please focus on the search, user preference, and option recommendation on other traveling aspects now.`,
          reward: 0,
          elicited: [],
        };
      }
      let grade: "best" | "correct" | "wrong";
      if (this.remainingBest.includes(id)) {
        reward += this.rewards.best;
        best = true;
        grade = "best";
        this.remainingBest.splice(this.remainingBest.indexOf(id), 1);
        this.remainingCorrect.splice(this.remainingCorrect.indexOf(id), 1);
      } else if (this.remainingCorrect.includes(id)) {
        reward += this.rewards.correct;
        correct = true;
        grade = "correct";
        this.remainingCorrect.splice(this.remainingCorrect.indexOf(id), 1);
      } else {
        reward -= this.rewards.wrongPenalty;
        wrong = true;
        grade = "wrong";
      }
      this.choiceInitials.push(initial);
      const aspect = ASPECT_OF_INITIAL[initial];
      graded.push({ id, aspect, grade });
      // The aspect is settled: its unrevealed preferences no longer count (neither elicited nor remaining).
      this.remaining = this.remaining.filter((p) => p.aspect !== aspect);
    }
    reward = Math.max(reward, 0);
    let feedback: string;
    if (best && !wrong) feedback = "Your chosen options contain the best option!";
    else if (best && wrong) feedback = "Your chosen options contain the best option, but also contain some wrong options.";
    else if (correct && !wrong) feedback = "Your chosen options contain the correct option, but not the best option.";
    else if (correct && wrong) feedback = "Your chosen options contain the correct option, but not the best option, and also contain some wrong options.";
    else feedback = "Your chosen options do not contain any of the best or correct options.";
    return { feedback: feedback + MSG.recorded, reward, elicited: [], info: { answers: graded } };
  }
}
