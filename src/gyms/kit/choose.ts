/**
 * The one place that decides who plays a gym's roles in a run: the offline user, LLMs, or a person in the
 * user's seat (with judges on the judge model, or offline), and which persona the user plays. `run`, `eval`,
 * `play`, `replay`, `serve` and `train` all come through here.
 */
import type { GymContext, GymDefinition, HumanSeat, PersonaView, RoleInfo, Task, UserRoles } from "../../core/types.js";
import type { ChatModel } from "../../models/types.js";
import type { RoleSpec } from "./roles.js";

export interface UserChoice {
  /** The `--user` spec as given: `offline`, `auto`, a model spec, or `human:<name>`. */
  spec: string;
  /** The model of user-seat roles (for a model spec, and `auto`'s model for gyms without an offline user). */
  user?: ChatModel;
  /** The model of judge roles (default: `user`; for a person in the seat, the `--judge` model). */
  judge?: ChatModel;
  /** The label recorded as the run's user spec (default: `spec`). */
  label?: string;
  persona?: PersonaView;
  /** Who answers for a `human:<name>` user. */
  humanSeat?: HumanSeat;
}

/** The parts of a gym context that say who plays the roles. */
export type ChosenUser = Pick<GymContext, "user" | "persona" | "humanSeat">;

/** A run that cannot be played as configured; the message is one line a user can act on. */
export class UserChoiceError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UserChoiceError";
  }
}

/** `human:<name>` specs put a person in the user's seat. */
export function isHumanSpec(spec: string): boolean {
  return /^human(:|$)/.test(spec.trim());
}

/** Why `gym` cannot be played with this `--user` spec (and whether a judge model is given), or undefined. */
export function userProblem(gym: GymDefinition<unknown>, spec: string, hasJudge = false): string | undefined {
  const s = spec.trim();
  if (s === "offline" && !gym.offline) return "no offline user; pass --user <model spec>";
  if (!isHumanSpec(s)) return undefined;
  const seats = gym.roles.filter((r: RoleInfo) => r.seat === "user");
  if (seats.length === 0) return "no user seat a person can take";
  const unplayable = seats.filter((r) => !r.human).map((r) => r.name);
  if (unplayable.length) return `a person cannot play ${unplayable.join(", ")}`;
  if (!hasJudge && !gym.offline) return "its judges need an LLM; pass --judge <model spec>";
  return undefined;
}

/**
 * What a person in `gym`'s user seat knows of `task` from the start: the brief of each user-seat role they can
 * play (one in every gym today), or undefined where a person cannot take the seat.
 */
export function personBrief(gym: GymDefinition<unknown>, task: Task<unknown>): string | undefined {
  const briefs = gym.roles.filter((r: RoleInfo) => r.seat === "user" && r.brief).map((r) => r.brief!(task));
  return briefs.length ? [...new Set(briefs)].join("\n\n") : undefined;
}

/** Who plays `gym`'s roles in this run; throws {@link UserChoiceError} when it cannot be played so. */
export function chooseUser(gym: GymDefinition<unknown>, choice: UserChoice): ChosenUser {
  const spec = choice.spec.trim();
  const label = choice.label ?? spec;
  const why = userProblem(gym, spec, choice.judge !== undefined);
  if (why) throw new UserChoiceError(`gym "${gym.name}" cannot run with --user ${spec}: ${why}`);
  const persona = choice.persona ? { persona: choice.persona } : {};
  if (isHumanSpec(spec)) {
    if (!choice.humanSeat) throw new UserChoiceError(`--user ${spec} needs a person to answer (a human seat), and none was given`);
    const judge = choice.judge;
    const user: UserRoles = judge ? { kind: "llm", spec: label, user: judge, judge } : { kind: "offline", spec: label };
    return { user, humanSeat: choice.humanSeat, ...persona };
  }
  if (spec === "offline" || (spec === "auto" && gym.offline)) return { user: { kind: "offline", spec: "offline" }, ...persona };
  if (!choice.user) throw new UserChoiceError(`gym "${gym.name}" needs a user model for --user ${spec}`);
  return { user: { kind: "llm", spec: label, user: choice.user, judge: choice.judge ?? choice.user }, ...persona };
}

/** Who plays one role in an episode: a person, a model, or the gym's offline implementation. */
export function playedBy(ctx: GymContext, role: Pick<RoleSpec<unknown>, "seat" | "person">): "person" | "model" | "offline" {
  if (role.seat === "user" && role.person && ctx.humanSeat) return "person";
  return ctx.user.kind === "llm" ? "model" : "offline";
}
