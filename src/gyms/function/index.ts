/**
 * FunctionGym: discover a hidden function of four numbers by probing it, then answer the test case.
 * Fully rule-based (no LLM). Behaviour and feedback follow the reference (spec/gyms-tools.md §1).
 *
 * Fix (default `compat: "fixed"`): probes must be integers, as the prompt says. The reference accepts
 * floats, so `[action] 3.0000001 5 5 3` slips past its test-case guard and returns (almost) the answer.
 * `compat: "userrl-2025"` keeps the reference behaviour.
 */
import type { Action } from "../../core/action.js";
import { pyFloat, pyFloatList, pyIntList, pyParseFloat, pyRound } from "../../core/pyformat.js";
import type { GymContext, GymDefinition, GymEpisode, ResetResult, StepResult, Task } from "../../core/types.js";
import type { DataStore } from "../../data/store.js";
import { optionsCheck } from "../kit/episode.js";
import { buildSystemPrompt } from "../kit/system-prompt.js";
import { binaryScoring } from "../kit/scoring.js";
import { memoizeTasks } from "../kit/dataset-prompt.js";
import { tasksFromParquet } from "../kit/parquet-tasks.js";
import { FunctionBaseline } from "./baseline.js";
import { EvalError, evaluate, parseExpr, type Expr } from "./expr.js";
import { z } from "zod";

export interface FunctionPayload {
  rule: string;
  testCase: number[];
  expected: number;
}

const functionItem = z.object({
  id: z.string(),
  rule: z.string(),
  test_case: z.array(z.number()).length(4),
  expected_result: z.number(),
});

const COMPLETE = "Episode is complete. Call reset() to start a new episode.";
const MSG = {
  needNumbers: "Please provide four numbers after [action].",
  exactlyFour: "Please provide exactly four numbers.",
  needIntegers: "Please provide four integers: this environment only evaluates whole numbers.",
  isTestCase: "This is the test case and I cannot provide you with the calculation feedback.",
  evalError:
    "Error parsing numbers or calculating result. This may happen like when division by zero occurs. Please try again with different number combinations.",
  searchOnlyTest: "Search content should only be 'test' to get the test case.",
  emptyAnswer: "Answer is empty. Please provide a numerical answer.",
  invalidAnswer: "Invalid numerical answer. Please provide a valid number.",
  correct: "Your answer is correct!",
  wrong: "Your answer is wrong. Please continue to try and reason about the hidden function and make your answer attempt later.",
  finishedCorrect: "Episode finished. You answered correctly!",
  invalidFormat: "Invalid action format. Please use [action], [search], [answer], or [finish].",
};

const exprCache = new Map<string, Expr>();
function compiled(rule: string): Expr {
  let e = exprCache.get(rule);
  if (!e) {
    e = parseExpr(rule);
    exprCache.set(rule, e);
  }
  return e;
}

export class FunctionEpisode implements GymEpisode {
  private steps = 0;
  private finished = false;
  private answeredCorrectly = false;
  private totalReward = 0;

  constructor(
    private readonly task: Task<FunctionPayload>,
    private readonly ctx: GymContext,
  ) {}

  async reset(): Promise<ResetResult> {
    this.steps = 0;
    this.finished = false;
    this.answeredCorrectly = false;
    this.totalReward = 0;
    return {
      feedback:
        "A new hidden function is ready. Probe it with [action] and four numbers, get the test case with [search] test, and give the result with [answer].",
      info: { function_id: this.task.id },
    };
  }

  async step(action: Action): Promise<StepResult> {
    if (this.finished) return { feedback: COMPLETE, reward: 0, done: true, truncated: false, info: { error: "episode_complete" } };
    this.steps++;
    const { feedback, reward, terminated } = this.apply(action);
    this.totalReward += reward;
    const truncated = this.steps >= this.ctx.maxSteps;
    this.finished = terminated || truncated;
    return {
      feedback,
      reward,
      done: terminated,
      truncated,
      info: { function_id: this.task.id, step: this.steps, answered_correctly: this.answeredCorrectly, total_reward: this.totalReward },
    };
  }

