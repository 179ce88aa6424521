/**
 * One TauGym episode (spec/gyms-tools.md §3): the agent serves a tau-bench customer through
 * `[search] tools|help`, `[action] <message to the customer>`, `[answer] <tool call>` and `[finish]`.
 * The episode ends when the customer says `###STOP###`, when the agent transfers to a human agent,
 * on `[finish]` (reward 0), or at the step limit (truncation: no reward). Feedback texts follow the
 * reference byte for byte.
 */
import { pyStrip, type Action } from "../../core/action.js";
import { pyFloat, pyStr } from "../../core/pyformat.js";
import type { ResetResult, RoleCall } from "../../core/types.js";
import { KitEpisode, type Played } from "../kit/episode.js";
import { DataStore } from "../../data/store.js";
import { mustPropagate } from "../../models/types.js";
import { isStop, type Customer } from "./customer/customer.js";
import { customerRole, LlmCustomer } from "./customer/llm.js";
import { playedBy } from "../kit/choose.js";
import { ScriptedCustomer } from "./customer/scripted.js";
import { TauDb } from "./db.js";
import { domainData, isTerminating, type DomainData } from "./domain.js";
import { parseToolCallText } from "./grammar.js";
import { dictEntries, dictGet, dictHas, type PyDict } from "./pyvalue.js";
import { tauReward, type RewardInfo, type ToolCallRecord } from "./reward.js";
import { taskStore, type TauPayload } from "./tasks.js";
import { callTool } from "./tools/tool.js";
import { HELP_TEXT } from "./prompt.js";
import { tauOptions } from "./options.js";

const MSG = {
  invalidFormat: (action: string) => `Invalid action format: ${action}. Please follow the system instruction to call the interact tool.`,
  toolsAgain:
    "Tools information is already provided in previous turns in our conversation. Please directly refer to those information and do not search for available tools again.",
  searchUnsupported: (q: string) =>
    `Search not supported for '${q}'. Please search for available tools by providing 'tools' in content or show help information by providing 'help' in content.`,
  invalidToolCall: "Invalid tool call format. Please provide valid JSON format in content when calling the internal tool.",
  unknownAction: (name: string) => `Unknown action ${name}`,
  finished: (reward: number) => `Episode finished. Final reward: ${pyFloat(reward)}`,
  userError: (e: string) => `Error communicating with user: ${e}`,
  toolError: (e: string) => `Error executing tool call: ${e}`,
};

const RESPOND = "respond";

/** tau-bench's answer to one of its steps, as the reference records it (`tau_response`). */
interface TauResponse {
  observation: string;
  reward: number;
  done: boolean;
  source: string;
  reward_info?: RewardInfo;
}

interface Outcome {
  feedback: string;
  reward: number;
  terminated: boolean;
  roleCalls?: RoleCall[];
  fallbacks?: string[];
}

const errorText = (err: unknown) => (err instanceof Error ? err.message : String(err));

export class TauEpisode extends KitEpisode<TauPayload> {
  protected readonly truncation = "at-limit";
  /** The tau-bench port answers a huge tool call as CPython does (e.g. its recursion limit), so it reads it whole. */
  protected override readonly wholeActions = true;
  private domain!: DomainData;
  private db!: TauDb;
  private customer!: Customer;
  private toolsShown = false;
  private history: string[] = [];
  /** Everything the agent said to the customer (tau's `respond` contents), for the outputs check. */
  private said: string[] = [];
  private calls: ToolCallRecord[] = [];
  private last?: TauResponse;

  protected async opening(): Promise<ResetResult> {
    const p = this.task.payload;
    const options = tauOptions(this.ctx.options);
    this.domain = await domainData(taskStore(this.task) ?? DataStore.default(), p.domain);
    this.db = new TauDb(this.domain.pristine);
    this.toolsShown = false;
    this.history = [];
    this.said = [];
    this.calls = [];
    this.last = undefined;
    this.customer =
      playedBy(this.ctx, customerRole()) !== "offline"
        ? new LlmCustomer(this.ctx, this.task, () => this.steps, options.roleTimeoutMs)
        : new ScriptedCustomer({
            task: p,
            domain: this.domain,
            live: () => this.db.snapshot(),
            said: this.said,
            calls: this.calls,
            maxTurns: options.customerTurns,
            persona: this.ctx.persona,
          });
    const opening = await this.customer.open();
    return {
      feedback: `User says: ${opening.text}`,
      info: {
        task_id: this.task.id,
        task_category: p.domain,
        task_index: p.index,
        tau_task: { user_id: p.userId, actions: p.actions, instruction: p.instruction, outputs: p.outputs },
      },
      roleCalls: opening.roleCalls,
    };
  }

