/**
 * A safe evaluator for FunctionGym rules (`c * (a * b) * d`, `b ** c - a ** d`) with Python float
 * semantics: `**` is right-associative and binds tighter than unary minus; division by zero, `0.0 ** -x`,
 * `**` overflow and complex results (negative base, fractional exponent) are errors; `*`/`+` overflow
 * gives inf. No `eval`: the rule is parsed into a tree once.
 */

export type Expr =
  | { k: "num"; v: number }
  | { k: "var"; name: string }
  | { k: "neg"; e: Expr }
  | { k: "bin"; op: BinOp; l: Expr; r: Expr };

export class EvalError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "EvalError";
  }
}

export function parseExpr(src: string): Expr {
  const tokens = src.match(/\*\*|\d+\.?\d*|\.\d+|[A-Za-z_]\w*|[-+*/()]|\S/g) ?? [];
  let i = 0;
  const peek = () => tokens[i];
  const next = () => tokens[i++];
  // Python grammar: arith := term (('+'|'-') term)*; term := factor (('*'|'/') factor)*;
  // factor := ('+'|'-') factor | power; power := atom ['**' factor]
  const arith = (): Expr => {
    let e = term();
    while (peek() === "+" || peek() === "-") {
      const op = next() as "+" | "-";
      e = { k: "bin", op, l: e, r: term() };
    }
    return e;
  };
  const term = (): Expr => {
    let e = factor();
    while (peek() === "*" || peek() === "/") {
      const op = next() as "*" | "/";
      e = { k: "bin", op, l: e, r: factor() };
    }
    return e;
  };
  const factor = (): Expr => {
    if (peek() === "-") {
      next();
      return { k: "neg", e: factor() };
    }
    if (peek() === "+") {
      next();
      return factor();
    }
    return power();
  };
  const power = (): Expr => {
    const base = atom();
    if (peek() === "**") {
      next();
      return { k: "bin", op: "**", l: base, r: factor() };
    }
    return base;
  };
  const atom = (): Expr => {
    const t = next();
    if (t === undefined) throw new SyntaxError(`unexpected end of rule "${src}"`);
    if (t === "(") {
      const e = arith();
      if (next() !== ")") throw new SyntaxError(`missing ")" in rule "${src}"`);
      return e;
    }
    if (/^(\d|\.\d)/.test(t)) return { k: "num", v: Number(t) };
    if (/^[A-Za-z_]/.test(t)) return { k: "var", name: t };
    throw new SyntaxError(`unexpected "${t}" in rule "${src}"`);
  };
  const e = arith();
  if (i < tokens.length) throw new SyntaxError(`unexpected "${tokens[i]}" in rule "${src}"`);
  return e;
}

/** Python float `x ** y` (float_pow), or the reason Python raises instead. */
function pyPowResult(x: number, y: number): number | string {
  if (y === 0) return 1;
  if (Number.isNaN(x)) return x;
  if (Number.isNaN(y)) return x === 1 ? 1 : y;
  if (!Number.isFinite(y)) {
    const ax = Math.abs(x);
    if (ax === 1) return 1;
    if (ax > 1) return y > 0 ? Infinity : 0;
    return y > 0 ? 0 : Infinity;
  }
  if (!Number.isFinite(x)) return Math.pow(x, y);
  if (x === 0) return y < 0 ? "0.0 cannot be raised to a negative power" : Math.pow(x, y);
  if (x < 0 && !Number.isInteger(y)) return "negative number raised to a fractional power (complex result)";
  const r = Math.pow(x, y);
  return Number.isFinite(r) ? r : "numerical result out of range";
}

export function pyPow(x: number, y: number): number {
  const r = pyPowResult(x, y);
  if (typeof r === "string") throw new EvalError(r);
  return r;
}

/** `pyPow` with NaN standing for "Python raises" (the hot path of the baseline's search). */
export function pyPowOrNaN(x: number, y: number): number {
  const r = pyPowResult(x, y);
  return typeof r === "string" ? NaN : r;
}

export type BinOp = "+" | "-" | "*" | "/" | "**";

/** One binary operation with Python float semantics (division by zero raises). */
export function applyOp(op: BinOp, l: number, r: number): number {
  switch (op) {
    case "+":
      return l + r;
    case "-":
      return l - r;
    case "*":
      return l * r;
    case "/":
      if (r === 0) throw new EvalError("float division by zero");
      return l / r;
    case "**":
      return pyPow(l, r);
  }
}

export function evaluate(e: Expr, env: Readonly<Record<string, number>>): number {
  switch (e.k) {
    case "num":
      return e.v;
    case "var": {
      const v = env[e.name];
      if (v === undefined) throw new EvalError(`unknown variable ${e.name}`);
      return v;
    }
    case "neg":
      return -evaluate(e.e, env);
    case "bin":
      return applyOp(e.op, evaluate(e.l, env), evaluate(e.r, env));
  }
}

/** Variables of a rule, in order of first appearance. */
export function variables(e: Expr, out: string[] = []): string[] {
  if (e.k === "var" && !out.includes(e.name)) out.push(e.name);
  else if (e.k === "neg") variables(e.e, out);
  else if (e.k === "bin") {
    variables(e.l, out);
    variables(e.r, out);
  }
  return out;
}
