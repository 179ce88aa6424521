/**
 * Intention baseline: read the request (and its category) in the first user message, guess which
 * dimensions such a request usually leaves open (a trip: duration, budget, lodging…; a recipe: diet,
 * servings, skill…), and ask about them one per turn, most likely first. It uses only the request
 * text, never the hidden details, and finishes when it has nothing sensible left to ask.
 */
import type { AgentReply, AgentSession, AgentView } from "../../core/types.js";
import { toolCallMessage } from "../../agents/message.js";
import { stem, words } from "../kit/lexical.js";

/** One dimension a vague request can leave open, with a single-topic question about it. */
const QUESTIONS: Record<string, string> = {
  purpose: "What is the main purpose or goal behind this request?",
  scope: "Which specific topic or part of this should I focus on?",
  budget: "What budget do you have in mind for this?",
  timing: "When do you need this, or what is your timeline?",
  duration: "How long should it last: a few days, a few weeks, or longer?",
  location: "Where will this take place, or which location do you have in mind?",
  level: "What is your current level of experience with this?",
  audience: "Who is the intended audience?",
  style: "What style or tone would you like?",
  length: "How long or detailed should the result be?",
  quantity: "How many people is this for?",
  diet: "Do you have any dietary restrictions or food preferences?",
  lodging: "What kind of accommodation do you prefer?",
  transport: "How do you plan to get around: car, train, or flights?",
  activities: "What activities are you most interested in?",
  format: "What format or platform should this be in?",
  frequency: "How often do you plan to do this?",
  pace: "At what pace would you like to go?",
  method: "Which method or approach would you prefer?",
  sources: "Do you prefer particular sources, such as academic journals or news sites?",
  features: "Which features matter most to you?",
  brand: "Do you have a preferred brand or model in mind?",
  genre: "Which genre or kind do you enjoy most?",
  size: "What size or scale are you thinking of?",
  design: "Do you have any design or color preferences?",
  current: "What have you already tried or done so far?",
};

/** Request words → the dimensions they usually leave open, most important first. */
const TRIGGERS: { words: string[]; dims: string[]; weight?: number }[] = [
  { words: ["travel", "trip", "vacation", "visit", "tour", "holiday", "journey", "getaway"], dims: ["duration", "budget", "lodging", "activities", "transport", "timing", "diet"] },
  { words: ["recipe", "cook", "meal", "dinner", "lunch", "breakfast", "food", "bake", "dish", "restaurant", "cuisine"], dims: ["diet", "quantity", "level", "style", "timing", "budget"] },
  { words: ["learn", "teach", "study", "course", "tutorial", "lesson", "practice", "improve", "skill", "education", "understand"], dims: ["level", "purpose", "method", "pace", "format", "frequency", "scope"] },
  { words: ["write", "essay", "article", "blog", "email", "letter", "story", "speech", "post", "report", "presentation", "content", "draft", "poem"], dims: ["audience", "purpose", "style", "length", "format", "scope"] },
  { words: ["buy", "purchase", "recommend", "product", "laptop", "phone", "car", "gift", "shop", "shopping", "choose"], dims: ["budget", "purpose", "features", "brand", "size", "timing"] },
  { words: ["research", "find", "information", "latest", "data", "news", "search", "compare", "review"], dims: ["scope", "sources", "purpose", "timing", "format"] },
  { words: ["event", "party", "wedding", "celebration", "meeting", "conference", "birthday", "gathering"], dims: ["quantity", "budget", "location", "timing", "style", "diet"] },
  { words: ["fitness", "workout", "exercise", "health", "weight", "gym", "run", "training", "diet"], dims: ["purpose", "level", "frequency", "duration", "diet"] },
  { words: ["plan", "organize", "schedule", "project", "manage", "strategy"], dims: ["purpose", "timing", "budget", "scope", "quantity"], weight: 0.5 },
  { words: ["music", "song", "movie", "film", "book", "game", "show", "playlist", "read", "watch"], dims: ["genre", "purpose", "format", "length"] },
  { words: ["home", "garden", "room", "decor", "decorate", "design", "renovate", "house", "apartment", "furniture"], dims: ["budget", "style", "size", "design", "timing"] },
  { words: ["software", "app", "code", "website", "program", "computer", "tool", "setup", "install", "technology"], dims: ["format", "purpose", "features", "level", "budget"] },
  { words: ["job", "career", "resume", "interview", "business", "startup", "marketing", "company"], dims: ["purpose", "level", "scope", "timing", "budget"] },
  { words: ["advice", "help", "tips", "ideas", "suggest", "guide"], dims: ["purpose", "current", "scope"], weight: 0.5 },
];

/** When nothing in the request points anywhere, the questions that fit most requests. */
const DEFAULT_ORDER = ["purpose", "scope", "timing", "budget", "level", "style", "audience", "format", "location", "quantity"];

/** Most questions asked before finishing. */
const MAX_QUESTIONS = 14;

/** Dimensions in the order to ask them for a request text. */
export function planQuestions(requestText: string): string[] {
  const stems = new Set(words(requestText).map(stem));
  const score = new Map<string, number>();
  for (const t of TRIGGERS) {
    if (!t.words.some((w) => stems.has(stem(w)))) continue;
    t.dims.forEach((d, i) => score.set(d, (score.get(d) ?? 0) + ((t.dims.length - i) + 2) * (t.weight ?? 1)));
  }
  DEFAULT_ORDER.forEach((d, i) => score.set(d, (score.get(d) ?? 0) + (DEFAULT_ORDER.length - i) / DEFAULT_ORDER.length));
  return [...score.entries()].sort((a, b) => b[1] - a[1]).map(([d]) => d);
}

export class IntentionBaseline implements AgentSession {
  private plan?: string[];
  private asked = 0;

  async act(view: AgentView): Promise<AgentReply> {
    this.plan ??= planQuestions(view.messages.find((m) => m.role === "user")?.content ?? "");
    const limit = Math.min(MAX_QUESTIONS, view.maxTurns);
    if (this.asked >= limit || this.asked >= this.plan.length) {
      return { message: toolCallMessage("finish", "", "I have asked about everything a request like this usually leaves open.") };
    }
    const dim = this.plan[this.asked++];
    return { message: toolCallMessage("action", QUESTIONS[dim], `Clarifying the ${dim}.`) };
  }
}
