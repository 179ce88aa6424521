/**
 * tau-bench's `calculate` tool: `str(round(float(eval(expression)), 2))` for an expression made only of
 * `0123456789+-*\/(). `. This is a small Python expression evaluator for exactly that alphabet, with
 * Python's semantics: arbitrary-precision ints, true division of ints correctly rounded, `//` flooring,
 * `**` binding tighter than a unary minus on its left and associating to the right, a negative base to a
 * fractional power giving a complex number, `()` being an empty tuple, `2(3)` being a call — and Python's
 * error texts (`division by zero`, `invalid syntax (<string>, line 1)`, …).
 */
import { pyFloat, pyRound } from "../../../core/pyformat.js";
import { PyError } from "../pyvalue.js";

type Value = { t: "int"; v: bigint } | { t: "float"; v: number } | { t: "complex" } | { t: "tuple" };

/** Ints beyond this many bits are refused (Python would compute them, slowly, then fail in `float()`). */
const MAX_INT_BITS = 1 << 20;
/** CPython 3.11's limits: bracket nesting (tokenizer), expression depth (compiler), `**` chains (parser). */
const MAX_PARENS = 200;
const MAX_DEPTH = 2990;
const MAX_POWER_CHAIN = 2987;

const syntax = (msg: string, line = 1) => new PyError("SyntaxError", `${msg} (<string>, line ${line})`);
const typeError = (msg: string) => new PyError("TypeError", msg);

type Token = { k: "num"; text: string; float: boolean } | { k: "op"; text: string };

function tokenize(src: string): Token[] {
  const tokens: Token[] = [];
  let depth = 0;
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (c === " ") {
      i++;
      continue;
    }
    const num = /^(?:\d+\.\d*|\.\d+|\d+)/.exec(src.slice(i));
    if (num) {
      const text = num[0];
      const float = text.includes(".");
      if (!float && /^0+[1-9]/.test(text)) {
        throw syntax("leading zeros in decimal integer literals are not permitted; use an 0o prefix for octal integers");
      }
      tokens.push({ k: "num", text, float });
      i += text.length;
      continue;
    }
    const two = src.slice(i, i + 2);
    const op = two === "**" || two === "//" ? two : c;
    if (op === "(" && ++depth > MAX_PARENS) throw syntax("too many nested parentheses");
    if (op === ")") {
      if (depth === 0) throw syntax("unmatched ')'");
      depth--;
    }
    tokens.push({ k: "op", text: op });
    i += op.length;
  }
  if (depth > 0) throw syntax("'(' was never closed");
  return tokens;
}

type NodeBody =
  | { k: "num"; value: Value }
  | { k: "unary"; op: string; arg: Node }
  | { k: "bin"; op: string; left: Node; right: Node }
  | { k: "call"; callee: Node; arg?: Node };
type Node = NodeBody & { depth: number };

const tooDeep = () => new PyError("RecursionError", "maximum recursion depth exceeded during compilation");

/** A node one level above its children (depth is tracked while parsing, so nothing recurses on a deep tree). */
function node(n: NodeBody, ...children: (Node | undefined)[]): Node {
  const depth = 1 + Math.max(0, ...children.map((c) => c?.depth ?? 0));
  if (depth > MAX_DEPTH) throw tooDeep();
  return { ...n, depth };
}

/** Parses the whole expression first, so a syntax error wins over any runtime error, as in Python. */
class Parser {
  private i = 0;
  private depth = 0;
  private unaryChain = 0;
  private powerChain = 0;
  constructor(private readonly tokens: Token[]) {}

  parse(): Node {
    if (this.tokens.length === 0) throw syntax("invalid syntax", 0);
    const node = this.expr();
    if (this.i < this.tokens.length) throw this.unexpected();
    return node;
  }

  private peek(): Token | undefined {
    return this.tokens[this.i];
  }

  private isOp(text: string): boolean {
    const t = this.peek();
    return t?.k === "op" && t.text === text;
  }

  private unexpected(): PyError {
    // Python hints at a missing comma when two expressions meet inside brackets.
    if (this.depth > 0 && this.peek()?.k === "num") return syntax("invalid syntax. Perhaps you forgot a comma?");
    return syntax("invalid syntax");
  }

  private binary(next: () => Node, ops: string[]): Node {
    let left = next();
    while (ops.some((op) => this.isOp(op))) {
      const op = this.tokens[this.i++].text;
      const right = next();
      left = node({ k: "bin", op, left, right }, left, right);
    }
    return left;
  }

  private expr(): Node {
    return this.binary(() => this.term(), ["+", "-"]);
  }

  private term(): Node {
    return this.binary(() => this.factor(), ["*", "/", "//"]);
  }

