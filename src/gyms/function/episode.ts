/**
 * One FunctionGym episode: probes, the test case and answers, with the reference's feedback
 * (spec/gyms-tools.md §1). The kit counts steps and settles the end.
 *
 * Fix (default `compat: "fixed"`): probes must be integers, as the prompt says. The reference accepts
 * floats, so `[action] 3.0000001 5 5 3` slips past its test-case guard and returns (almost) the answer.
 * `compat: "userrl-2025"` keeps the reference behaviour.
 */
import type { Action } from "../../core/action.js";
import { pyFloat, pyFloatList, pyIntList, pyParseFloat, pyRound } from "../../core/pyformat.js";
import type { ResetResult } from "../../core/types.js";
import { KitEpisode, type Played } from "../kit/episode.js";
import { EvalError, evaluate, parseExpr, type Expr } from "./expr.js";
import type { FunctionPayload } from "./tasks.js";

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

export class FunctionEpisode extends KitEpisode<FunctionPayload> {
  protected readonly truncation = "at-limit";
  private answeredCorrectly = false;

  protected async opening(): Promise<ResetResult> {
    this.answeredCorrectly = false;
    return {
      feedback:
        "A new hidden function is ready. Probe it with [action] and four numbers, get the test case with [search] test, and give the result with [answer].",
      info: { function_id: this.task.id },
    };
  }

  protected async play(action: Action): Promise<Played> {
    const { feedback, reward, terminated } = this.apply(action);
    return {
      feedback,
      reward,
      done: terminated,
      info: ({ totalReward }) => ({ function_id: this.task.id, step: this.steps, answered_correctly: this.answeredCorrectly, total_reward: totalReward }),
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
