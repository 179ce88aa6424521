/**
 * Enumerative synthesis for the FunctionGym baseline: find every expression of the rule family
 * (a, b, c, d each used once; + − × ÷ and powers; optional squaring of any subexpression) that
 * reproduces the observed probes. Built bottom-up over variable subsets; subexpressions that agree on
 * every point seen so far are merged (observational equivalence), which keeps the search small.
 */
import { applyOp, pyPow, pyPowOrNaN, type BinOp as Op } from "./expr.js";

/** A candidate expression as a tree over the four inputs. */
export type Cand =
  | { leaf: number; sq: boolean }
  | { op: Op; l: Cand; r: Cand; sq: boolean };

export interface Point {
  x: readonly number[];
  /** Observed (rounded) result, or null when the gym reported an evaluation error. */
  y: number | null;
}

const NAMES = ["a", "b", "c", "d"];

export function evalCand(c: Cand, x: readonly number[]): number {
  let v = "leaf" in c ? x[c.leaf] : applyOp(c.op, evalCand(c.l, x), evalCand(c.r, x));
  if (c.sq) v = pyPow(v, 2);
  return v;
}

/** NaN stands for "evaluation error" in value vectors. */
function safeEval(c: Cand, x: readonly number[]): number {
  try {
    return evalCand(c, x);
  } catch {
    return NaN;
  }
}

export function candToString(c: Cand): string {
  const s = "leaf" in c ? NAMES[c.leaf] : `(${candToString(c.l)} ${c.op} ${candToString(c.r)})`;
  return c.sq ? `${s} ** 2` : s;
}

/** Does a candidate reproduce an observation (results are shown rounded to 4 decimals)? */
export function matches(value: number, y: number | null): boolean {
  if (y === null) return Number.isNaN(value);
  if (Number.isNaN(value)) return false;
  if (!Number.isFinite(y) || !Number.isFinite(value)) return y === value;
  return Math.abs(value - y) <= 5e-5 + 1e-9 * Math.abs(y);
}

interface Entry {
  cand: Cand;
  values: Float64Array;
}

/** Exact identity of a value vector (NaN, i.e. error, normalised). */
function key(values: Float64Array): string {
  for (let i = 0; i < values.length; i++) if (values[i] !== values[i]) values[i] = NaN;
  return Buffer.from(values.buffer, values.byteOffset, values.byteLength).toString("latin1");
}

/**
 * All full expressions consistent with the points, grouped by their value on `test`.
 * `limit` caps the number of survivors kept (the search itself is exhaustive).
 */
export function synthesize(points: readonly Point[], test: readonly number[], limit = 5000): Cand[] {
  const xs = [...points.map((p) => p.x), test];
  const n = xs.length;
  const byMask = new Map<number, Entry[]>();
  const seen = new Map<number, Set<string>>();
  const add = (mask: number, cand: Cand, values: Float64Array) => {
    const k = key(values);
    let s = seen.get(mask);
    if (!s) seen.set(mask, (s = new Set()));
    if (s.has(k)) return;
    s.add(k);
    let list = byMask.get(mask);
    if (!list) byMask.set(mask, (list = []));
    list.push({ cand, values });
  };
  for (let i = 0; i < 4; i++) {
    const plain = new Float64Array(xs.map((x) => x[i]));
    add(1 << i, { leaf: i, sq: false }, plain);
    add(1 << i, { leaf: i, sq: true }, plain.map(safePow2));
  }
  const ops: [Op, boolean][] = [
    ["+", false],
    ["*", false],
    ["-", true],
    ["/", true],
    ["**", true],
  ];
  const survivors: Cand[] = [];
  const full = 15;
  const popcount = (m: number) => (m & 1) + ((m >> 1) & 1) + ((m >> 2) & 1) + ((m >> 3) & 1);
  for (let size = 2; size <= 4; size++) {
    for (let mask = 1; mask <= full; mask++) {
      if (popcount(mask) !== size) continue;
      for (let m1 = (mask - 1) & mask; m1 > 0; m1 = (m1 - 1) & mask) {
        const m2 = mask ^ m1;
        if (m1 > m2) continue; // each unordered split once; order handled by the op list
        const left = byMask.get(m1) ?? [];
        const right = byMask.get(m2) ?? [];
        for (const l of left) {
          for (const r of right) {
            for (const [op, ordered] of ops) {
              for (let flip = 0; flip < (ordered ? 2 : 1); flip++) {
                const x = flip ? r : l;
                const y = flip ? l : r;
                for (let sq = 0; sq < 2; sq++) {
                  if (mask !== full) {
                    const values = new Float64Array(n);
                    for (let i = 0; i < n; i++) {
                      const v = combine(op, x.values[i], y.values[i]);
                      values[i] = sq ? safePow2(v) : v;
                    }
                    add(mask, { op, l: x.cand, r: y.cand, sq: sq === 1 }, values);
                    continue;
                  }
                  // Full expressions are only checked against the observations; keep the consistent ones.
                  let ok = true;
                  for (let i = 0; i < points.length && ok; i++) {
                    let v = combine(op, x.values[i], y.values[i]);
                    if (sq && !Number.isNaN(v)) v = safePow2(v);
                    ok = matches(v, points[i].y);
                  }
                  if (ok && survivors.length < limit) survivors.push({ op, l: x.cand, r: y.cand, sq: sq === 1 });
                }
              }
            }
          }
        }
      }
    }
  }
  return survivors;
}

/** `applyOp` with NaN for "error" instead of an exception (the hot path of the search). */
function combine(op: Op, l: number, r: number): number {
  if (l !== l || r !== r) return NaN;
  switch (op) {
    case "+":
      return l + r;
    case "-":
      return l - r;
    case "*":
      return l * r;
    case "/":
      return r === 0 ? NaN : l / r;
    case "**":
      return pyPowOrNaN(l, r);
  }
}

function safePow2(v: number): number {
  return pyPowOrNaN(v, 2);
}

/** Candidate answers for the test case, most supported first. */
export function rankAnswers(cands: readonly Cand[], test: readonly number[]): { value: number; support: number }[] {
  const groups: { value: number; support: number }[] = [];
  for (const c of cands) {
    const v = safeEval(c, test);
    if (!Number.isFinite(v)) continue;
    const g = groups.find((x) => Math.abs(x.value - v) <= 1e-7 * Math.max(1, Math.abs(v)));
    if (g) g.support++;
    else groups.push({ value: v, support: 1 });
  }
  return groups.sort((a, b) => b.support - a.support);
}
