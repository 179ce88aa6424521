import { useState } from "preact/hooks";
import { qs, useApi } from "../api";
import { go, href } from "../route";
import type { Comparison, EpisodeDetail, EpisodeRow, RunListing } from "../types";
import { Badge, ci, fmt, Head, Loading, signed } from "../ui";
import { Conversation, episodePath } from "./Episode";

function RunPicker({ runs, value, onChange, label }: { runs: RunListing[]; value: string; onChange(v: string): void; label: string }) {
  return (
    <label>
      {label}
      <select value={value} onChange={(e) => onChange(e.currentTarget.value)}>
        <option value="">choose a run</option>
        {runs.map((r) => (
          <option key={r.id} value={r.id}>
            {r.name} — {r.agent} vs {r.user}
          </option>
        ))}
      </select>
    </label>
  );
}

export function ComparePage({ params }: { params: URLSearchParams }) {
  const a = params.get("a") ?? "";
  const b = params.get("b") ?? "";
  const runs = useApi<{ runs: RunListing[] }>("/api/runs");
  const cmp = useApi<Comparison>(a && b ? `/api/compare${qs({ a, b })}` : null);
  const [gym, setGym] = useState("");
  const c = cmp.data;
  const tasks = (c?.tasks ?? []).filter((t) => !gym || t.gym === gym).sort((x, y) => Math.abs(y.delta) - Math.abs(x.delta));
  return (
    <>
      <h1>Compare two runs</h1>
      <div class="filters">
        {runs.data ? (
          <>
            <RunPicker runs={runs.data.runs} value={a} label="A" onChange={(v) => go(["compare"], { a: v, b })} />
            <RunPicker runs={runs.data.runs} value={b} label="B" onChange={(v) => go(["compare"], { a, b: v })} />
          </>
        ) : null}
      </div>
      <Loading error={runs.error ?? cmp.error} loading={cmp.loading && !c} />
      {c ? (
        <>
          <p class={c.sameUser ? "muted" : "error"}>
            {c.sameUser
              ? `Both runs were judged by the same simulated user (${c.a.user}).`
              : `Different users: A ${c.a.user}, B ${c.b.user} — differences mix agent and user effects.`}
          </p>
          <table class="compare">
            <Head cols={["gym", `#A (${c.a.agent})`, `#B (${c.b.agent})`, "#B − A", "#stderr", "#95% CI", "test", "beyond noise"]} />
            <tbody>
              {c.gyms.map((g) => (
                <tr key={g.gym} class="click" onClick={() => setGym(g.gym)}>
                  <td>{g.gym}</td>
                  <td class="num">{fmt(g.a)}</td>
                  <td class="num">{fmt(g.b)}</td>
                  <td class="num">{signed(g.delta)}</td>
                  <td class="num">±{fmt(g.stderr)}</td>
                  <td class="num">{ci(g.ci95)}</td>
                  <td>
                    {g.paired ? "paired" : "unpaired"} ({g.tasks} tasks)
                  </td>
                  <td>{g.significant ? <Badge kind="live">yes</Badge> : "no"}</td>
                </tr>
              ))}
              <tr>
                <td>
                  <b>micro-average</b>
                </td>
                <td class="num">{fmt(c.microAverage.a)}</td>
                <td class="num">{fmt(c.microAverage.b)}</td>
                <td class="num">{signed(c.microAverage.delta)}</td>
                <td class="num">±{fmt(c.microAverage.stderr)}</td>
                <td colSpan={3}></td>
              </tr>
            </tbody>
          </table>
          <h2>
            Tasks both runs played {gym ? <span class="muted">— {gym}</span> : null}{" "}
            {gym ? (
              <button class="plain" onClick={() => setGym("")}>
                all gyms
              </button>
            ) : null}
          </h2>
          <p class="muted">Largest differences first; open a task to read its two conversations side by side.</p>
          <table class="tasks">
            <Head cols={["gym", "task", "#A", "#B", "#B − A"]} />
            <tbody>
              {tasks.slice(0, 300).map((t) => (
                <tr key={`${t.gym}/${t.taskId}`}>
                  <td>{t.gym}</td>
                  <td>
                    <a href={href(["pair"], { a, b, gym: t.gym, task: t.taskId })}>{t.taskId}</a>
                  </td>
                  <td class="num">{fmt(t.a)}</td>
                  <td class="num">{fmt(t.b)}</td>
                  <td class="num">{signed(t.delta)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      ) : null}
    </>
  );
}

function Side({ run, gym, task, label }: { run: string; gym: string; task: string; label: string }) {
  const list = useApi<{ rows: EpisodeRow[] }>(`/api/runs/${encodeURIComponent(run)}/episodes${qs({ gym, task, status: "done", limit: 20 })}`);
  const [pick, setPick] = useState(0);
  const row = list.data?.rows[pick];
  const ep = useApi<EpisodeDetail>(row ? episodePath(run, row.key) : null);
  return (
    <section>
      <h2>
        {label}: <a href={href(["run", run])}>{ep.data?.trajectory.agentSpec ?? "run"}</a>
      </h2>
      <Loading error={list.error ?? ep.error} loading={list.loading && !list.data} />
      {list.data && list.data.rows.length > 1 ? (
        <div class="row">
          sample{" "}
          <select value={pick} onChange={(e) => setPick(Number(e.currentTarget.value))}>
            {list.data.rows.map((r, i) => (
              <option key={r.key} value={i}>
                {r.sample} (score {fmt(r.score)})
              </option>
            ))}
          </select>
        </div>
      ) : null}
      {ep.data ? (
        <>
          <div class="kv">
            <span>
              score <b>{fmt(ep.data.score)}</b>
            </span>
            <span>
              end <b>{ep.data.trajectory.endReason}</b>
            </span>
            <span>{ep.data.trajectory.turns.length} turns</span>
          </div>
          <Conversation t={ep.data.trajectory} />
        </>
      ) : null}
    </section>
  );
}

export function PairPage({ params }: { params: URLSearchParams }) {
  const [a, b, gym, task] = ["a", "b", "gym", "task"].map((k) => params.get(k) ?? "");
  return (
    <>
      <p>
        <a href={href(["compare"], { a, b })}>← comparison</a>
      </p>
      <h1>
        {gym} · {task}
      </h1>
      <div class="pair">
        <Side run={a} gym={gym} task={task} label="A" />
        <Side run={b} gym={gym} task={task} label="B" />
      </div>
    </>
  );
}
