import { useState } from "preact/hooks";
import { post, useApi } from "../api";
import { go, href } from "../route";
import type { GymInfo, LiveView, Persona, Study } from "../types";
import { Loading } from "../ui";

function TaskPicker({ gym, value, onChange }: { gym: string; value: string; onChange(v: string): void }) {
  const tasks = useApi<{ tasks: string[] }>(gym ? `/api/gyms/${encodeURIComponent(gym)}/tasks` : null);
  return (
    <label>
      task
      <select value={value} onChange={(e) => onChange(e.currentTarget.value)}>
        <option value="">a random test task</option>
        {(tasks.data?.tasks ?? []).map((t) => (
          <option key={t} value={t}>
            {t.length > 70 ? `${t.slice(0, 70)}…` : t}
          </option>
        ))}
      </select>
    </label>
  );
}

function GymSelect({ gyms, value, onChange }: { gyms: GymInfo[]; value: string; onChange(v: string): void }) {
  return (
    <label>
      gym
      <select name="gym" value={value} onChange={(e) => onChange(e.currentTarget.value)}>
        {gyms.map((x) => (
          <option key={x.name} value={x.name}>
            {x.title}
          </option>
        ))}
      </select>
    </label>
  );
}

/** The simulated user's persona, typed as `--persona` takes it; the built-ins are offered with their one-liners. */
function PersonaField({ personas, value, onChange }: { personas: Persona[]; value: string; onChange(v: string): void }) {
  return (
    <label>
      persona
      <input name="persona" list="personas" value={value} onInput={(e) => onChange(e.currentTarget.value)} placeholder="cooperative" size={24} />
      <datalist id="personas">
        {personas.map((p) => (
          <option key={p.name} value={p.name}>
            {p.summary}
          </option>
        ))}
      </datalist>
    </label>
  );
}

/** What the typed persona's built-in parts do, and how to write one. */
function PersonaHelp({ personas, value }: { personas: Persona[]; value: string }) {
  const summary = new Map(personas.map((p) => [p.name, p.summary]));
  const parts = value.split("+").map((p) => p.split(":")[0].trim()).filter((p) => summary.has(p));
  return (
    <p class="muted persona-help">
      {parts.length ? `${parts.map((p) => `${p}: ${summary.get(p)}`).join("; ")}. ` : "How the simulated user behaves. "}
      Built-in: {personas.map((p) => p.name).join(", ")}; combine them with + and set parameters after a colon, as with <code>--persona</code>{" "}
      (<code>terse+impatient:turns=3</code>).
    </p>
  );
}

function Start({ seat, gyms, allow, personas, persona }: { seat: "agent" | "user"; gyms: GymInfo[]; allow: string[]; personas: Persona[]; persona: string }) {
  const [gym, setGym] = useState(gyms[0]?.name ?? "");
  const [chosenPersona, setPersona] = useState(persona);
  const [task, setTask] = useState("");
  const [other, setOther] = useState(seat === "agent" ? "offline" : "baseline");
  const [player, setPlayer] = useState("");
  const [error, setError] = useState<string>();
  const g = gyms.find((x) => x.name === gym);
  const choices = seat === "agent" ? [...(g?.offline ? ["offline"] : []), ...allow] : [...(g?.agents ?? ["baseline"]), ...allow];
  // The choice made for another gym may not exist for this one.
  const picked = choices.includes(other) ? other : (choices[0] ?? "");
  const start = async () => {
    setError(undefined);
    try {
      const body = seat === "agent" ? { gym, taskId: task || undefined, user: picked, player: player || "player", persona: chosenPersona } : { gym, taskId: task || undefined, agent: picked, player };
      const v = await post<LiveView>(`/api/play/${seat}`, body);
      go(["live", v.id]);
    } catch (err) {
      setError((err as Error).message);
    }
  };
  return (
    <div class="card" data-seat={seat}>
      <h2>{seat === "agent" ? "Play as the agent" : "Play as the user"}</h2>
      <p class="muted">
        {seat === "agent"
          ? "You are the agent: ask, search and answer through the one tool, against a simulated user."
          : "You are the user: you see the hidden task, the agent asks you, you answer as the simulated user would. The gym's judges score the agent; at the end you rate it."}
      </p>
      <div class="filters">
        <GymSelect gyms={gyms} value={gym} onChange={(g) => (setGym(g), setTask(""))} />
        <TaskPicker gym={gym} value={task} onChange={setTask} />
        <label>
          {seat === "agent" ? "simulated user" : "agent"}
          <select name="opponent" value={picked} onChange={(e) => setOther(e.currentTarget.value)}>
            {choices.map((c) => (
              <option key={c}>{c}</option>
            ))}
          </select>
        </label>
        {seat === "agent" ? <PersonaField personas={personas} value={chosenPersona} onChange={(p) => (setPersona(p), setError(undefined))} /> : null}
        <label>
          your name
          <input name="player" value={player} onInput={(e) => setPlayer(e.currentTarget.value)} placeholder={seat === "agent" ? "player" : "required"} size={12} />
        </label>
        <button onClick={start} disabled={seat === "user" && !player}>
          Start
        </button>
      </div>
      {seat === "agent" ? (
        <PersonaHelp personas={personas} value={chosenPersona} />
      ) : (
        <p class="muted">No persona here: a persona shapes a simulated user, and in this seat you are the user.</p>
      )}
      {g ? <p class="muted">{g.summary}</p> : null}
      {error ? <p class="error">{error}</p> : null}
    </div>
  );
}

