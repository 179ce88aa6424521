/**
 * A self-contained HTML report (inline CSS and SVG, no scripts or network): per-gym scores with 95%
 * intervals beside the paper's rows, reward by turn, turns-to-reward histograms, and a drill-down into every
 * conversation with per-turn rewards.
 */
import type { Trajectory } from "../core/types.js";
import type { GymEval } from "./aggregate.js";
import type { EvaluatedRun } from "./load.js";
import { PAPER_GYMS, PAPER_ROWS, type PaperGym } from "./paper.js";
import { count, fixed } from "./format.js";
import { describeSignal } from "../credit/signal.js";

const REFERENCE_MODELS = ["GPT-4o", "Qwen3-8B (Equalized/R2G)", "Qwen3-4B (Raw)"];
const COLORS = ["#2563eb", "#f59e0b", "#10b981", "#9ca3af"];
const MAX_MESSAGE_CHARS = 6000;

function esc(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

const f = (x: number, d = 3): string => fixed(x, d);

/** Grouped horizontal bars: this run (with its 95% interval) and the paper's reference rows, per gym. */
function scoreChart(gyms: GymEval[]): string {
  const refs = PAPER_ROWS.filter((p) => REFERENCE_MODELS.includes(p.model));
  const series = [{ name: "this run", color: COLORS[0] }, ...refs.map((p, i) => ({ name: `paper: ${p.model}`, color: COLORS[i + 1] }))];
  const barH = 12;
  const groupH = series.length * (barH + 3) + 16;
  const left = 90;
  const width = 520;
  const height = gyms.length * groupH + 40;
  const parts: string[] = [];
  gyms.forEach((g, gi) => {
    const values = [g.score, ...refs.map((p) => (g.gym in p.scores ? p.scores[g.gym as PaperGym] : NaN))];
    const max = Math.max(1, ...values.filter(Number.isFinite), g.ci95[1]);
    const y0 = gi * groupH + 10;
    parts.push(`<text x="${left - 8}" y="${y0 + (series.length * (barH + 3)) / 2 + 4}" text-anchor="end" class="lbl">${esc(g.gym)}</text>`);
    values.forEach((v, si) => {
      const y = y0 + si * (barH + 3);
      if (!Number.isFinite(v)) return;
      const w = (v / max) * (width - left - 60);
      parts.push(`<rect x="${left}" y="${y}" width="${Math.max(1, w)}" height="${barH}" fill="${series[si].color}"><title>${esc(series[si].name)}: ${f(v, 4)}</title></rect>`);
      const labelX = left + (Math.max(v, si === 0 ? g.ci95[1] : v) / max) * (width - left - 60) + 4;
      parts.push(`<text x="${labelX}" y="${y + barH - 2}" class="val">${f(v)}</text>`);
      if (si === 0) {
        const lo = left + (g.ci95[0] / max) * (width - left - 60);
        const hi = left + (g.ci95[1] / max) * (width - left - 60);
        parts.push(`<line x1="${lo}" x2="${hi}" y1="${y + barH / 2}" y2="${y + barH / 2}" class="ci"/>`);
        parts.push(`<line x1="${lo}" x2="${lo}" y1="${y + 2}" y2="${y + barH - 2}" class="ci"/><line x1="${hi}" x2="${hi}" y1="${y + 2}" y2="${y + barH - 2}" class="ci"/>`);
      }
    });
  });
  const legend = series
    .map((s, i) => `<rect x="${left + (i % 2) * 220}" y="${height - 26 + Math.floor(i / 2) * 14}" width="10" height="10" fill="${s.color}"/><text x="${left + (i % 2) * 220 + 14}" y="${height - 17 + Math.floor(i / 2) * 14}" class="val">${esc(s.name)}</text>`)
    .join("");
  return `<svg viewBox="0 0 ${width} ${height + 14}" class="chart" role="img" aria-label="scores per gym">${parts.join("")}${legend}</svg>`;
}

/** A small line chart of mean reward by turn. */
function rewardByTurnChart(g: GymEval): string {
  const w = 240;
  const h = 110;
  const pad = 24;
  const xs = g.rewardByTurn;
  if (!xs.length) return "";
  const max = Math.max(0.001, ...xs);
  const px = (i: number) => pad + (xs.length === 1 ? 0 : (i / (xs.length - 1)) * (w - pad - 8));
  const py = (v: number) => h - pad - (v / max) * (h - pad - 10);
  const points = xs.map((v, i) => `${px(i).toFixed(1)},${py(v).toFixed(1)}`).join(" ");
  const dots = xs.map((v, i) => `<circle cx="${px(i).toFixed(1)}" cy="${py(v).toFixed(1)}" r="2"><title>turn ${i + 1}: ${f(v, 4)}</title></circle>`).join("");
  return `<svg viewBox="0 0 ${w} ${h}" class="mini" role="img" aria-label="${esc(g.gym)} reward by turn">
<line x1="${pad}" y1="${h - pad}" x2="${w - 8}" y2="${h - pad}" class="axis"/><line x1="${pad}" y1="8" x2="${pad}" y2="${h - pad}" class="axis"/>
<polyline points="${points}" class="line"/>${dots}
<text x="${pad}" y="${h - 6}" class="val">1</text><text x="${w - 8}" y="${h - 6}" text-anchor="end" class="val">${xs.length}</text>
<text x="${pad - 3}" y="14" text-anchor="end" class="val">${f(max, 2)}</text><text x="${w / 2}" y="${h - 6}" text-anchor="middle" class="val">turn</text></svg>`;
}

/** Histogram of the turn of the last reward, over episodes that scored. */
function turnsHistogram(g: GymEval): string {
  const w = 240;
  const h = 110;
  const pad = 24;
  const counts = g.turnsHistogram.slice(1);
  if (!counts.length || counts.every((c) => c === 0)) return `<div class="empty">no episode scored</div>`;
  const max = Math.max(...counts);
  const bw = (w - pad - 8) / counts.length;
  const bars = counts
    .map((c, i) => {
      const bh = (c / max) * (h - pad - 12);
      return `<rect x="${(pad + i * bw + 1).toFixed(1)}" y="${(h - pad - bh).toFixed(1)}" width="${Math.max(1, bw - 2).toFixed(1)}" height="${bh.toFixed(1)}" class="bar"><title>turn ${i + 1}: ${c} episode(s)</title></rect>`;
    })
    .join("");
  return `<svg viewBox="0 0 ${w} ${h}" class="mini" role="img" aria-label="${esc(g.gym)} turns to last reward">
<line x1="${pad}" y1="${h - pad}" x2="${w - 8}" y2="${h - pad}" class="axis"/>${bars}
<text x="${pad}" y="${h - 6}" class="val">1</text><text x="${w - 8}" y="${h - 6}" text-anchor="end" class="val">${counts.length}</text>
<text x="${pad - 3}" y="14" text-anchor="end" class="val">${max}</text><text x="${w / 2}" y="${h - 6}" text-anchor="middle" class="val">turn of last reward</text></svg>`;
}

function conversation(t: Trajectory, metricScore: number): string {
  const rewards = new Map<number, number>();
  const rows: string[] = [];
  let turn = 0;
  for (const m of t.messages) {
    if (m.role === "assistant") turn++;
    const record = m.role === "tool" ? t.turns[turn - 1] : undefined;
    if (record) rewards.set(turn, record.reward);
    const calls = (m.toolCalls ?? []).map((c) => `<code class="call">${esc(c.name)} ${esc(c.arguments.slice(0, MAX_MESSAGE_CHARS))}</code>`).join("");
    const text = m.content.length > MAX_MESSAGE_CHARS ? `${m.content.slice(0, MAX_MESSAGE_CHARS)} […]` : m.content;
    const badge = record ? `<span class="reward ${record.reward > 0 ? "pos" : ""}">reward ${f(record.reward, 4)}</span>` : "";
    const label = m.role === "tool" ? "environment" : m.role === "user" ? "user" : m.role === "assistant" ? `agent · turn ${turn}` : "system";
    const body = m.role === "system" ? `<details><summary>system prompt</summary><pre>${esc(text)}</pre></details>` : `<pre>${esc(text)}</pre>`;
    rows.push(`<div class="msg ${m.role}"><div class="who">${label} ${badge}</div>${m.reasoning ? `<details><summary>reasoning</summary><pre>${esc(m.reasoning)}</pre></details>` : ""}${body}${calls}</div>`);
  }
  const last = t.turns.at(-1);
  if (last?.error) rows.push(`<div class="msg note">episode ended: ${esc(t.endReason)} — ${esc(last.error)}</div>`);
  return `<div class="convo"><div class="meta">sample ${t.sample} · ${t.turns.length} turns · ended: ${esc(t.endReason)} · score ${f(metricScore, 4)} · total reward ${f(t.totalReward, 4)}</div>${rows.join("")}</div>`;
}

function drillDown(g: GymEval, trajectories: Trajectory[]): string {
  const byTask = new Map<string, Trajectory[]>();
  for (const t of trajectories) byTask.set(t.taskId, [...(byTask.get(t.taskId) ?? []), t]);
  const items = g.tasks.map((task) => {
    // Sorted by sample as `task.scores` is, so each conversation shows its own score.
    const ts = (byTask.get(task.taskId) ?? []).sort((a, b) => a.sample - b.sample);
    return `<details class="task"><summary><span class="tid">${esc(task.taskId)}</span> <span class="score ${task.mean > 0 ? "pos" : ""}">${f(task.mean)}</span></summary>${ts
      .map((t, i) => conversation(t, task.scores[i]))
      .join("")}</details>`;
  });
  return `<details class="gym"><summary>${esc(g.gym)}: ${g.n} tasks, ${g.episodes} episodes</summary>${items.join("")}</details>`;
}

const CSS = `
body{font:14px/1.45 system-ui,-apple-system,Segoe UI,sans-serif;margin:24px auto;max-width:1100px;color:#111827;padding:0 16px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 10px;border-bottom:1px solid #e5e7eb;padding-bottom:4px}
.sub{color:#4b5563}.kpis{display:flex;gap:14px;flex-wrap:wrap;margin:14px 0}
.kpi{border:1px solid #e5e7eb;border-radius:8px;padding:10px 14px;min-width:150px}.kpi b{display:block;font-size:20px}
table{border-collapse:collapse;width:100%;font-variant-numeric:tabular-nums}th,td{padding:4px 8px;border-bottom:1px solid #f3f4f6;text-align:right}
th:first-child,td:first-child{text-align:left}th{color:#374151;font-weight:600;background:#f9fafb}
.chart{width:100%;max-width:760px}.mini{width:240px;height:110px}
.grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(250px,1fr));gap:12px}.cell{border:1px solid #e5e7eb;border-radius:8px;padding:8px}
.cell h3{margin:0 0 4px;font-size:14px}.lbl{font-size:12px;fill:#111827}.val{font-size:10px;fill:#4b5563}
.ci{stroke:#111827;stroke-width:1.2}.axis{stroke:#9ca3af}.line{fill:none;stroke:#2563eb;stroke-width:1.6}circle{fill:#2563eb}.bar{fill:#10b981}
details{margin:4px 0}summary{cursor:pointer}.gym>summary{font-weight:600}.task{margin-left:14px}.tid{font-family:ui-monospace,monospace}
.score{display:inline-block;min-width:48px;text-align:right;color:#6b7280}.score.pos{color:#047857;font-weight:600}
.convo{border-left:3px solid #e5e7eb;margin:6px 0 10px 10px;padding-left:10px}.meta{color:#6b7280;font-size:12px;margin-bottom:4px}
.msg{margin:6px 0;padding:6px 8px;border-radius:6px;background:#f9fafb}.msg.assistant{background:#eff6ff}.msg.tool{background:#f0fdf4}.msg.note{background:#fef2f2}
.who{font-size:11px;color:#6b7280;text-transform:uppercase;letter-spacing:.03em}pre{white-space:pre-wrap;margin:4px 0;font:12.5px/1.4 ui-monospace,monospace}
.call{display:block;background:#dbeafe;padding:2px 6px;border-radius:4px;font-size:12px;white-space:pre-wrap}
.reward{background:#e5e7eb;border-radius:10px;padding:0 6px;margin-left:6px;text-transform:none}.reward.pos{background:#bbf7d0;color:#065f46}
.small{font-size:11px;color:#4b5563}.empty{color:#9ca3af;font-size:12px;padding:40px 0;text-align:center}`;

export function htmlReport(r: EvaluatedRun): string {
  const s = r.summary;
  const gyms = Object.values(s.gyms);
  const refs = PAPER_ROWS.filter((p) => REFERENCE_MODELS.includes(p.model));
  const totalW = Object.values(s.weights).reduce((a, b) => a + b, 0);
  const rows = gyms
    .map(
      (g) => `<tr><td>${esc(g.gym)}</td><td>${g.n}</td><td>${g.episodes}</td><td><b>${f(g.score, 4)}</b></td><td>±${f(g.stderr, 4)}</td><td>[${f(g.ci95[0])}, ${f(g.ci95[1])}]</td><td>±${f(g.noiseFloor)}</td>
<td>${g.passAtK.k > 1 ? `${f(g.passAtK.max)} (k=${g.passAtK.k})` : "–"}</td><td>${((100 * g.n) / totalW).toFixed(1)}%</td><td>${f(g.effectiveTurns, 2)}</td><td>${f(g.timeWeighted)}</td>
${refs.map((p) => `<td>${g.gym in p.scores ? f(p.scores[g.gym as PaperGym], 4) : "–"}</td>`).join("")}</tr>`,
    )
    .join("");
  const groupRows = gyms
    .flatMap((g) => Object.entries(g.groups ?? {}).map(([k, v]) => `<tr><td>${esc(k)}</td><td>${v.n}</td><td>${f(v.score, 4)}</td><td>±${f(v.stderr, 4)}</td></tr>`))
    .join("");
  const usageRows = gyms
    .map(
      (g) =>
        `<tr><td>${esc(g.gym)}</td><td>${f(g.usage.agentCalls, 1)}</td><td>${count(g.usage.agentPromptTokens)} / ${count(g.usage.agentCompletionTokens)}</td>` +
        `<td>${f(g.usage.userCalls, 1)}</td><td>${count(g.usage.userPromptTokens)} / ${count(g.usage.userCompletionTokens)}</td><td>${f(g.usage.seconds, 1)}</td></tr>`,
    )
    .join("");
  const reliabilityRows = gyms
    .filter((g) => g.reliability)
    .map(({ gym, n, reliability: r }) => {
      const curve = r!.passHatK.map((v, j) => `pass^${j + 1} ${f(v)} · pass@${j + 1} ${f(r!.passAtK[j])}`).join("<br>");
      return `<tr><td>${esc(gym)}</td><td>${r!.k}</td><td>${f(r!.passHatK[0], 4)}</td><td><b>${f(r!.passHatK[r!.k - 1], 4)}</b></td><td>${f(r!.passAtK[r!.k - 1], 4)}</td><td>${f(r!.flipRate, 4)}</td><td>${r!.flakyTasks} of ${n}</td><td class="small">${curve}</td></tr>`;
    })
    .join("");
  const signalRows = [...gyms.filter((g) => g.signal).map((g) => [g.gym, g.signal!] as const), ...(s.signal ? [["overall", s.signal] as const] : [])]
    .map(([name, sig]) => `<tr><td>${esc(name)}</td><td>${sig.groups}</td><td>${sig.zeroVariance}</td><td>${(100 * sig.zeroVarianceShare).toFixed(1)}%</td><td>${sig.signalPer1kTokens === null ? "–" : sig.signalPer1kTokens.toPrecision(3)}</td></tr>`)
    .join("");
  const paperRows = PAPER_ROWS.map(
    (p) => `<tr><td>${esc(p.model)}</td>${PAPER_GYMS.map((g) => `<td>${f(p.scores[g], 4)}</td>`).join("")}<td>${f(p.avg, 4)}</td><td>${f(p.effectiveTurns, 2)}</td><td>${f(p.timeWeighted, 4)}</td></tr>`,
  ).join("");
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>userrl report — ${esc(r.agent)}</title><style>${CSS}</style></head><body>
<h1>userrl evaluation report</h1>
<div class="sub">agent <b>${esc(r.agent)}</b> · simulated user <b>${esc(r.user)}</b> · mode ${esc(r.mode)} · compat ${esc(r.compat)}<br>
run ${esc(r.run.id)} · created ${esc(r.run.createdAt)} · ${esc(r.run.codeVersion)} · ${s.episodes} episodes</div>
<div class="kpis"><div class="kpi">micro-average (task-weighted)<b>${f(s.microAverage, 4)}</b>±${f(s.microAverageStderr, 4)}</div>
<div class="kpi">mean over gyms<b>${f(s.meanOverGyms, 4)}</b>${gyms.length} gyms</div>
<div class="kpi">effective turns<b>${f(s.effectiveTurns, 2)}</b>mean over gyms</div>
<div class="kpi">time-weighted<b>${f(s.timeWeighted, 4)}</b>mean over gyms</div></div>
<h2>Scores per gym</h2>
<table><tr><th>gym</th><th>tasks</th><th>episodes</th><th>score</th><th>stderr</th><th>95% CI</th><th>noise floor</th><th>pass@k max</th><th>weight</th><th>eff. turns</th><th>time-w.</th>${refs
    .map((p) => `<th>paper: ${esc(p.model)}</th>`)
    .join("")}</tr>${rows}</table>
${groupRows ? `<h2>Sub-scores</h2><table><tr><th>group</th><th>tasks</th><th>score</th><th>stderr</th></tr>${groupRows}</table>` : ""}
<p class="sub">Scores follow the paper, each gym its own way:</p><ul class="sub">${gyms.map((g) => `<li><b>${esc(g.gym)}</b>: ${esc(g.note)}</li>`).join("")}</ul>
<p class="sub">The micro-average weights each gym by its number of tasks, as the paper's Avg. column does (so a gym with many tasks weighs heavily). Intervals are 95% bootstrap intervals over tasks. The paper's rows were scored with GPT-4o as the simulated user; compare across simulated users with care.</p>
<p class="sub">Noise floor: the minimum detectable difference (80% power, two-sided α = 0.05) between this run and another of the same task count and variance; a score difference smaller than it cannot be told from chance. <code>userrl compare</code> computes it for a pair of runs, paired over shared tasks.</p>
${scoreChart(gyms)}
${reliabilityRows ? `<h2>Reliability over samples</h2><table><tr><th>gym</th><th>k</th><th>pass^1</th><th>pass^k</th><th>pass@k</th><th>flip rate</th><th>flaky tasks</th><th>by k</th></tr>${reliabilityRows}</table>
<p class="sub">Binary gyms, success = a positive score. pass^k: the chance that every one of k tries of a task succeeds (tau-bench's reliability); pass@k: that at least one does (both unbiased over each task's samples). Flip rate: the chance that two tries of the same task disagree.</p>` : ""}
${signalRows ? `<h2>GRPO signal: zero-variance groups</h2><table><tr><th>gym</th><th>groups</th><th>zero variance</th><th>share</th><th>signal groups / 1,000 agent tokens</th></tr>${signalRows}</table>
<p class="sub">A group is the samples of one task. When they all score the same, every GRPO advantage in it is zero: ${esc(s.signal ? describeSignal(s.signal) : "")}.</p>` : ""}
<h2>Reward by turn</h2><div class="grid">${gyms.map((g) => `<div class="cell"><h3>${esc(g.gym)}</h3>${rewardByTurnChart(g)}</div>`).join("")}</div>
<h2>Turns to the last reward</h2><div class="grid">${gyms.map((g) => `<div class="cell"><h3>${esc(g.gym)}</h3>${turnsHistogram(g)}</div>`).join("")}</div>
<h2>Cost per episode</h2>
<table><tr><th>gym</th><th>agent calls</th><th>agent tokens in / out</th><th>user calls</th><th>user tokens in / out</th><th>seconds</th></tr>${usageRows}</table>
<p class="sub">Means per episode; "user" counts the simulated user's and the judges' calls. In all: the agent ${count(s.usage.agentPromptTokens)} tokens in and ${count(s.usage.agentCompletionTokens)} out, the simulated user and judges ${count(s.usage.userPromptTokens)} in and ${count(s.usage.userCompletionTokens)} out.</p>
<h2>The paper's numbers (Table 3 and 4)</h2>
<table><tr><th>model</th>${PAPER_GYMS.map((g) => `<th>${g}</th>`).join("")}<th>Avg.</th><th>eff. turns</th><th>time-w.</th></tr>${paperRows}</table>
<h2>Conversations</h2>
${gyms.map((g) => drillDown(g, r.trajectories.get(g.gym) ?? [])).join("")}
</body></html>`;
}
