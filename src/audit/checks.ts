/**
 * The simulator audit's per-turn checks, over one stored trajectory and its task. What is generic lives here
 * (role traces, empty and looping replies, the user ending early); what is hidden in a gym is asked of the
 * gym's own `audit` hook (src/gyms/<gym>/audit.ts). A finding the run's persona explains (an impatient user
 * leaving, a mistaken user's wrong belief, a proactive user's unasked hint) is not a fault and is left out.
 */
import type { AuditKind, GymAudit, GymDefinition, Task, Trajectory, TurnRecord } from "../core/types.js";

export interface AuditFinding {
  turn: number;
  kind: AuditKind;
  detail: string;
}

export const AUDIT_KINDS: readonly AuditKind[] = ["leak", "fallback", "retry", "contradiction", "premature-end", "empty-reply", "looping-reply"];

/** Which persona trait makes a kind of finding intended behaviour rather than a fault. */
const EXPLAINED_BY: Partial<Record<AuditKind, string>> = { "premature-end": "impatient", contradiction: "mistaken", leak: "proactive" };

const NON_SPACE = /\S/;

/** The same reply this many times in a row, to messages that differ, is a loop. */
const LOOP_REPEATS = 3;

/** Lower case, whitespace runs as one space, trimmed (the replace skipped when there is no run to fold: most replies). */
const normal = (s: string): string => {
  const lower = s.toLowerCase();
  return (/\s\s|[^\S ]/.test(lower) ? lower.replace(/\s+/g, " ") : lower).trim();
};

const isAsciiSpace = (c: number): boolean => c === 32 || (c >= 9 && c <= 13);

/**
 * Whether two texts are the same up to letter case and whitespace (`normal` of each equal), read in place: most
 * replies differ from the one before within a few characters, and none is copied to find that out. Text outside
 * ASCII is left to `normal`.
 */
export function sameText(a: string, b: string): boolean {
  if (a === b) return true;
  let i = 0;
  let j = 0;
  for (;;) {
    let si = i;
    let sj = j;
    while (si < a.length && isAsciiSpace(a.charCodeAt(si))) si++;
    while (sj < b.length && isAsciiSpace(b.charCodeAt(sj))) sj++;
    const endA = si >= a.length;
    const endB = sj >= b.length;
    // One has ended: the other's rest is more text, unless it is whitespace outside ASCII (left to `normal`).
    if (endA || endB) return (endA && endB) || ((endA ? b.charCodeAt(sj) : a.charCodeAt(si)) >= 128 && normal(a) === normal(b));
    let ca = a.charCodeAt(si);
    let cb = b.charCodeAt(sj);
    if (ca >= 128 || cb >= 128) return normal(a) === normal(b);
    // Inside the text a run of whitespace is one space: both have one here or neither (leading runs are trimmed).
    if (i > 0 && j > 0 && si > i !== sj > j) return false;
    if (ca >= 65 && ca <= 90) ca += 32;
    if (cb >= 65 && cb <= 90) cb += 32;
    if (ca !== cb) return false;
    i = si + 1;
    j = sj + 1;
  }
}

