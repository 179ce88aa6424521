import { render } from "preact";
import "./style.css";
import { useRoute, href } from "./route";
import { RunsPage } from "./pages/Runs";
import { RunPage } from "./pages/Run";
import { EpisodePage } from "./pages/Episode";
import { ComparePage, PairPage } from "./pages/Compare";
import { PlayPage } from "./pages/Play";
import { LivePage } from "./pages/Live";
import { StudyPage } from "./pages/Study";
import { RealUsersPage } from "./pages/RealUsers";

const NAV: [string, string][] = [
  ["", "Runs"],
  ["compare", "Compare"],
  ["play", "Play"],
  ["real-users", "Real users"],
];

function App() {
  const route = useRoute();
  const [page, ...rest] = route.parts;
  let body;
  if (page === "run" && rest[1] === "ep") body = <EpisodePage id={rest[0]} episodeKey={rest.slice(2).join("/")} />;
  else if (page === "run") body = <RunPage id={rest[0]} params={route.params} />;
  else if (page === "compare") body = <ComparePage params={route.params} />;
  else if (page === "pair") body = <PairPage params={route.params} />;
  else if (page === "play") body = <PlayPage />;
  else if (page === "live") body = <LivePage id={rest[0]} />;
  else if (page === "study") body = <StudyPage id={rest[0]} participant={route.params.get("p") ?? ""} />;
  else if (page === "real-users") body = <RealUsersPage agent={route.params.get("agent") ?? undefined} />;
  else body = <RunsPage />;
  const section = page === "run" || page === undefined ? "" : page === "pair" ? "compare" : page === "live" || page === "study" ? "play" : page;
  return (
    <>
      <header class="top">
        <span class="brand">userrl</span>
        {NAV.map(([p, label]) => (
          <a key={p} href={href(p ? [p] : [])} class={section === p ? "on" : ""}>
            {label}
          </a>
        ))}
      </header>
      <main>{body}</main>
    </>
  );
}

render(<App />, document.getElementById("app")!);
