/** Small pieces every page uses: numbers, a value tree, the reward chart, status lines. */
import type { ComponentChildren } from "preact";
import { useState } from "preact/hooks";

export const fmt = (x: number | null | undefined, d = 3): string => (typeof x === "number" && Number.isFinite(x) ? x.toFixed(d) : "–");
export const signed = (x: number, d = 3): string => (x >= 0 ? `+${fmt(x, d)}` : fmt(x, d));
export const count = (x: number): string => Math.round(x).toLocaleString("en-US");
/** `1 task`, `5 tasks`. */
export const plural = (n: number, word: string): string => `${count(n)} ${word}${Math.round(n) === 1 ? "" : "s"}`;
export const ci = (c: [number, number] | undefined): string => (c ? `[${fmt(c[0])}, ${fmt(c[1])}]` : "");

export function Loading({ error, loading }: { error?: string; loading?: boolean }) {
  if (error) return <p class="error" role="alert">{error}</p>;
  return loading ? <p class="muted">Loading…</p> : null;
}

/** A JSON value as a readable tree: objects as definition lists, long text as paragraphs. */
export function ValueTree({ value, depth = 0 }: { value: unknown; depth?: number }) {
  if (value === null || value === undefined) return <span class="muted">–</span>;
  if (typeof value !== "object") {
    const s = String(value);
    return s.length > 80 ? <p class="long">{s}</p> : <span>{s}</span>;
  }
  if (Array.isArray(value)) {
    if (value.length === 0) return <span class="muted">none</span>;
    if (value.every((v) => v === null || typeof v !== "object") && value.join(", ").length < 120) return <span>{value.join(", ")}</span>;
    return (
      <ol class="tree">
        {value.slice(0, 200).map((v, i) => (
          <li key={i}>
            <ValueTree value={v} depth={depth + 1} />
          </li>
        ))}
        {value.length > 200 ? <li class="muted">… {value.length - 200} more</li> : null}
      </ol>
    );
  }
  return (
    <dl class="tree">
      {Object.entries(value as Record<string, unknown>).map(([k, v]) => (
        <div key={k}>
          <dt>{k}</dt>
          <dd>
            <ValueTree value={v} depth={depth + 1} />
          </dd>
        </div>
      ))}
    </dl>
  );
}

/** Reward by turn as bars (inline SVG); negative rewards hang below the axis. */
export function RewardChart({ values, label = "reward by turn", height = 120 }: { values: number[]; label?: string; height?: number }) {
  if (!values.length) return <p class="muted">No turns.</p>;
  const w = Math.max(240, values.length * 28 + 40);
  const max = Math.max(0.001, ...values.map((v) => Math.abs(v)));
  const hasNeg = values.some((v) => v < 0);
  const top = 14;
  const plot = height - top - 18;
  const zero = hasNeg ? top + plot / 2 : top + plot;
  const scale = (hasNeg ? plot / 2 : plot) / max;
  const bw = (w - 40) / values.length;
  return (
    <svg class="chart" width={w} height={height} role="img" aria-label={label}>
      <line x1={30} x2={w - 6} y1={zero} y2={zero} class="axis" />
      <text x={26} y={top + 4} text-anchor="end" class="tick">{fmt(max, 2)}</text>
      {values.every((v) => v === 0) ? (
        <text x={w / 2} y={zero - plot / 2} text-anchor="middle" class="tick">
          no reward on any turn
        </text>
      ) : null}
      {values.map((v, i) => {
        const h = Math.abs(v) * scale;
        const x = 34 + i * bw;
        return (
          <g key={i}>
            <rect x={x} y={v >= 0 ? zero - h : zero} width={Math.max(2, bw - 6)} height={Math.max(h, v === 0 ? 0 : 1)} class={v >= 0 ? "bar" : "bar neg"}>
              <title>{`turn ${i + 1}: ${fmt(v)}`}</title>
            </rect>
            <text x={x + (bw - 6) / 2} y={height - 4} text-anchor="middle" class="tick">{i + 1}</text>
          </g>
        );
      })}
    </svg>
  );
}

export function Collapsible({ title, children, open = false }: { title: ComponentChildren; children: ComponentChildren; open?: boolean }) {
  const [shown, setShown] = useState(open);
  return (
    <details open={shown} onToggle={(e) => setShown((e.currentTarget as HTMLDetailsElement).open)}>
      <summary>{title}</summary>
      {shown ? children : null}
    </details>
  );
}

export function Badge({ kind, children }: { kind: string; children: ComponentChildren }) {
  return <span class={`badge ${kind}`}>{children}</span>;
}

/** A table's header row; a column named with a leading "#" holds numbers (right-aligned). */
export function Head({ cols }: { cols: string[] }) {
  return (
    <thead>
      <tr>
        {cols.map((c, i) => (c.startsWith("#") ? <th key={i} class="num">{c.slice(1)}</th> : <th key={i}>{c}</th>))}
      </tr>
    </thead>
  );
}