  protected async play(action: Action): Promise<Played> {
    const raw = pyStrip(action.raw);
    this.history.push(raw);
    const outcome = await this.apply(action, raw);
    return {
      feedback: outcome.feedback,
      reward: outcome.reward,
      done: outcome.terminated,
      info: ({ totalReward }) => ({
        raw_action: raw,
        task_id: this.task.id,
        task_category: this.task.payload.domain,
        action_history: [...this.history],
        total_reward: totalReward,
        tau_response: this.last ?? null,
      }),
      roleCalls: outcome.roleCalls,
      fallbacks: outcome.fallbacks,
    };
  }

  private async apply(action: Action, raw: string): Promise<Outcome> {
    const tag = action.exactTag ? action.choice : null;
    switch (tag) {
      case "search":
        return { feedback: this.search(action.content.toLowerCase()), reward: 0, terminated: false };
      case "action":
        return this.tauStep(RESPOND, { content: action.content }, MSG.userError);
      case "answer": {
        const call = parseToolCallText(action.content);
        if (!call.ok) return { feedback: MSG.invalidToolCall, reward: 0, terminated: false };
        return this.tauStep(call.name, call.kwargs, MSG.toolError);
      }
      case "finish": {
        const reward = this.last?.reward ?? 0;
        return { feedback: MSG.finished(reward), reward, terminated: true };
      }
      default:
        return { feedback: MSG.invalidFormat(raw), reward: 0, terminated: false };
    }
  }

  private search(query: string): string {
    if (query === "tools") {
      if (this.toolsShown) return MSG.toolsAgain;
      this.toolsShown = true;
      return this.domain.listing;
    }
    if (query === "help") return HELP_TEXT;
    return MSG.searchUnsupported(query);
  }

  /** One tau-bench step: a message to the customer (`respond`) or a tool call; reward when it ends the task. */
  private async tauStep(name: string, kwargs: PyDict, failure: (e: string) => string): Promise<Outcome> {
    let observation: string;
    let done = false;
    let roleCalls: RoleCall[] | undefined;
    const tool = this.domain.toolsByName.get(name);
    if (name === RESPOND) {
      if (!dictHas(kwargs, "content")) return { feedback: failure("'content'"), reward: 0, terminated: false, fallbacks: ["respond without content"] };
      const content = dictGet(kwargs, "content");
      const message = typeof content === "string" ? content : pyStr(content);
      this.said.push(message);
      try {
        const reply = await this.customer.reply(message);
        roleCalls = reply.roleCalls;
        observation = reply.text;
      } catch (err) {
        if (mustPropagate(err)) throw err;
        return { feedback: failure(errorText(err)), reward: 0, terminated: false, fallbacks: [`customer failed: ${errorText(err)}`] };
      }
      done = isStop(observation);
    } else if (tool) {
      const outcome = callTool(this.domain.domain, tool, this.db, kwargs);
      this.calls.push({ name, kwargs: Object.fromEntries(dictEntries(kwargs)), output: outcome.output });
      if (outcome.output === null) {
        return { feedback: failure("the tool returned no observation (None)"), reward: 0, terminated: false };
      }
      observation = outcome.output;
      done = isTerminating(name);
      if (outcome.internalError) {
        return { feedback: observation, reward: 0, terminated: false, fallbacks: [`tool ${name} failed in the port: ${outcome.internalError}`] };
      }
    } else observation = MSG.unknownAction(name);

    let reward = 0;
    let rewardInfo: RewardInfo | undefined;
    if (done) {
      rewardInfo = tauReward({
        domain: this.domain,
        task: this.task.payload,
        live: this.db.snapshot(),
        said: this.said,
        calls: this.calls,
        compat: this.ctx.compat,
      });
      reward = rewardInfo.reward;
    }
    this.last = { observation, reward, done, source: name, ...(rewardInfo ? { reward_info: rewardInfo } : {}) };
    return { feedback: observation, reward, terminated: done, roleCalls };
  }
}
