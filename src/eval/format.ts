/** Formatting shared by the terminal and HTML reports. */

/** `x` with `digits` decimals, or "–" for a missing value. */
export function fixed(x: number, digits: number): string {
  return Number.isFinite(x) ? x.toFixed(digits) : "–";
}

/** A token count for people: 1,234. */
export function count(x: number): string {
  return Number.isFinite(x) ? Math.round(x).toLocaleString("en-US") : "–";
}