  private factor(): Node {
    if (this.isOp("+") || this.isOp("-")) {
      const op = this.tokens[this.i++].text;
      if (++this.unaryChain > MAX_DEPTH) throw tooDeep();
      const arg = this.factor();
      this.unaryChain--;
      return node({ k: "unary", op, arg }, arg);
    }
    return this.power();
  }

  private power(): Node {
    const base = this.primary();
    if (!this.isOp("**")) return base;
    this.i++;
    if (++this.powerChain > MAX_POWER_CHAIN) throw new PyError("MemoryError", "");
    const right = this.factor();
    this.powerChain--;
    return node({ k: "bin", op: "**", left: base, right }, base, right);
  }

  private primary(): Node {
    let call = this.atom();
    while (this.isOp("(")) {
      this.i++;
      this.depth++;
      const arg = this.isOp(")") ? undefined : this.expr();
      if (!this.isOp(")")) throw this.unexpected();
      this.i++;
      this.depth--;
      call = node({ k: "call", callee: call, arg }, call, arg);
    }
    return call;
  }

  private atom(): Node {
    const t = this.peek();
    if (!t) throw syntax("invalid syntax");
    if (t.k === "num") {
      this.i++;
      return { k: "num", value: t.float ? { t: "float", v: Number(t.text) } : { t: "int", v: BigInt(t.text) }, depth: 0 };
    }
    if (t.text !== "(") throw syntax("invalid syntax");
    this.i++;
    this.depth++;
    let inner: Node;
    if (this.isOp(")")) inner = { k: "num", value: { t: "tuple" }, depth: 0 };
    else {
      inner = this.expr();
      if (!this.isOp(")")) throw this.unexpected();
    }
    this.i++;
    this.depth--;
    return inner;
  }
}

function evaluate(node: Node): Value {
  switch (node.k) {
    case "num":
      return node.value;
    case "unary":
      return unary(node.op, evaluate(node.arg));
    case "call": {
      const callee = evaluate(node.callee);
      if (node.arg) evaluate(node.arg);
      throw typeError(`'${typeOf(callee)}' object is not callable`);
    }
    case "bin": {
      const a = evaluate(node.left);
      const b = evaluate(node.right);
      switch (node.op) {
        case "+":
          return addValues(a, b);
        case "-":
          return subValues(a, b);
        case "*":
          return mulValues(a, b);
        case "/":
          return trueDiv(a, b);
        case "//":
          return floorDiv(a, b);
        default:
          return powValues(a, b);
      }
    }
  }
}

function typeOf(v: Value): string {
  return v.t;
}

function toFloat(v: Value): number {
  if (v.t === "float") return v.v;
  if (v.t === "int") {
    const x = Number(v.v);
    if (!Number.isFinite(x)) throw new PyError("OverflowError", "int too large to convert to float");
    return x;
  }
  throw typeError(`float() argument must be a string or a real number, not '${v.t}'`);
}

function checkBits(v: bigint): Value {
  const bits = (v < 0n ? -v : v).toString(16).length * 4;
  if (bits > MAX_INT_BITS) throw new PyError("OverflowError", "integer too large to compute");
  return { t: "int", v };
}

function unsupported(op: string, a: Value, b: Value): PyError {
  return typeError(`unsupported operand type(s) for ${op}: '${a.t}' and '${b.t}'`);
}

function numeric(op: string, a: Value, b: Value): void {
  if (a.t === "tuple" || b.t === "tuple") throw unsupported(op, a, b);
}

function addValues(a: Value, b: Value): Value {
  if (a.t === "tuple" && b.t === "tuple") return a;
  if (a.t === "tuple") throw typeError(`can only concatenate tuple (not "${b.t}") to tuple`);
  numeric("+", a, b);
  if (a.t === "complex" || b.t === "complex") return { t: "complex" };
  if (a.t === "int" && b.t === "int") return checkBits(a.v + b.v);
  return { t: "float", v: toFloat(a) + toFloat(b) };
}

function subValues(a: Value, b: Value): Value {
  numeric("-", a, b);
  if (a.t === "complex" || b.t === "complex") return { t: "complex" };
  if (a.t === "int" && b.t === "int") return checkBits(a.v - b.v);
  return { t: "float", v: toFloat(a) - toFloat(b) };
}

function mulValues(a: Value, b: Value): Value {
  if (a.t === "tuple" || b.t === "tuple") {
    const other = a.t === "tuple" ? b : a;
    if (other.t === "tuple" || other.t !== "int") throw typeError(`can't multiply sequence by non-int of type '${other.t}'`);
    return { t: "tuple" };
  }
  if (a.t === "complex" || b.t === "complex") return { t: "complex" };
  if (a.t === "int" && b.t === "int") return checkBits(a.v * b.v);
  return { t: "float", v: toFloat(a) * toFloat(b) };
}

