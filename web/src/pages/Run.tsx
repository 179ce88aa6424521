import { useState } from "preact/hooks";
import { qs, useApi } from "../api";
import { go, href } from "../route";
import type { EpisodeRow, RunDetail, RunScores } from "../types";
import { Badge, ci, count, fmt, Head, Loading, RewardChart } from "../ui";

const PAGE = 50;
const FILTERS = ["gym", "task", "q", "endReason", "status", "minReward", "maxReward"] as const;

export function RunPage({ id, params }: { id: string; params: URLSearchParams }) {
  const run = useApi<RunDetail>(`/api/runs/${encodeURIComponent(id)}`);
  const scores = useApi<RunScores>(`/api/runs/${encodeURIComponent(id)}/scores`);
  const sc = scores.data;
  const filter = Object.fromEntries(FILTERS.map((k) => [k, params.get(k) ?? ""])) as Record<(typeof FILTERS)[number], string>;
  const offset = Number(params.get("offset") ?? 0) || 0;
  const page = useApi<{ total: number; rows: EpisodeRow[] }>(`/api/runs/${encodeURIComponent(id)}/episodes${qs({ ...filter, offset, limit: PAGE })}`);
  const [draft, setDraft] = useState(filter);
  const apply = (next: Partial<typeof filter>, at = 0) => go(["run", id], { ...filter, ...next, offset: at || undefined });
  const r = run.data;
  return (
    <>
      <Loading error={run.error} loading={run.loading && !r} />
      {r ? (
        <>
          <h1>
            {r.name} {r.live ? <Badge kind="live">live</Badge> : null}
          </h1>
          <div class="kv">
            <span>
              agent <b>{r.agent}</b>
            </span>
            <span>
              user <b>{r.user}</b>
            </span>
            {r.persona ? (
              <span>
                persona <b>{r.persona}</b>
              </span>
            ) : null}
            <span>
              episodes <b>{count(r.episodes)}</b>
            </span>
            {sc ? (
              <span>
                micro-average <b>{fmt(sc.microAverage)}</b> ± {fmt(sc.microAverageStderr)}
              </span>
            ) : null}
            <span>
              tokens <b>{count(r.tokens.agent)}</b> agent / <b>{count(r.tokens.user)}</b> user
            </span>
            <span>{r.codeVersion}</span>
          </div>
          <h2>Scores</h2>
          <Loading error={scores.error} loading={scores.loading && !sc} />
          {sc ? (
          <table class="scores">
            <Head cols={["gym", "#score", "#95% CI", "#tasks", "#episodes", "#success", "#eff. turns", "#turns", "reward by turn (mean)"]} />
            <tbody>
              {Object.values(sc.gyms).map((g) => (
                <tr key={g.gym} class="click" onClick={() => apply({ gym: g.gym })}>
                  <td>{g.gym}</td>
                  <td class="num">{fmt(g.score)}</td>
                  <td class="num">{ci(g.ci95)}</td>
                  <td class="num">{g.n}</td>
                  <td class="num">{g.episodes}</td>
                  <td class="num">{fmt(g.successRate, 2)}</td>
                  <td class="num">{fmt(g.effectiveTurns, 2)}</td>
                  <td class="num">{fmt(g.meanTurns, 2)}</td>
                  <td>
                    <RewardChart values={g.rewardByTurn} height={60} label={`${g.gym} reward by turn`} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          ) : null}
          <h2>Episodes</h2>
          <form
            class="filters"
            onSubmit={(e) => {
              e.preventDefault();
              apply(draft);
            }}
          >
            <label>
              gym
              <select value={draft.gym} onChange={(e) => setDraft({ ...draft, gym: e.currentTarget.value })}>
                <option value="">all</option>
                {r.facets.gyms.map((g) => (
                  <option key={g}>{g}</option>
                ))}
              </select>
            </label>
            <label>
              task id
              <input value={draft.task} onInput={(e) => setDraft({ ...draft, task: e.currentTarget.value })} size={14} />
            </label>
            <label>
              search text
              <input name="q" value={draft.q} onInput={(e) => setDraft({ ...draft, q: e.currentTarget.value })} size={18} placeholder="in the conversation" />
            </label>
            <label>
              end reason
              <select value={draft.endReason} onChange={(e) => setDraft({ ...draft, endReason: e.currentTarget.value })}>
                <option value="">any</option>
                {r.facets.endReasons.map((x) => (
                  <option key={x}>{x}</option>
                ))}
              </select>
            </label>
            <label>
              status
              <select value={draft.status} onChange={(e) => setDraft({ ...draft, status: e.currentTarget.value })}>
                <option value="">any</option>
                <option value="done">finished</option>
                <option value="error">failed</option>
              </select>
            </label>
            <label>
              reward ≥
              <input type="number" step="any" value={draft.minReward} onInput={(e) => setDraft({ ...draft, minReward: e.currentTarget.value })} style="width:6em" />
            </label>
            <label>
              reward ≤
              <input type="number" step="any" value={draft.maxReward} onInput={(e) => setDraft({ ...draft, maxReward: e.currentTarget.value })} style="width:6em" />
            </label>
            <button type="submit">Filter</button>
            <button
              type="button"
              class="plain"
              onClick={() => {
                const empty = Object.fromEntries(FILTERS.map((k) => [k, ""])) as typeof filter;
                setDraft(empty);
                apply(empty);
              }}
            >
              Clear
            </button>
          </form>
          <Loading error={page.error} loading={page.loading && !page.data} />
          {page.data ? (
            <>
              <div class="pager">
                <span class="muted">
                  {page.data.total ? `${offset + 1}–${Math.min(offset + PAGE, page.data.total)} of ${count(page.data.total)}` : "no episodes match"}
                </span>
                <button class="plain" disabled={offset === 0} onClick={() => apply({}, Math.max(0, offset - PAGE))}>
                  ← previous
                </button>
                <button class="plain" disabled={offset + PAGE >= page.data.total} onClick={() => apply({}, offset + PAGE)}>
                  next →
                </button>
              </div>
              <table class="episodes">
                <Head cols={["gym", "task", "#sample", "#score", "#reward", "#turns", "end", "#seconds"]} />
                <tbody>
                  {page.data.rows.map((e) => (
                    <tr key={e.key} class="click" onClick={() => (location.hash = href(["run", id, "ep", ...e.key.split("/")]))}>
                      <td>{e.gym}</td>
                      <td>
                        <a href={href(["run", id, "ep", ...e.key.split("/")])}>{e.taskId}</a>
                      </td>
                      <td class="num">{e.sample}</td>
                      <td class="num">{fmt(e.score)}</td>
                      <td class="num">{fmt(e.totalReward)}</td>
                      <td class="num">{e.turns}</td>
                      <td>
                        {e.endReason} {e.status === "error" ? <Badge kind="error">failed</Badge> : null}
                        {e.error ? <div class="muted">{e.error.slice(0, 120)}</div> : null}
                      </td>
                      <td class="num">{fmt(e.durationMs / 1000, 1)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </>
          ) : null}
        </>
      ) : null}
    </>
  );
}
