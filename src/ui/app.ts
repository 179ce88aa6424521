/**
 * `userrl ui`: the web app and its JSON API in one Node process (Hono on @hono/node-server).
 *
 *   GET  /api/runs                          every run found: agent, user, gyms, episodes, cost, live
 *   GET  /api/runs/:id                      the run's settings and the values its episode filters offer
 *   GET  /api/runs/:id/scores               the run's evaluation (eval/): per-gym scores, intervals, reward by turn
 *   GET  /api/runs/:id/episodes             one page of episodes (gym, task, q, endReason, status, minReward, maxReward, offset, limit)
 *   GET  /api/runs/:id/episodes/:key        one trajectory, the task's hidden state, the rating
 *   GET  /api/compare?a=&b=                 paired differences per gym and per task (eval/compare)
 *   GET  /api/gyms, /api/gyms/:gym/tasks    what can be played
 *   POST /api/play/agent, /api/play/user    start a live episode with a person in that seat
 *   GET  /api/play/:id?after=N              the live view (waits up to 20 s for a version after N)
 *   POST /api/play/:id/move | reply | rate | end
 *   GET/POST /api/studies, GET /api/studies/:id/:participant, POST /api/studies/:id/:participant/next
 *   GET  /api/real-users?agent=             simulated vs human users per gym (paper Table 5 shape)
 *
 * Safety: loopback by default; any other bind needs a token (`Authorization: Bearer`, or `?token=` once, kept
 * in an HttpOnly cookie); on a loopback bind only loopback Host names are answered (DNS rebinding); API
 * requests from another origin are refused; bodies and fields are bounded as in `userrl serve`.
 */
import { serve, type HttpBindings, type ServerType } from "@hono/node-server";
import { Hono, type Context } from "hono";
import { bodyLimit } from "hono/body-limit";
import { getCookie, setCookie } from "hono/cookie";
import { z } from "zod";
import { MAX_ACTION_CHARS } from "../core/action.js";
import { DataStore } from "../data/store.js";
import { GYMS } from "../gyms/index.js";
import { userProblem } from "../gyms/kit/index.js";
import type { EvalSummary, GymEval } from "../eval/aggregate.js";
import { compareRuns, type Comparison } from "../eval/compare.js";
import { hostAllowed, isLoopback, presentedToken, tokenChecker } from "../server/guard.js";
import { DEFAULT_SERVER_OPTIONS } from "../server/options.js";
import { PlayError, PlayHub, lookupGym } from "./play.js";
import { DEFAULT_PERSONA, parsePersona } from "../personas/spec.js";
import { TRAIT_NAMES, TRAITS } from "../personas/traits.js";
import { ratingSchema } from "./ratings.js";
import { realUserReport } from "./real-users.js";
import { NAME_PATTERN } from "./record.js";
import { NotFound, RunIndex, type RunDetail } from "./runs.js";
import { loadStatic, webDir, type StaticFile } from "./static.js";
import { newStudySchema, StudyStore } from "./studies.js";
import { startUserSeat } from "./user-seat.js";

export interface UiOptions {
  /** Run directories to show. */
  runDirs: string[];
  /** Folders searched for run directories (and, the first one, where played episodes and studies are written). */
  roots: string[];
  /** Where played episodes and studies are written (default: the first root, else ./runs). */
  out: string;
  host: string;
  port: number;
  token?: string;
  /** Model specs the browser may name as agent or user. */
  allow: string[];
  judge?: string;
  /** `--persona`: the default of the Play page's persona field (a person playing the agent). */
  persona?: string;
  data?: DataStore;
  maxLive?: number;
  idleMs?: number;
  /** Folder of the built web app (tests point it elsewhere). */
  webDir?: string;
}

export interface RunningUi {
  url: string;
  port: number;
  /** The URL to open, with the token when one is required. */
  openUrl: string;
  close(): Promise<void>;
}

const TOKEN_COOKIE = "userrl_ui_token";
const MAX_BODY = DEFAULT_SERVER_OPTIONS.maxMessageBytes;
const name = z.string().trim().regex(NAME_PATTERN, "a name of letters, digits, _ . - (up to 40)");
const spec = z.string().trim().min(1).max(500);

