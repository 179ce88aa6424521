import { qs, useApi } from "../api";
import { go } from "../route";
import type { RealUserReport, SideStats } from "../types";
import { ci, fmt, Head, Loading, plural, signed } from "../ui";

function Cell({ s }: { s?: SideStats }) {
  if (!s) return <td class="num muted">–</td>;
  return (
    <td class="num">
      <b>{fmt(s.score)}</b> <span class="muted">{ci(s.ci95)}</span>
      <div class="muted">
        {plural(s.tasks, "task")} · {plural(s.episodes, "episode")} · {fmt(s.meanTurns, 1)} turns
      </div>
    </td>
  );
}

export function RealUsersPage({ agent }: { agent?: string }) {
  const { data, error, loading } = useApi<RealUserReport>(`/api/real-users${qs({ agent })}`);
  return (
    <>
      <h1>Real users vs simulated users</h1>
      <p class="muted">
        One agent's score per gym with simulated users and with people in the user's seat (the shape of the paper's Table 5), with 95% intervals, the people's
        ratings and the turns taken.
      </p>
      <Loading error={error} loading={loading && !data} />
      {data && data.agents.length === 0 ? (
        <p class="card">No episodes with a person in the user's seat yet. Play one on the Play page, or create a study there.</p>
      ) : null}
      {data && data.agents.length > 0 ? (
        <>
          <div class="filters">
            <label>
              agent
              <select value={data.agent} onChange={(e) => go(["real-users"], { agent: e.currentTarget.value })}>
                {data.agents.map((a) => (
                  <option key={a}>{a}</option>
                ))}
              </select>
            </label>
          </div>
          <div class="kv">
            <span>
              simulated users <b>{data.simulatedUsers.join(", ") || "none yet"}</b>
            </span>
            <span>
              people <b>{data.people.join(", ")}</b>
            </span>
          </div>
          <table class="real-users">
            <Head cols={["gym", "#simulated user", "#real users", "#real − simulated", "#satisfaction (1–5)", "#efficient", "#ratings"]} />
            <tbody>
              {data.gyms.map((g) => (
                <tr key={g.gym}>
                  <td>{g.gym}</td>
                  <Cell s={g.simulated} />
                  <Cell s={g.human} />
                  <td class="num">
                    {g.delta ? (
                      <>
                        {signed(g.delta.delta)} <span class="muted">±{fmt(g.delta.stderr)}</span>
                        <div class="muted">
                          {ci(g.delta.ci95)} {g.delta.paired ? "paired" : "unpaired"}
                        </div>
                      </>
                    ) : (
                      "–"
                    )}
                  </td>
                  <td class="num">{fmt(g.ratings.satisfaction, 2)}</td>
                  <td class="num">{g.ratings.efficient === null ? "–" : `${Math.round(g.ratings.efficient * 100)}%`}</td>
                  <td class="num">{g.ratings.n}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {data.comments.length ? (
            <>
              <h2>Comments</h2>
              <ul>
                {data.comments.map((c, i) => (
                  <li key={i}>
                    <b>{c.person}</b> on {c.gym} · {c.taskId} ({c.rating.satisfaction}/5): {c.rating.comment}
                  </li>
                ))}
              </ul>
            </>
          ) : null}
        </>
      ) : null}
    </>
  );
}
