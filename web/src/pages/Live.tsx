import { useEffect, useRef, useState } from "preact/hooks";
import { api, post } from "../api";
import { go, href } from "../route";
import type { Line, LiveView } from "../types";
import { Badge, fmt, Loading } from "../ui";

/** The live view, long-polled: each request waits on the server for the next change. */
function useLive(id: string): { view?: LiveView; error?: string; set(v: LiveView): void } {
  const [view, setView] = useState<LiveView>();
  const [error, setError] = useState<string>();
  const version = useRef(-1);
  useEffect(() => {
    let live = true;
    (async () => {
      while (live) {
        try {
          const v = await api<LiveView>(`/api/play/${encodeURIComponent(id)}${version.current >= 0 ? `?after=${version.current}` : ""}`);
          if (!live) return;
          version.current = v.version;
          setView(v);
          setError(undefined);
          if (v.result || v.error) {
            if (v.rated || v.seat === "agent" || v.error) return;
          }
        } catch (err) {
          if (!live) return;
          setError((err as Error).message);
          await new Promise((r) => setTimeout(r, 2000));
        }
      }
    })();
    return () => {
      live = false;
    };
  }, [id]);
  const set = (v: LiveView) => {
    if (v.version > version.current) {
      version.current = v.version;
      setView(v);
    }
  };
  return { view, error, set };
}

function Chat({ lines, seat }: { lines: Line[]; seat: "agent" | "user" }) {
  const end = useRef<HTMLDivElement>(null);
  useEffect(() => end.current?.scrollIntoView({ block: "end" }), [lines.length]);
  const who = (l: Line) => (l.from === "system" ? (seat === "agent" ? "instructions" : "episode") : l.from === "environment" ? "environment" : l.from === seat ? "you" : l.from);
  return (
    <div class="chat">
      {lines.map((l, i) => (
        <div key={i} class={`bubble ${l.from}${l.from === seat ? " mine" : ""}`}>
          <div class="who">{who(l)}</div>
          {l.text}
        </div>
      ))}
      <div ref={end} />
    </div>
  );
}

function AgentMove({ view, onView }: { view: LiveView; onView(v: LiveView): void }) {
  const [choice, setChoice] = useState("action");
  const [content, setContent] = useState("");
  const [error, setError] = useState<string>();
  const send = async () => {
    setError(undefined);
    try {
      onView(await post<LiveView>(`/api/play/${view.id}/move`, { choice, content }));
      setContent("");
    } catch (err) {
      setError((err as Error).message);
    }
  };
  const w = view.waiting?.seat === "agent" ? view.waiting : undefined;
  return (
    <div class="card">
      <div class="row">
        <b>Your move</b> {w ? <span class="muted">turn {w.turn} of {w.maxTurns}</span> : null}
        <select name="choice" value={choice} onChange={(e) => setChoice(e.currentTarget.value)}>
          <option value="action">action — ask or act</option>
          <option value="search">search</option>
          <option value="answer">answer</option>
          <option value="finish">finish</option>
        </select>
      </div>
      <textarea
        name="content"
        value={content}
        onInput={(e) => setContent(e.currentTarget.value)}
        onKeyDown={(e) => e.key === "Enter" && (e.ctrlKey || e.metaKey) && void send()}
        placeholder="What you send through interact_with_env (Ctrl+Enter sends)"
      />
      <div class="row">
        <button onClick={send} disabled={!w || (choice !== "finish" && !content.trim())}>
          Send
        </button>
      </div>
      {error ? <p class="error">{error}</p> : null}
    </div>
  );
}

function UserReply({ view, onView }: { view: LiveView; onView(v: LiveView): void }) {
  const [text, setText] = useState("");
  const [error, setError] = useState<string>();
  const q = view.waiting?.seat === "user" ? view.waiting.question : undefined;
  const send = async (reply: string) => {
    setError(undefined);
    try {
      onView(await post<LiveView>(`/api/play/${view.id}/reply`, { text: reply }));
      setText("");
    } catch (err) {
      setError((err as Error).message);
    }
  };
  if (!q) return <p class="muted">The agent is thinking…</p>;
  return (
    <div class="card">
      <div class="row">
        <b>Your reply</b> <span class="muted">turn {q.turn}</span>
      </div>
      {q.choices?.length ? (
        <div class="row">
          {q.choices.map((c) => (
            <button key={c} class="plain" onClick={() => send(c)}>
              {c}
            </button>
          ))}
        </div>
      ) : null}
      <textarea name="reply" value={text} onInput={(e) => setText(e.currentTarget.value)} onKeyDown={(e) => e.key === "Enter" && (e.ctrlKey || e.metaKey) && void send(text)} placeholder="Answer as the user (Ctrl+Enter sends)" />
      <div class="row">
        <button onClick={() => send(text)} disabled={!text.trim()}>
          Send
        </button>
      </div>
      {error ? <p class="error">{error}</p> : null}
    </div>
  );
}

