/** Tools both domains have: `calculate`, `think`, `transfer_to_human_agents`, and schema pieces they share. */
import { calculate } from "../calculator.js";
import { contains, iterate, PyError } from "../pyvalue.js";
import type { ParamSchema, TauTool } from "./tool.js";

export const str = (description?: string): ParamSchema => (description === undefined ? { type: "string" } : { type: "string", description });
export const strEnum = (values: readonly string[], description?: string): ParamSchema =>
  description === undefined ? { type: "string", enum: values } : { type: "string", enum: values, description };
export const strList = (description: string): ParamSchema => ({ type: "array", items: { type: "string" }, description });

const CALC_ALPHABET = "0123456789+-*/(). ";

export const calculateTool: TauTool = {
  name: "calculate",
  description: "Calculate the result of a mathematical expression.",
  params: [
    [
      "expression",
      str(
        "The mathematical expression to calculate, such as '2 + 2'. The expression can contain numbers, operators (+, -, *, /), parentheses, and spaces.",
      ),
    ],
  ],
  invoke: (_db, { expression }) => {
    // The character check runs outside tau-bench's try block, so its TypeErrors surface as tool errors.
    if (!iterate(expression).every((ch) => contains(CALC_ALPHABET, ch))) return "Error: invalid characters in expression";
    try {
      if (typeof expression !== "string") throw new PyError("TypeError", "eval() arg 1 must be a string, bytes or code object");
      return calculate(expression);
    } catch (err) {
      if (err instanceof PyError) return `Error: ${err.message}`;
      throw err;
    }
  },
};

export function thinkTool(description: string): TauTool {
  return {
    name: "think",
    description,
    params: [["thought", str("A thought to think about.")]],
    invoke: () => "",
  };
}

export const TRANSFER_TOOL = "transfer_to_human_agents";

export const transferTool: TauTool = {
  name: TRANSFER_TOOL,
  description:
    "Transfer the user to a human agent, with a summary of the user's issue. Only transfer if the user explicitly asks for a human agent, or if the user's issue cannot be resolved by the agent with the available tools.",
  params: [["summary", str("A summary of the user's issue.")]],
  invoke: () => "Transfer successful",
};