const agentSeatSchema = z.object({
  gym: z.string().min(1).max(40),
  taskId: z.string().max(500).optional(),
  split: z.enum(["train", "test"]).default("test"),
  user: spec.default("offline"),
  player: name.default("player"),
  maxTurns: z.number().int().min(1).max(64).default(16),
  /** Parsed by the play hub as `--persona` is (absent: the server's `--persona`). */
  persona: z.string().max(500).optional(),
});
const userSeatSchema = z.object({
  gym: z.string().min(1).max(40),
  taskId: z.string().max(500).optional(),
  split: z.enum(["train", "test"]).default("test"),
  agent: spec.default("baseline"),
  player: name,
  maxTurns: z.number().int().min(1).max(64).default(16),
  // A persona shapes a simulated user; here the person is the user, so only the default means anything.
  persona: z
    .string()
    .max(500)
    .refine((p) => ["", DEFAULT_PERSONA].includes(p.trim()), "a persona shapes a simulated user; in the user's seat you are the user, so none applies")
    .optional(),
});
const moveSchema = z.object({ choice: z.enum(["action", "answer", "search", "finish"]), content: z.string().max(MAX_ACTION_CHARS).default("") });
const replySchema = z.object({ text: z.string().trim().min(1).max(MAX_ACTION_CHARS) });
const pageSchema = z.object({
  gym: z.string().max(40).optional(),
  task: z.string().max(500).optional(),
  q: z.string().max(200).optional(),
  endReason: z.string().max(40).optional(),
  status: z.enum(["done", "error"]).optional(),
  minReward: z.coerce.number().finite().optional(),
  maxReward: z.coerce.number().finite().optional(),
  offset: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

/** A run's scores as its page gets them: each gym's evaluation with its number of tasks instead of the per-task list. */
export type RunScores = Omit<EvalSummary, "gyms"> & { gyms: Record<string, Omit<GymEval, "tasks"> & { tasks: number }> };

/** Two runs compared (eval/compare), with every task both played. */
export type ComparisonBody = Comparison & { tasks: { gym: string; taskId: string; a: number; b: number; delta: number }[] };

class BadRequest extends Error {}

async function body<T>(c: Context, schema: z.ZodType<T>): Promise<T> {
  let raw: unknown;
  try {
    raw = await c.req.json();
  } catch {
    throw new BadRequest("the request body must be JSON");
  }
  return parse(schema, raw);
}

function parse<T>(schema: z.ZodType<T>, raw: unknown): T {
  const r = schema.safeParse(raw);
  if (!r.success) {
    const i = r.error.issues[0];
    throw new BadRequest(`${i.path.join(".") || "input"}: ${i.message}`);
  }
  return r.data;
}

/** Query parameters without the empty ones (an empty filter field means no filter). */
function query(c: Context): Record<string, string> {
  return Object.fromEntries(Object.entries(c.req.query()).filter(([, v]) => v !== ""));
}

export function buildUiApp(o: UiOptions): { app: Hono<{ Bindings: HttpBindings }>; hub: PlayHub; index: RunIndex; studies: StudyStore } {
  const data = o.data ?? DataStore.default();
  const index = new RunIndex(o.runDirs, [...o.roots, o.out], data);
  const persona = o.persona === undefined ? undefined : { spec: o.persona.trim(), view: parsePersona(o.persona) };
  const hub = new PlayHub({ root: o.out, data, allow: o.allow, judge: o.judge, persona, maxLive: o.maxLive ?? 64, idleMs: o.idleMs ?? 30 * 60_000 });
  const studies = new StudyStore(o.out);
  const files: Map<string, StaticFile> = loadStatic(o.webDir ?? webDir());
  const authorized = tokenChecker(o.token);
  const app = new Hono<{ Bindings: HttpBindings }>();

  app.onError((err, c) => {
    if (err instanceof BadRequest || err instanceof z.ZodError) return c.json({ error: err.message }, 400);
    if (err instanceof NotFound) return c.json({ error: err.message }, 404);
    if (err instanceof PlayError) return c.json({ error: err.message }, err.status);
    return c.json({ error: (err as Error).message || "internal error" }, 500);
  });

  app.use("*", async (c, next) => {
    if (!hostAllowed(c.env.incoming, o.host)) return c.json({ error: "Host header not allowed on a loopback server" }, 403);
    if (o.token !== undefined) {
      const fromQuery = c.req.query("token");
      const bearer = presentedToken(c.env.incoming, false);
      const presented = bearer ?? fromQuery ?? getCookie(c, TOKEN_COOKIE);
      const ok = authorized(presented);
      if (ok && fromQuery !== undefined) setCookie(c, TOKEN_COOKIE, fromQuery, { httpOnly: true, sameSite: "Strict", path: "/" });
      if (!ok && c.req.path.startsWith("/api/")) return c.json({ error: "missing or wrong token: open the URL `userrl ui` printed" }, 401);
    }
    if (c.req.path.startsWith("/api/")) {
      // A page on another site must not drive this API with the visitor's browser.
      const origin = c.req.header("origin");
      const site = c.req.header("sec-fetch-site");
      if (site === "cross-site" || (origin !== undefined && origin !== "null" && new URL(origin).host !== c.req.header("host"))) {
        return c.json({ error: "cross-origin requests are refused" }, 403);
      }
      if (origin === "null") return c.json({ error: "cross-origin requests are refused" }, 403);
    }
    await next();
  });
  // The connection closes after a refused body: the rest of it is never read.
  app.use("/api/*", bodyLimit({ maxSize: MAX_BODY, onError: (c) => c.json({ error: `request body exceeds ${MAX_BODY} bytes` }, 413, { connection: "close" }) }));

  app.get("/api/runs", (c) => c.json({ runs: index.list() }));
  // What a run's page shows at once (plain SQL); its scores come from /api/runs/:id/scores, which evaluates every episode.
  app.get("/api/runs/:id", (c) => {
    const id = c.req.param("id");
    const detail: RunDetail = { ...index.listing(id, index.dirOf(id)), ...index.details(id), facets: index.facets(id) };
    return c.json(detail);
  });
  app.get("/api/runs/:id/scores", (c) => {
    const run = index.evaluate(c.req.param("id"));
    // Trajectories stay on the server: the page asks for episodes one page at a time.
    const gyms = Object.fromEntries(Object.entries(run.summary.gyms).map(([g, s]) => [g, { ...s, tasks: s.tasks.length }]));
    const body: RunScores = { ...run.summary, gyms };
    return c.json(body);
  });
  app.get("/api/runs/:id/episodes", (c) => c.json(index.episodes(c.req.param("id"), parse(pageSchema, query(c)))));
  app.get("/api/runs/:id/episodes/:key{.+}", async (c) => c.json(await index.episode(c.req.param("id"), decodeURIComponent(c.req.param("key")))));

  app.get("/api/compare", async (c) => {
    const { a, b } = parse(z.object({ a: z.string().min(1).max(40), b: z.string().min(1).max(40) }), query(c));
    const A = index.evaluate(a);
    const B = index.evaluate(b);
    const comparison = compareRuns(A, B);
    const tasks = comparison.gyms.flatMap((g) => {
      const tb = new Map(B.summary.gyms[g.gym].tasks.map((t) => [t.taskId, t.mean]));
      return A.summary.gyms[g.gym].tasks.filter((t) => tb.has(t.taskId)).map((t) => ({ gym: g.gym, taskId: t.taskId, a: t.mean, b: tb.get(t.taskId)!, delta: tb.get(t.taskId)! - t.mean }));
    });
    const result: ComparisonBody = { ...comparison, tasks };
    return c.json(result);
  });

  app.get("/api/gyms", (c) =>
    c.json({
      gyms: [...GYMS.values()].map((g) => ({
        name: g.name,
        title: g.title,
        summary: g.summary,
        offline: g.offline,
        offlineUser: g.offlineUser,
        agents: ["baseline", ...Object.keys(g.agents ?? {})],
        // Whether a person can take the user's seat here (with this server's --judge, if any).
        person: userProblem(g, "human:someone", o.judge !== undefined) === undefined,
      })),
      allow: o.allow,
      // The persona field of "play as the agent": the built-ins with their one-liners, and the default.
      personas: TRAIT_NAMES.map((n) => ({ name: n, summary: TRAITS[n].summary })),
      persona: persona?.spec ?? DEFAULT_PERSONA,
    }),
  );
  app.get("/api/gyms/:gym/tasks", async (c) => {
    const gym = lookupGym(c.req.param("gym"));
    const split = c.req.query("split") === "train" ? "train" : "test";
    const tasks = (await gym.tasks(data)).filter((t) => t.split === split);
    return c.json({ tasks: tasks.map((t) => t.id) });
  });

  app.post("/api/play/agent", async (c) => c.json(await hub.startAgentSeat(await body(c, agentSeatSchema))));
  app.post("/api/play/user", async (c) => {
    const { persona: _none, ...req } = await body(c, userSeatSchema);
    return c.json(await startUserSeat(hub, req));
  });
  app.get("/api/play/:id", async (c) => {
    const live = hub.get(c.req.param("id"));
    const after = Number(c.req.query("after"));
    return c.json(Number.isInteger(after) ? await live.changedAfter(after, 20_000) : live.snapshot);
  });
  app.post("/api/play/:id/move", async (c) => {
    const m = await body(c, moveSchema);
    return c.json(hub.move(c.req.param("id"), m.choice, m.content));
  });
  app.post("/api/play/:id/reply", async (c) => c.json(hub.reply(c.req.param("id"), (await body(c, replySchema)).text)));
  app.post("/api/play/:id/rate", async (c) => c.json(hub.rate(c.req.param("id"), await body(c, ratingSchema))));
  app.post("/api/play/:id/end", (c) => {
    hub.end(c.req.param("id"));
    return c.json({ ended: true });
  });

  app.get("/api/studies", (c) => c.json({ studies: studies.list() }));
  app.post("/api/studies", async (c) => {
    const input = await body(c, newStudySchema);
    if (!hub.allowed(input.agent, "agent")) throw new PlayError(`agent "${input.agent}" is not allowed here; start \`userrl ui --allow ${input.agent}\` to offer it`);
    for (const it of input.items) await hub.pickTask(lookupGym(it.gym), it.taskId, "test");
    return c.json(studies.create(input));
  });
  const studyOf = (id: string) => {
    const s = studies.get(id);
    if (!s) throw new NotFound(`no study ${id}`);
    return s;
  };
  app.get("/api/studies/:id/:participant", (c) => c.json(studies.progress(studyOf(c.req.param("id")), parse(name, c.req.param("participant")))));
  app.post("/api/studies/:id/:participant/next", async (c) => {
    const study = studyOf(c.req.param("id"));
    const participant = parse(name, c.req.param("participant"));
    const p = studies.progress(study, participant);
    if (p.next < 0) throw new PlayError("every task of this study is done — thank you", 409);
    const item = study.items[p.next];
    return c.json(
      await startUserSeat(hub, {
        gym: item.gym,
        taskId: item.taskId,
        split: "test",
        agent: study.agent,
        player: participant,
        maxTurns: study.maxTurns,
        study: { id: study.id, participant, runDir: p.runDir },
      }),
    );
  });

  app.get("/api/real-users", (c) => c.json(realUserReport(index, c.req.query("agent") || undefined)));

  app.all("/api/*", (c) => c.json({ error: `no route ${c.req.method} ${c.req.path}` }, 404));

  app.get("*", (c) => {
    const file = files.get(c.req.path) ?? files.get("/index.html");
    if (!file) return c.text("The web app is not built: run `npm run build` in the userrl package.", 503);
    return c.body(new Uint8Array(file.body), 200, {
      "content-type": file.type,
      "cache-control": file.immutable ? "public, max-age=31536000, immutable" : "no-cache",
      "x-content-type-options": "nosniff",
      "x-frame-options": "DENY",
      "content-security-policy": "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'",
    });
  });

  return { app, hub, index, studies };
}

export async function startUi(o: UiOptions): Promise<RunningUi> {
  if (!isLoopback(o.host) && !o.token) throw new Error(`binding to ${o.host} needs a token: pass --token <at least 8 characters> or set USERRL_UI_TOKEN`);
  if (o.token !== undefined && o.token.length < 8) throw new Error("the token must have at least 8 characters");
  const { app, hub } = buildUiApp(o);
  const server: ServerType = await new Promise((resolve, reject) => {
    const s = serve({ fetch: app.fetch, port: o.port, hostname: o.host }, () => resolve(s));
    s.once("error", reject);
  });
  const addr = server.address();
  const port = typeof addr === "object" && addr ? addr.port : o.port;
  const host = o.host.includes(":") ? `[${o.host}]` : o.host === "0.0.0.0" ? "127.0.0.1" : o.host;
  const url = `http://${host}:${port}`;
  return {
    url,
    port,
    openUrl: o.token ? `${url}/?token=${encodeURIComponent(o.token)}` : url,
    async close() {
      await hub.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        (server as { closeAllConnections?: () => void }).closeAllConnections?.();
      });
    },
  };
}
