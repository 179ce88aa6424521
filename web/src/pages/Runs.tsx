import { useEffect, useState } from "preact/hooks";
import { useApi } from "../api";
import { go, href } from "../route";
import type { RunListing } from "../types";
import { Badge, count, fmt, Head, Loading } from "../ui";

export function RunsPage() {
  const { data, error, loading, reload } = useApi<{ runs: RunListing[] }>("/api/runs");
  const [picked, setPicked] = useState<string[]>([]);
  const anyLive = data?.runs.some((r) => r.live);
  // A run being written refreshes by itself.
  useEffect(() => {
    if (!anyLive) return;
    const t = setInterval(reload, 3000);
    return () => clearInterval(t);
  }, [anyLive, reload]);
  const toggle = (id: string) => setPicked((p) => (p.includes(id) ? p.filter((x) => x !== id) : [...p.slice(-1), id]));
  return (
    <>
      <h1>Runs</h1>
      <p class="muted">Every run found in the folders given to <code>userrl ui</code>. Tick two to compare them.</p>
      <Loading error={error} loading={loading && !data} />
      {data && data.runs.length === 0 ? <p class="card">No runs yet. Make one with <code>userrl run function --agent baseline --limit 5 --out runs/first</code>.</p> : null}
      {data && data.runs.length > 0 ? (
        <>
          <div class="row">
            <button disabled={picked.length !== 2} onClick={() => go(["compare"], { a: picked[0], b: picked[1] })}>
              Compare {picked.length}/2
            </button>
          </div>
          <table class="runs">
            <Head cols={["", "run", "agent", "user", "gyms · mean reward", "#episodes", "#tokens (agent / user)", "created"]} />
            <tbody>
              {data.runs.map((r) => (
                <tr key={r.id}>
                  <td>
                    <input type="checkbox" aria-label={`pick ${r.name}`} checked={picked.includes(r.id)} onChange={() => toggle(r.id)} />
                  </td>
                  <td>
                    <a href={href(["run", r.id])}>{r.name}</a> {r.live ? <Badge kind="live">live</Badge> : null}
                    <div class="muted" title={r.dir}>
                      <small>{r.dir}</small>
                    </div>
                  </td>
                  <td>{r.agent}</td>
                  <td>
                    {r.user.startsWith("human:") ? <Badge kind="human">person</Badge> : null}
                    {r.user}
                    {r.persona ? <div class="muted">persona {r.persona}</div> : null}
                  </td>
                  <td>
                    {r.gyms.map((g) => (
                      <div key={g}>
                        {g} <span class="muted">{fmt(r.meanReward[g])}</span>
                      </div>
                    ))}
                  </td>
                  <td class="num">
                    {count(r.episodes)}
                    {r.planned ? <span class="muted"> / {count(r.planned)}</span> : null}
                    {r.errors ? (
                      <div>
                        <Badge kind="error">{r.errors} failed</Badge>
                      </div>
                    ) : null}
                  </td>
                  <td class="num">
                    {count(r.tokens.agent)} / {count(r.tokens.user)}
                  </td>
                  <td>{r.createdAt.replace("T", " ").slice(0, 16)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      ) : null}
    </>
  );
}
