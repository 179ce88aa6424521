/** Tools both domains have: `calculate`, `think`, `transfer_to_human_agents`, and pieces they share. */
import { pyJsonDumps } from "../../../core/pyformat.js";
import { calculate } from "./calculator.js";
import { contains, getItem, iterate, PyError } from "../pyvalue.js";
import type { ParamSchema, TauTool } from "./tool.js";

export const str = (description: string): ParamSchema => ({ type: "string", description });
export const strEnum = (values: readonly string[], description: string): ParamSchema => ({ type: "string", enum: values, description });
export const strList = (description: string): ParamSchema => ({ type: "array", items: { type: "string" }, description });

/** A tool that shows one record of a table by its key (`json.dumps` of it), or says it is not found. */
export function lookupTool(
  tool: Pick<TauTool, "name" | "description" | "identifiesCustomer">,
  table: string,
  [param, schema]: [string, ParamSchema],
  notFound: string,
): TauTool {
  return {
    ...tool,
    params: [[param, schema]],
    invoke: (db, args) => {
      const records = db.table(table);
      const key = args[param];
      return contains(records, key) ? pyJsonDumps(getItem(records, key)) : notFound;
    },
  };
}

const CALC_ALPHABET = "0123456789+-*/(). ";

export const calculateTool: TauTool = {
  name: "calculate",
  description: "Evaluate an arithmetic expression and return its value; use it rather than doing sums in your head.",
  params: [
    [
      "expression",
      str(
        "The expression to evaluate, e.g. '(120.5 + 30) * 2'. Only digits, decimal points, spaces, parentheses and the operators + - * / are allowed.",
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

export const thinkTool: TauTool = {
  name: "think",
  description:
    "Write down a thought, to reason through a complicated step or keep notes. It looks nothing up and changes nothing: the thought only goes into the log.",
  params: [["thought", str("The thought to write down.")]],
  invoke: () => "",
};

export const TRANSFER_TOOL = "transfer_to_human_agents";

export const transferTool: TauTool = {
  name: TRANSFER_TOOL,
  description:
    "Hand the user over to a human agent, with a summary of their issue; this ends your conversation with them. Use it only when the user explicitly asks for a human, or when their issue cannot be resolved with the tools you have.",
  params: [["summary", str("A short summary of the user's issue, for the human agent who takes over.")]],
  invoke: () => "Transfer successful",
};