  private apply(action: Action): { feedback: string; reward: number; terminated: boolean } {
    const p = this.task.payload;
    const tag = action.exactTag ? action.choice : null;
    switch (tag) {
      case "action": {
        if (!action.content) return { feedback: MSG.needNumbers, reward: 0, terminated: false };
        const numbers = (action.content.match(/-?\d+\.?\d*/g) ?? []).map(Number);
        if (numbers.length !== 4) return { feedback: MSG.exactlyFour, reward: 0, terminated: false };
        if (this.ctx.compat === "fixed" && !numbers.every(Number.isInteger)) {
          return { feedback: MSG.needIntegers, reward: 0, terminated: false };
        }
        if (numbers.every((n, i) => n === p.testCase[i])) return { feedback: MSG.isTestCase, reward: 0, terminated: false };
        try {
          const [a, b, c, d] = numbers;
          const result = pyRound(evaluate(compiled(p.rule), { a, b, c, d }), 4);
          return { feedback: `For numbers ${pyFloatList(numbers)}, the result is ${pyFloat(result)}.`, reward: 0, terminated: false };
        } catch (err) {
          if (err instanceof EvalError) return { feedback: MSG.evalError, reward: 0, terminated: false };
          throw err;
        }
      }
      case "search":
        if (action.content.toLowerCase() === "test") {
          return { feedback: `Test case: ${pyIntList(p.testCase)}`, reward: 0, terminated: false };
        }
        return { feedback: MSG.searchOnlyTest, reward: 0, terminated: false };
      case "answer": {
        if (!action.content) return { feedback: MSG.emptyAnswer, reward: 0, terminated: false };
        const x = pyParseFloat(action.content);
        if (x === undefined) return { feedback: MSG.invalidAnswer, reward: 0, terminated: false };
        if (Math.abs(x - p.expected) <= 1e-6) {
          this.answeredCorrectly = true;
          return { feedback: MSG.correct, reward: 1, terminated: true };
        }
        return { feedback: MSG.wrong, reward: 0, terminated: false };
      }
      case "finish":
        return {
          feedback: this.answeredCorrectly
            ? MSG.finishedCorrect
            : `Episode finished without correct answer. The expected result for the test case was: ${pyFloat(p.expected)}`,
          reward: 0,
          terminated: true,
        };
      default:
        return { feedback: MSG.invalidFormat, reward: 0, terminated: false };
    }
  }
}

const loadTasks = memoizeTasks(async function loadFunctionTasks(data: DataStore): Promise<Task<FunctionPayload>[]> {
  const items = await data.jsonOf("userrl/gyms/function_functions.json", z.array(functionItem));
  const byId = new Map(items.map((x) => [x.id, x]));
  return tasksFromParquet(data, {
    gym: "function",
    parquet: "function_multiturn",
    itemKind: "function",
    find: (id) => byId.get(id),
    payload: (item) => {
      parseExpr(item.rule); // validate once
      return { rule: item.rule, testCase: item.test_case, expected: item.expected_result };
    },
  });
});

export const functionGym: GymDefinition<FunctionPayload> = {
  name: "function",
  title: "FunctionGym",
  summary: "Discover a hidden function of four numbers by probing it, then answer the test case.",
  choices: ["search", "action", "answer"],
  metric: "binary",
  scoring: binaryScoring("Success: the right rule pays 1 once."),
  offline: true,
  roles: [],
  offlineUser: "no user needed: the gym is fully rule-based",
  tasks: loadTasks,
  checkOptions: optionsCheck("function", z.object({})),
  systemPrompt: () =>
    buildSystemPrompt({
      environment:
        "The user holds a hidden function f(a, b, c, d) of four numbers. Each of a, b, c, d appears exactly once in it, " +
        "possibly in a shuffled order, combined with addition, subtraction, multiplication, division and powers " +
        "(squares, or one input raised to another). You can evaluate f on inputs of your choice, then you must " +
        "give f's value on a fixed test case.",
      choices: {
        search: "content must be exactly `test`; returns the test case's four numbers.",
        action: "content is four integers separated by spaces; returns f evaluated on them (the test case itself is refused).",
        answer: "content is one number: your value of f on the test case. You may answer more than once.",
      },
      tips: [
        "Start with small inputs and change one input at a time to see how each position affects the result.",
        "Once your hypothesis explains every probe, apply it to the test case and answer.",
      ],
    }),
  firstMessage: () => "I have a hidden function of four numbers ready. Probe it as you like, then tell me its value on the test case.",
  create: (task, ctx) => new FunctionEpisode(task, ctx),
  baseline: () => new FunctionBaseline(),
};
