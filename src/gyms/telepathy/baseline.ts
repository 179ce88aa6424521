/**
 * Telepathy baseline: pick the kinds of thing the user's description names, take well-known
 * candidates of those kinds from its own knowledge (knowledge.ts), ask a few yes/no questions about
 * the features that best split the leading candidates, then guess them in order of how well they fit
 * the answers. It reads only the conversation (the description and the user's replies).
 */
import type { AgentReply, AgentSession, AgentView } from "../../core/types.js";
import { lastFeedback, toolCallMessage } from "../../agents/message.js";
import { stem, words } from "../kit/lexical.js";
import { KNOWLEDGE, type Candidate } from "./knowledge.js";
import { descriptionPhrase } from "./classes.js";

/** Questions asked before guessing starts (fewer when turns are short). */
const QUESTION_BUDGET = 4;
/** How many leading candidates a question should split. */
const SPLIT_WINDOW = 10;

interface Scored {
  candidate: Candidate;
  score: number;
  order: number;
}

type Pending = { kind: "question"; feature: string } | { kind: "guess"; name: string };

export class TelepathyBaseline implements AgentSession {
  private pool?: Scored[];
  private readonly asked = new Set<string>();
  private pending?: Pending;
  private questions = 0;

  async act(view: AgentView): Promise<AgentReply> {
    if (!this.pool) this.pool = this.initialPool(view);
    this.observe(view);
    const turnsLeft = view.maxTurns - view.turn + 1;
    const ranked = [...this.pool].sort((a, b) => b.score - a.score || a.order - b.order);
    if (ranked.length === 0) return { message: toolCallMessage("finish", "", "I have run out of ideas.") };

    const leader = ranked[0].score - (ranked[1]?.score ?? -Infinity);
    const budget = Math.min(QUESTION_BUDGET, Math.max(0, turnsLeft - 3));
    const feature = this.questions < budget && leader < 4 ? this.splittingFeature(ranked.slice(0, SPLIT_WINDOW)) : undefined;
    if (feature) {
      this.questions++;
      this.asked.add(feature.toLowerCase());
      this.pending = { kind: "question", feature };
      return { message: toolCallMessage("action", `Is it associated with ${feature}?`, `Narrowing down among ${ranked.length} candidates.`) };
    }
    const guess = ranked[0].candidate.name;
    this.pending = { kind: "guess", name: guess };
    return { message: toolCallMessage("answer", guess, `My best remaining candidate is ${guess}.`) };
  }

  private initialPool(view: AgentView): Scored[] {
    const description = view.messages.find((m) => m.role === "user")?.content ?? "";
    const phrase = descriptionPhrase(description) || description;
    const phraseStems = new Set(words(phrase).map(stem));
    const groups = KNOWLEDGE.filter((g) => g.tags.some((t) => phraseStems.has(stem(t))));
    const chosen = groups.length > 0 ? groups : KNOWLEDGE;
    const seen = new Set<string>();
    const pool: Scored[] = [];
    for (const g of chosen) {
      for (const c of g.candidates) {
        const key = c.name.toLowerCase();
        if (seen.has(key)) continue;
        seen.add(key);
        // Features the description itself mentions ("citrus fruit", "known for its stripes") count already.
        const bonus = c.features.filter((f) => words(f).every((w) => phraseStems.has(stem(w)))).length;
        pool.push({ candidate: c, score: bonus * 2, order: pool.length });
      }
    }
    return pool;
  }

  /** Apply the user's reply to the previous move. */
  private observe(view: AgentView): void {
    const pending = this.pending;
    this.pending = undefined;
    const feedback = lastFeedback(view);
    if (!pending || feedback === undefined || !this.pool) return;
    if (pending.kind === "guess") {
      // Still playing, so the guess was wrong.
      this.pool = this.pool.filter((s) => s.candidate.name !== pending.name);
      return;
    }
    const first = words(feedback)[0];
    const has = (s: Scored) => s.candidate.features.some((f) => f.toLowerCase() === pending.feature.toLowerCase());
    for (const s of this.pool) {
      if (first === "yes") s.score += has(s) ? 3 : -1;
      else if (first === "no") s.score += has(s) ? -4 : 0;
    }
  }

  /** The feature, not yet asked, held by closest to half of the leading candidates. */
  private splittingFeature(top: readonly Scored[]): string | undefined {
    const counts = new Map<string, { name: string; n: number; first: number }>();
    top.forEach((s, i) => {
      for (const f of s.candidate.features) {
        const k = f.toLowerCase();
        if (this.asked.has(k)) continue;
        const e = counts.get(k) ?? { name: f, n: 0, first: i };
        e.n++;
        counts.set(k, e);
      }
    });
    let best: { name: string; gap: number; first: number } | undefined;
    for (const e of counts.values()) {
      if (e.n >= top.length && top.length > 1) continue;
      const gap = Math.abs(e.n - top.length / 2);
      if (!best || gap < best.gap || (gap === best.gap && e.first < best.first)) best = { name: e.name, gap, first: e.first };
    }
    return best?.name;
  }
}