/** The simulator faults of one episode, by turn. `traits` are the run's persona traits (none = cooperative). */
export function auditTrajectory<P>(
  gym: Pick<GymDefinition<P>, "audit">,
  task: Task<P> | undefined,
  t: Pick<Trajectory, "turns">,
  traits: Readonly<Record<string, unknown>> = {},
): AuditFinding[] {
  const findings: AuditFinding[] = [];
  const hooks: GymAudit<P> | undefined = gym.audit;
  // The current run of one reply to different messages. A repeat of a stock reply (one the gym repeats by design)
  // starts a new run; whether a repeat is stock is asked only once the run is long enough to matter (`pending`: the
  // repeats not yet asked about), since asking can cost the gym a per-task index.
  let previous: { text: string; question: string; times: number; pending: TurnRecord[] } | undefined;
  for (const turn of t.turns) {
    if (turn.roleCalls?.length) findings.push(...roleTraceFindings(turn));
    if (!hooks) continue;
    const reply = userReplyOf(hooks, turn);
    if (reply !== undefined) {
      const empty = !NON_SPACE.test(reply);
      const question = turn.action?.content ?? "";
      // A repeat is rare: only then are the questions compared.
      if (empty) findings.push({ turn: turn.turn, kind: "empty-reply", detail: "the user's reply is empty" });
      else if (previous && sameText(previous.text, reply) && !sameText(previous.question, question)) {
        previous = { text: reply, question, times: previous.times + 1, pending: [...previous.pending, turn] };
        if (previous.times >= LOOP_REPEATS) {
          const stock = task === undefined ? -1 : previous.pending.findLastIndex((p) => hooks.stockReply?.(userReplyOf(hooks, p)!, task, p) === true);
          if (stock >= 0) previous.times = previous.pending.length - stock;
          previous.pending = [];
          if (previous.times >= LOOP_REPEATS) findings.push({ turn: turn.turn, kind: "looping-reply", detail: `the same reply ${previous.times} times in a row to different messages: "${clip(reply)}"` });
        }
      } else previous = { text: reply, question, times: 1, pending: [] };
      if (task && !empty) {
        const leak = hooks.leak?.(task, turn, reply);
        if (leak) findings.push({ turn: turn.turn, kind: "leak", detail: leak });
        const contradiction = hooks.contradiction?.(task, turn, reply);
        if (contradiction) findings.push({ turn: turn.turn, kind: "contradiction", detail: contradiction });
      }
    }
    if (turn.done && !turn.truncated && task && userEnded(hooks, task, turn)) {
      findings.push({ turn: turn.turn, kind: "premature-end", detail: "the user ended the conversation with the task unresolved" });
    }
  }
  return unexplained(findings, traits);
}

/** The findings the persona's traits do not explain (an impatient user is meant to end early). */
export function unexplained(findings: AuditFinding[], traits: Readonly<Record<string, unknown>>): AuditFinding[] {
  return findings.filter((f) => {
    const trait = EXPLAINED_BY[f.kind];
    return !(trait && Object.hasOwn(traits, trait));
  });
}

/** The simulated user's reply on a turn, as the gym reads it (default: the feedback to the agent's `action`). */
export function userReplyOf(hooks: Pick<GymAudit, "userReply"> | undefined, turn: TurnRecord): string | undefined {
  if (!hooks) return undefined;
  return hooks.userReply ? hooks.userReply(turn) : turn.action?.choice === "action" ? turn.feedback : undefined;
}

function userEnded<P>(hooks: GymAudit<P>, task: Task<P>, turn: TurnRecord): boolean {
  if (hooks.userEnded) return hooks.userEnded(task, turn);
  return turn.action?.choice === "action" && turn.reward <= 0;
}

/** Off-contract role replies: a role that needed its corrective retry, or whose fallback was used. */
function roleTraceFindings(turn: TurnRecord): AuditFinding[] {
  const out: AuditFinding[] = [];
  const flagged = new Map<string, string>();
  for (const call of turn.roleCalls ?? []) if (call.fallback && !flagged.has(call.role)) flagged.set(call.role, call.fallback);
  for (const [role, problem] of flagged) {
    const used = (turn.fallbacks ?? []).find((f) => f.startsWith(`${role}:`) || f.includes(role));
    out.push(used ? { turn: turn.turn, kind: "fallback", detail: used } : { turn: turn.turn, kind: "retry", detail: `${role}: needed a corrective retry (${problem})` });
  }
  return out;
}

/** A reply shortened for a one-line detail. */
export function clip(text: string, max = 80): string {
  const one = text.replace(/\s+/g, " ").trim();
  return one.length > max ? `${one.slice(0, max - 1)}…` : one;
}
