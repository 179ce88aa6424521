import { useState } from "preact/hooks";
import { post, useApi } from "../api";
import { go, href } from "../route";
import type { LiveView, Progress } from "../types";
import { Badge, Loading } from "../ui";

export function StudyPage({ id, participant }: { id: string; participant: string }) {
  const [name, setName] = useState(participant);
  const [error, setError] = useState<string>();
  const progress = useApi<Progress>(participant ? `/api/studies/${encodeURIComponent(id)}/${encodeURIComponent(participant)}` : null);
  const next = async () => {
    setError(undefined);
    try {
      const v = await post<LiveView>(`/api/studies/${encodeURIComponent(id)}/${encodeURIComponent(participant)}/next`, {});
      go(["live", v.id]);
    } catch (err) {
      setError((err as Error).message);
    }
  };
  if (!participant) {
    return (
      <>
        <h1>Welcome to the study</h1>
        <div class="card">
          <p>You will play the user: each task shows you what the user wants (the agent cannot see it). Answer the agent's questions as that user would, then rate the agent.</p>
          <form
            class="row"
            onSubmit={(e) => {
              e.preventDefault();
              go(["study", id], { p: name.trim() });
            }}
          >
            <label>
              your name or code <input name="participant" value={name} onInput={(e) => setName(e.currentTarget.value)} />
            </label>
            <button type="submit" disabled={!name.trim()}>
              Continue
            </button>
          </form>
        </div>
      </>
    );
  }
  const p = progress.data;
  const done = p ? p.items.filter((i) => i.done).length : 0;
  return (
    <>
      <Loading error={progress.error} loading={progress.loading && !p} />
      {p ? (
        <>
          <h1>{p.study.title}</h1>
          <p class="muted">
            Participant <b>{p.participant}</b> — {done} of {p.items.length} tasks done. Come back to this page any time to go on.
          </p>
          {p.next >= 0 ? <button onClick={next}>Start task {p.next + 1}</button> : <p class="card">Every task is done — thank you!</p>}
          {error ? <p class="error">{error}</p> : null}
          <ol>
            {p.items.map((it, i) => (
              <li key={i}>
                {it.gym} · {it.taskId} {it.done ? <Badge kind="live">done</Badge> : i === p.next ? <Badge kind="">next</Badge> : null}
              </li>
            ))}
          </ol>
          <p>
            <a href={href(["study", id])}>not {p.participant}?</a>
          </p>
        </>
      ) : null}
    </>
  );
}