function Studies({ gyms, allow }: { gyms: GymInfo[]; allow: string[] }) {
  const list = useApi<{ studies: Study[] }>("/api/studies");
  const [title, setTitle] = useState("");
  const [agent, setAgent] = useState("baseline");
  const [gym, setGym] = useState(gyms[0]?.name ?? "");
  const [n, setN] = useState(5);
  const [error, setError] = useState<string>();
  const tasks = useApi<{ tasks: string[] }>(`/api/gyms/${encodeURIComponent(gym)}/tasks`);
  const create = async () => {
    setError(undefined);
    try {
      const items = (tasks.data?.tasks ?? []).slice(0, n).map((taskId) => ({ gym, taskId }));
      await post<Study>("/api/studies", { title, agent, items });
      list.reload();
    } catch (err) {
      setError((err as Error).message);
    }
  };
  return (
    <div class="card">
      <h2>Studies</h2>
      <p class="muted">A study hands every participant the same list of tasks through one link; each participant's progress is kept, so the link resumes where they stopped.</p>
      <div class="filters">
        <label>
          title
          <input value={title} onInput={(e) => setTitle(e.currentTarget.value)} placeholder="pilot study" />
        </label>
        <label>
          agent
          <select value={agent} onChange={(e) => setAgent(e.currentTarget.value)}>
            {["baseline", ...allow].map((c) => (
              <option key={c}>{c}</option>
            ))}
          </select>
        </label>
        <GymSelect gyms={gyms} value={gym} onChange={setGym} />
        <label>
          first N test tasks
          <input type="number" min={1} max={200} value={n} onInput={(e) => setN(Number(e.currentTarget.value))} style="width:5em" />
        </label>
        <button onClick={create} disabled={!title}>
          Create study
        </button>
      </div>
      {error ? <p class="error">{error}</p> : null}
      <Loading error={list.error} />
      <ul>
        {(list.data?.studies ?? []).map((s) => (
          <li key={s.id}>
            <a href={href(["study", s.id])}>{s.title}</a> <span class="muted">— {s.items.length} tasks, agent {s.agent}; participant link: </span>
            <code>{`${location.origin}/#/study/${s.id}?p=<name>`}</code>
          </li>
        ))}
      </ul>
    </div>
  );
}

export function PlayPage() {
  const { data, error, loading } = useApi<{ gyms: GymInfo[]; allow: string[]; personas: Persona[]; persona: string }>("/api/gyms");
  const people = data?.gyms.filter((g) => g.person) ?? [];
  return (
    <>
      <h1>Play</h1>
      <Loading error={error} loading={loading && !data} />
      {data ? (
        <>
          <div class="grid2">
            <Start seat="agent" gyms={data.gyms.filter((g) => g.offline || data.allow.length > 0)} allow={data.allow} personas={data.personas} persona={data.persona} />
            <Start seat="user" gyms={people} allow={data.allow} personas={data.personas} persona={data.persona} />
          </div>
          <Studies gyms={people} allow={data.allow} />
        </>
      ) : null}
    </>
  );
}