function RateAgent({ view, onView }: { view: LiveView; onView(v: LiveView): void }) {
  const [satisfaction, setSatisfaction] = useState(0);
  const [efficient, setEfficient] = useState<boolean>();
  const [comment, setComment] = useState("");
  const [error, setError] = useState<string>();
  const send = async () => {
    try {
      onView(await post<LiveView>(`/api/play/${view.id}/rate`, { satisfaction, efficient, comment }));
    } catch (err) {
      setError((err as Error).message);
    }
  };
  if (view.rated) return <p class="card">Thank you — your rating is stored with the episode.</p>;
  return (
    <div class="card rate">
      <h2>How was the agent?</h2>
      <div class="row stars" role="group" aria-label="satisfaction">
        satisfaction
        {[1, 2, 3, 4, 5].map((s) => (
          <button key={s} class={satisfaction === s ? "on" : ""} onClick={() => setSatisfaction(s)} aria-pressed={satisfaction === s}>
            {s}
          </button>
        ))}
      </div>
      <div class="row">
        was it efficient?
        <label>
          <input type="radio" name="efficient" checked={efficient === true} onChange={() => setEfficient(true)} /> yes
        </label>
        <label>
          <input type="radio" name="efficient" checked={efficient === false} onChange={() => setEfficient(false)} /> no
        </label>
      </div>
      <textarea name="comment" value={comment} onInput={(e) => setComment(e.currentTarget.value)} placeholder="A comment (optional)" />
      <button onClick={send} disabled={!satisfaction || efficient === undefined}>
        Save rating
      </button>
      {error ? <p class="error">{error}</p> : null}
    </div>
  );
}

export function LivePage({ id }: { id: string }) {
  const { view, error, set } = useLive(id);
  if (!view) return <Loading error={error} loading />;
  const over = !!(view.result || view.error);
  return (
    <>
      <h1>
        {view.seat === "agent" ? "You are the agent" : "You are the user"} <span class="muted">— {view.gym} · {view.taskId}</span>
      </h1>
      <div class="kv">
        <span>
          {view.seat === "agent" ? "simulated user" : "agent"} <b>{view.opponent}</b>
        </span>
        {view.persona ? (
          <span>
            persona <b class="persona">{view.persona}</b>
          </span>
        ) : null}
        {view.study ? (
          <span>
            study <a href={href(["study", view.study.id], { p: view.study.participant })}>{view.study.participant}</a>
          </span>
        ) : null}
        {!over ? (
          <button class="plain" onClick={() => void post(`/api/play/${view.id}/end`, {})}>
            End episode
          </button>
        ) : null}
      </div>
      {error ? <p class="error">{error}</p> : null}
      <div class={view.seat === "user" ? "split" : ""}>
        <section>
          <Chat lines={view.lines} seat={view.seat} />
          {!over && view.seat === "agent" ? <AgentMove view={view} onView={set} /> : null}
          {!over && view.seat === "user" ? <UserReply view={view} onView={set} /> : null}
          {view.error ? <p class="error">{view.error}</p> : null}
          {view.result ? (
            <div class="card result">
              <h2>Episode over</h2>
              <div class="kv">
                <span>
                  score <b>{fmt(view.result.score)}</b>
                </span>
                <span>
                  end <b>{view.result.endReason}</b>
                </span>
                <span>{view.result.turns} turns</span>
                <a href={href(["run", view.result.uiRun, "ep", ...view.result.key.split("/")])}>open the stored episode</a>
              </div>
            </div>
          ) : null}
          {view.result && view.seat === "user" ? <RateAgent view={view} onView={set} /> : null}
          {view.study && (view.rated || view.error) ? (
            <button onClick={() => go(["study", view.study!.id], { p: view.study!.participant })}>Back to the study</button>
          ) : null}
        </section>
        {view.seat === "user" && view.brief !== undefined ? (
          <aside class="hidden-panel">
            <h2>
              Your hidden task <Badge kind="hidden">the agent cannot see this</Badge>
            </h2>
            <p class="msg">{view.brief}</p>
          </aside>
        ) : null}
      </div>
    </>
  );
}