function trueDiv(a: Value, b: Value): Value {
  numeric("/", a, b);
  if (a.t === "complex" || b.t === "complex") {
    if (b.t !== "complex" && toFloat(b) === 0) throw new PyError("ZeroDivisionError", "complex division by zero");
    return { t: "complex" };
  }
  if (a.t === "int" && b.t === "int") {
    if (b.v === 0n) throw new PyError("ZeroDivisionError", "division by zero");
    return { t: "float", v: intTrueDivide(a.v, b.v) };
  }
  const y = toFloat(b);
  if (y === 0) throw new PyError("ZeroDivisionError", "float division by zero");
  return { t: "float", v: toFloat(a) / y };
}

function floorDiv(a: Value, b: Value): Value {
  numeric("//", a, b);
  if (a.t === "complex" || b.t === "complex") throw unsupported("//", a, b);
  if (a.t === "int" && b.t === "int") {
    if (b.v === 0n) throw new PyError("ZeroDivisionError", "integer division or modulo by zero");
    const q = a.v / b.v;
    const floored = a.v % b.v !== 0n && a.v < 0n !== b.v < 0n ? q - 1n : q;
    return { t: "int", v: floored };
  }
  const x = toFloat(a);
  const y = toFloat(b);
  if (y === 0) throw new PyError("ZeroDivisionError", "float floor division by zero");
  return { t: "float", v: pyFloatFloorDiv(x, y) };
}

/** CPython's float floor division (via fmod, so it agrees with `%`). */
function pyFloatFloorDiv(vx: number, wx: number): number {
  let mod = vx % wx;
  let div = (vx - mod) / wx;
  if (mod) {
    if (wx < 0 !== mod < 0) {
      mod += wx;
      div -= 1.0;
    }
  }
  if (div) {
    let floordiv = Math.floor(div);
    if (div - floordiv > 0.5) floordiv += 1.0;
    return floordiv;
  }
  return Math.sign(vx / wx) < 0 || Object.is(vx / wx, -0) ? -0 : 0;
}

function unary(op: string, v: Value): Value {
  if (v.t === "tuple") throw typeError(`bad operand type for unary ${op}: 'tuple'`);
  if (op === "+" || v.t === "complex") return v;
  return v.t === "int" ? { t: "int", v: -v.v } : { t: "float", v: -v.v };
}

function powValues(a: Value, b: Value): Value {
  if (a.t === "tuple" || b.t === "tuple") throw unsupported("** or pow()", a, b);
  if (a.t === "complex" || b.t === "complex") return { t: "complex" };
  if (a.t === "int" && b.t === "int" && b.v >= 0n) {
    const baseBits = BigInt((a.v < 0n ? -a.v : a.v).toString(2).length);
    if (a.v !== 0n && a.v !== 1n && a.v !== -1n && baseBits * b.v > BigInt(MAX_INT_BITS)) {
      throw new PyError("OverflowError", "integer too large to compute");
    }
    return { t: "int", v: a.v ** b.v };
  }
  const x = toFloat(a);
  const y = toFloat(b);
  if (x === 0 && y < 0) throw new PyError("ZeroDivisionError", "0.0 cannot be raised to a negative power");
  if (x < 0 && !Number.isInteger(y) && Number.isFinite(y)) return { t: "complex" };
  const r = Math.pow(x, y);
  if (!Number.isFinite(r) && Number.isFinite(x) && Number.isFinite(y)) {
    throw new PyError("OverflowError", "(34, 'Numerical result out of range')");
  }
  return { t: "float", v: r };
}

/** Python's int / int: the exact quotient rounded once to the nearest double. */
function intTrueDivide(a: bigint, b: bigint): number {
  const limit = 2n ** 53n;
  const abs = (x: bigint) => (x < 0n ? -x : x);
  if (abs(a) <= limit && abs(b) <= limit) return Number(a) / Number(b);
  const negative = a < 0n !== b < 0n;
  let n = abs(a);
  const d = abs(b);
  // Scale so the integer quotient has at least 55 significant bits, keep a sticky bit, round once.
  const shift = Math.max(0, 55 - (n.toString(2).length - d.toString(2).length));
  n <<= BigInt(shift);
  const q = n / d;
  const sticky = n % d === 0n ? 0n : 1n;
  const scaled = Number((q << 1n) | sticky); // rounded to nearest, ties to even
  let result = scaled;
  let e = shift + 1;
  while (e > 1000) {
    result /= 2 ** 1000;
    e -= 1000;
  }
  result /= 2 ** e;
  if (!Number.isFinite(result)) throw new PyError("OverflowError", "integer division result too large for a float");
  return negative ? -result : result;
}

/** The result text of `calculate` for an expression already checked against the allowed characters. */
export function calculate(expression: string): string {
  // eval() ignores leading spaces of its source.
  const value = evaluate(new Parser(tokenize(expression.replace(/^ +/, ""))).parse());
  return pyFloat(pyRound(toFloat(value), 2));
}
