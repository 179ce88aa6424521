/**
 * Agent and simulated-user specs.
 *
 * Agent: `baseline` (the gym's scripted baseline), `human` (terminal), a gym's own named agent
 * (e.g. `oracle` for tau), or any model spec (`openai:…`, `local:…`, `scripted:…`) for an LLM agent;
 * `local` alone is the default local model.
 * User:  `offline` (the gym's deterministic user), `auto` (the offline user where the gym has one, else
 * the default local model), or a model spec used for every user/judge role (`local` as for agents).
 */
import type { AgentSession, GymDefinition, Task, UserRoles } from "../core/types.js";
import { DEFAULT_LOCAL_MODEL, expandLocalAlias } from "../models/local/catalog.js";
import { createModel, SpecError, type ModelBuildOptions } from "../models/spec.js";
import { ModelError, type ChatModel } from "../models/types.js";
import { HumanAgent, terminalIO, type HumanIO } from "./human.js";
import { LlmAgent, type LlmAgentOptions } from "./llm.js";

/**
 * Who plays the episodes of a run: a new session per episode. Built from a spec by `resolveAgent`, or written in
 * process (the SDK's `aiSdkAgent`, `functionAgent`, or your own object).
 */
export interface AgentFactory {
  /** The agent's spec or name, recorded as the run's agent (a resumed run must name the same). */
  spec: string;
  /** The model behind an LLM agent (for metering), if any. */
  model?: ChatModel;
  start(gym: GymDefinition<unknown>, task: Task<unknown>, seed: number): AgentSession;
  close(): Promise<void>;
}

export interface AgentResolveOptions extends LlmAgentOptions {
  models?: ModelBuildOptions;
  io?: HumanIO;
}

export async function resolveAgent(spec: string, opts: AgentResolveOptions = {}): Promise<AgentFactory> {
  const s = expandLocalAlias(spec).trim();
  if (s === "baseline") {
    return { spec: s, start: (gym, task, seed) => gym.baseline(task, seed), close: async () => {} };
  }
  if (s === "human") {
    const io = opts.io ?? terminalIO();
    return {
      spec: s,
      start: () => new HumanAgent(io),
      close: async () => (io as { close?: () => void }).close?.(),
    };
  }
  if (!s.includes(":")) {
    // A gym-specific named agent, checked per gym when an episode starts.
    return {
      spec: s,
      start: (gym, task, seed) => {
        const named = gym.agents?.[s];
        if (!named) {
          const names = ["baseline", "human", ...Object.keys(gym.agents ?? {})];
          throw new SpecError(`gym "${gym.name}" has no agent "${s}" (agents: ${names.join(", ")}, or a model spec)`);
        }
        return named.start(task, seed);
      },
      close: async () => {},
    };
  }
  const model = await createModel(s, opts.models);
  return {
    spec: s,
    model,
    start: () => new LlmAgent(model, opts),
    close: async () => model.close?.(),
  };
}

export interface UserResolveOptions {
  /** A separate model for judge roles (default: the user model). */
  judgeSpec?: string;
  models?: ModelBuildOptions;
}

export interface UserFactory {
  spec: string;
  /** The roles for one gym (the offline user where the gym has one). */
  roles(gym: GymDefinition<unknown>): UserRoles;
  models: ChatModel[];
  close(): Promise<void>;
}

/**
 * Resolve `--user`. Undefined works like `auto` but loads the local model only at its first call, so
 * callers that play only gyms with an offline user never load it; `auto` loads it at once (pass it when
 * a chosen gym has no offline user, so a missing model fails before the run rather than in a role call).
 */
export async function resolveUser(spec: string | undefined, opts: UserResolveOptions = {}): Promise<UserFactory> {
  if (spec === undefined || spec.trim() === "auto") {
    let built: Promise<ChatModel> | undefined;
    // A model that fails to load fails loudly — at once for `auto`, else every episode that needs it — rather than
    // feeding fallbacks.
    const load = () =>
      createModel(DEFAULT_LOCAL_MODEL, opts.models).catch((err: unknown) => {
        throw new ModelError(`the default local user ${DEFAULT_LOCAL_MODEL} could not be loaded: ${(err as Error).message}`, "unavailable");
      });
    const local: ChatModel = {
      spec: DEFAULT_LOCAL_MODEL,
      chat: async (messages, options) => (await (built ??= load())).chat(messages, options),
      close: async () => (await built?.catch(() => undefined))?.close?.(),
    };
    if (spec !== undefined) await (built = load());
    const judge = opts.judgeSpec ? await createModel(opts.judgeSpec, opts.models) : local;
    const label = opts.judgeSpec ? `${DEFAULT_LOCAL_MODEL} (judge: ${opts.judgeSpec})` : DEFAULT_LOCAL_MODEL;
    return {
      spec: "auto",
      roles: (gym) => (gym.offline ? { kind: "offline", spec: "offline" } : { kind: "llm", spec: label, user: local, judge }),
      models: judge === local ? [local] : [local, judge],
      close: async () => {
        await local.close?.();
        if (judge !== local) await judge.close?.();
      },
    };
  }
  const s = expandLocalAlias(spec).trim();
  if (s === "offline") {
    return {
      spec: s,
      roles: (gym) => {
        if (!gym.offline) {
          throw new SpecError(
            `gym "${gym.name}" has no offline user; pass --user <model spec> (e.g. openai:gpt-4o or openai:<model>@http://localhost:8000/v1)`,
          );
        }
        return { kind: "offline", spec: "offline" };
      },
      models: [],
      close: async () => {},
    };
  }
  const user = await createModel(s, opts.models);
  const judge = opts.judgeSpec ? await createModel(opts.judgeSpec, opts.models) : user;
  const label = opts.judgeSpec ? `${s} (judge: ${opts.judgeSpec})` : s;
  return {
    spec: label,
    roles: () => ({ kind: "llm", spec: label, user, judge }),
    models: judge === user ? [user] : [user, judge],
    close: async () => {
      await user.close?.();
      if (judge !== user) await judge.close?.();
    },
  };
}
