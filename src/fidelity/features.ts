/**
 * The user side of one stored episode, as fidelity compares it: per reply its length, how much it tells that the
 * conversation did not already hold, its verdict when it opens with one, and whether it volunteers a hint; per
 * episode whether the user ended it early, whether the simulator audit finds a fault, and the agent's score.
 */
import { auditTrajectory, unexplained, userReplyOf } from "../audit/checks.js";
import type { GymAudit, GymScoring, PersonaView, Task, Trajectory } from "../core/types.js";

export interface ReplyFeatures {
  /** Words in the reply. */
  words: number;
  /** Content words the conversation had not used yet (the agent's messages and the user's earlier replies). */
  novel: number;
  /** The verdict the reply opens with (yes, no, maybe, irrelevant, unknown), when it does. */
  verdict?: string;
  /** The reply volunteers information: new content words beyond a bare verdict, or where the agent asked nothing. */
  hint: boolean;
}

export interface EpisodeFeatures {
  gym: string;
  taskId: string;
  replies: ReplyFeatures[];
  /** The user ended the conversation with the task unresolved (whatever the persona). */
  earlyEnd: boolean;
  /** The audit finds a simulator fault (findings the run's persona explains are not faults). */
  faulty: boolean;
  /** The agent's score on the episode, by its gym's scoring. */
  score: number;
}

/** New content words that make a reply a hint rather than an answer. */
export const HINT_WORDS = 3;

const VERDICT = /^\W*(yes|no|maybe|irrelevant|unknown)\b/i;

/** Words that carry no information on their own: verdicts, hedges and the commonest function words. */
const FILLER = new Set(
  ("yes no maybe irrelevant unknown the and for are but not you your that this with have has had was were will would " +
    "can could should what which who when where how its it's is am be been being does did do don't i'm i've we our they them " +
    "their there here from into about just also then than very really well okay sure think know like want " +
    "hmm hard say sort kind something perhaps probably guess yet").split(" "),
);

const tokens = (s: string): string[] => s.toLowerCase().match(/[\p{L}\p{N}']+/gu) ?? [];
const content = (s: string): string[] => tokens(s).filter((w) => w.length > 2 && !FILLER.has(w));

export function episodeFeatures(
  t: Trajectory,
  gym: { audit?: GymAudit<unknown>; scoring: GymScoring },
  task: Task<unknown> | undefined,
  persona: PersonaView | undefined,
): EpisodeFeatures {
  const seen = new Set<string>();
  const replies: ReplyFeatures[] = [];
  for (const turn of t.turns) {
    const message = turn.action?.content ?? "";
    for (const w of content(message)) seen.add(w);
    const reply = userReplyOf(gym.audit, turn);
    if (reply === undefined) continue;
    const fresh = new Set(content(reply).filter((w) => !seen.has(w)));
    for (const w of fresh) seen.add(w);
    const verdict = VERDICT.exec(reply)?.[1]?.toLowerCase();
    replies.push({
      words: tokens(reply).length,
      novel: fresh.size,
      ...(verdict ? { verdict } : {}),
      hint: fresh.size >= HINT_WORDS && (verdict !== undefined || !message.includes("?")),
    });
  }
  const audit = gym.audit ? { audit: gym.audit } : {};
  const raw = auditTrajectory(audit, task, t);
  const faults = persona ? unexplained(raw, persona.traits) : raw;
  return {
    gym: t.gym,
    taskId: t.taskId,
    replies,
    earlyEnd: raw.some((f) => f.kind === "premature-end"),
    faulty: faults.length > 0,
    score: gym.scoring.score(t),
  };
}
