/** Test helpers for gyms whose users and judges are LLM roles: scripted role models in a context. */
import type { GymContext, GymDefinition, StepResult, Task } from "../../src/core/types.js";
import { ScriptedModel, type ScriptedReply, type ScriptFn } from "../../src/models/scripted.js";
import { ctx, play } from "../helpers.js";

/** A context whose user and judge are the given scripted models (the judge defaults to the user). */
export function llmCtx(user: ScriptedModel, over: Partial<GymContext> = {}, judge: ScriptedModel = user): GymContext {
  return ctx({ user: { kind: "llm", spec: user.spec, user, judge }, ...over });
}

export function scripted(replies: readonly ScriptedReply[] | ScriptFn): ScriptedModel {
  return new ScriptedModel(replies);
}

/** A reply the way the reference's prompts prime it: a ```json fenced object. */
export function fenced(obj: Record<string, unknown>): string {
  return "```json\n" + JSON.stringify(obj) + "\n```";
}

/** Everything a role model was sent on call `i`, as one string. */
export function promptOf(model: ScriptedModel, i: number): string {
  return model.requests[i].messages.map((m) => m.content).join("\n");
}

/**
 * Play bracket actions on a task whose simulated user and judge are scripted models (one model plays both
 * unless judge replies are given); the models come back too, to inspect what they were sent.
 */
export async function playWithRoles<P>(
  gym: GymDefinition<P>,
  t: Task<P>,
  actions: string[],
  roles: { user: readonly ScriptedReply[] | ScriptFn; judge?: readonly ScriptedReply[] | ScriptFn },
  over: Partial<GymContext> = {},
): Promise<{ r: StepResult[]; user: ScriptedModel; judge: ScriptedModel }> {
  const user = scripted(roles.user);
  const judge = roles.judge === undefined ? user : scripted(roles.judge);
  return { r: await play(gym, t, actions, llmCtx(user, over, judge)), user, judge };
}
