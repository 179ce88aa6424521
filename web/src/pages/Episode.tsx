import { useApi } from "../api";
import { href } from "../route";
import type { EpisodeDetail, RoleCall, Trajectory, TurnRecord } from "../types";
import { Badge, Collapsible, count, fmt, Loading, RewardChart, ValueTree } from "../ui";

export function episodePath(runId: string, key: string): string {
  return `/api/runs/${encodeURIComponent(runId)}/episodes/${key.split("/").map(encodeURIComponent).join("/")}`;
}

/** The agent's own text of each turn (its reasoning), from the assistant messages in order. */
function thoughts(t: Trajectory): string[] {
  return t.messages.filter((m) => m.role === "assistant").map((m) => m.content);
}

function RoleCallView({ call }: { call: RoleCall }) {
  const { role, model, usage, latencyMs, cached, fallback, ...rest } = call;
  return (
    <div class="card rolecall">
      <div class="row">
        <b>{role}</b>
        <span class="muted">{model}</span>
        <span class="muted">
          {count(usage?.promptTokens ?? 0)} + {count(usage?.completionTokens ?? 0)} tokens · {fmt(latencyMs / 1000, 2)} s
        </span>
        {cached ? <Badge kind="">cached</Badge> : null}
        {fallback ? <Badge kind="error">fallback: {fallback}</Badge> : null}
      </div>
      {Object.keys(rest).length ? <ValueTree value={rest} /> : null}
    </div>
  );
}

export function TurnView({ turn, thought }: { turn: TurnRecord; thought?: string }) {
  const cls = turn.reward > 0 ? "reward pos" : turn.reward < 0 ? "reward neg" : "reward";
  return (
    <div class="turn" data-turn={turn.turn}>
      <div class="head">
        <span>
          turn {turn.turn} {turn.done ? <Badge kind="">done</Badge> : null} {turn.truncated ? <Badge kind="">truncated</Badge> : null}
        </span>
        <span class={cls}>reward {fmt(turn.reward)}</span>
      </div>
      <div class="body">
        {thought ? <div class="msg thought">{thought}</div> : null}
        {turn.action ? <div class="msg action">[{turn.action.choice}] {turn.action.content}</div> : null}
        {turn.error ? <div class="error">{turn.error}</div> : null}
        {turn.feedback ? <div class="msg feedback">{turn.feedback}</div> : null}
        {turn.fallbacks?.length ? <div class="muted">fallbacks: {turn.fallbacks.join("; ")}</div> : null}
        {turn.roleCalls?.length ? (
          <Collapsible title={<span class="muted">{turn.roleCalls.length} user / judge call(s) — hidden from the agent</span>}>
            {turn.roleCalls.map((c, i) => (
              <RoleCallView key={i} call={c} />
            ))}
          </Collapsible>
        ) : null}
      </div>
    </div>
  );
}

/** One trajectory, turn by turn (used by the episode page and by the side-by-side comparison). */
export function Conversation({ t }: { t: Trajectory }) {
  const said = thoughts(t);
  const [system, first] = t.messages;
  return (
    <>
      {system ? (
        <Collapsible title="System prompt the agent saw">
          <div class="msg">{system.content}</div>
        </Collapsible>
      ) : null}
      {first ? (
        <div class="turn">
          <div class="head">
            <span>opening message</span>
          </div>
          <div class="body msg">{first.content}</div>
        </div>
      ) : null}
      {t.turns.map((turn, i) => (
        <TurnView key={turn.turn} turn={turn} thought={said[i]} />
      ))}
    </>
  );
}

export function EpisodePage({ id, episodeKey }: { id: string; episodeKey: string }) {
  const { data, error, loading } = useApi<EpisodeDetail>(episodePath(id, episodeKey));
  const t = data?.trajectory;
  return (
    <>
      <p>
        <a href={href(["run", id])}>← run</a>
      </p>
      <Loading error={error} loading={loading && !data} />
      {data && t ? (
        <>
          <h1>
            {t.gym} · {t.taskId} <span class="muted">sample {t.sample}</span>
          </h1>
          <div class="kv">
            <span>
              score <b>{fmt(data.score)}</b>
            </span>
            <span>
              total reward <b>{fmt(t.totalReward)}</b>
            </span>
            <span>
              end <b>{t.endReason}</b> {data.status === "error" ? <Badge kind="error">failed</Badge> : null}
            </span>
            <span>
              agent <b>{t.agentSpec}</b>
            </span>
            <span>
              user <b>{t.userSpec}</b>
            </span>
            <span>
              {t.turns.length} turns · {fmt(t.durationMs / 1000, 1)} s · compat {t.compat}
            </span>
          </div>
          {data.error ? <p class="error">{data.error}</p> : null}
          <RewardChart values={t.turns.map((x) => x.reward)} />
          <div class="split">
            <section>
              <h2>What the agent saw and did</h2>
              <Conversation t={t} />
            </section>
            <aside class="hidden-panel" aria-label="hidden from the agent">
              <h2>
                Hidden from the agent <Badge kind="hidden">hidden</Badge>
              </h2>
              <h3>The task's hidden state</h3>
              <ValueTree value={data.hidden} />
              {t.meta && Object.keys(t.meta).length ? (
                <>
                  <h3>Recorded at the end</h3>
                  <ValueTree value={t.meta} />
                </>
              ) : null}
              {data.rating ? (
                <>
                  <h3>The person's rating</h3>
                  <ValueTree value={data.rating} />
                </>
              ) : null}
            </aside>
          </div>
        </>
      ) : null}
    </>
  );
}
