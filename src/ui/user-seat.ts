/**
 * A person in the user's seat: the gym kit's human hook (`HumanSeat`) answered from the browser. The person
 * sees the hidden task written for a person (`brief`) from the start, the agent's questions, and its other moves
 * as they are played, and types the user's replies; the gym's own rules and judges score the episode exactly as
 * with a simulated user. The episode goes to a run whose user is `human:<name>`.
 */
import type { Line, LiveEpisode, LiveView, UserQuestion } from "./live.js";
import { LiveEpisode as Live } from "./live.js";
import { PlayError, type PlayHub, lookupGym } from "./play.js";
import { playRunDir, type PlayRunConfig } from "./record.js";
import { runEpisode } from "../rollout/episode.js";
import { episodeSeed } from "../rollout/runner.js";
import type { HumanSeat, TurnRecord } from "../core/types.js";
import { chooseUser, personBrief } from "../gyms/kit/index.js";

export interface StartUserSeat {
  gym: string;
  taskId?: string;
  split: "train" | "test";
  agent: string;
  player: string;
  maxTurns: number;
  study?: { id: string; participant: string; runDir: string };
}

/** The kit's HumanSeat, answered by the person at the browser. */
export function browserSeat(live: LiveEpisode): HumanSeat {
  return {
    async ask(req, signal) {
      const question: UserQuestion = { role: req.role, turn: req.turn, brief: req.brief, prompt: req.prompt, ...(req.choices ? { choices: req.choices } : {}) };
      const before: Line[] = [...live.snapshot.lines, { from: "agent", text: req.prompt }];
      const text = await live.ask({ seat: "user", question }, before, signal);
      live.update({ lines: [...before, { from: "user", text }] });
      return text;
    },
  };
}

/**
 * A move of the agent the person was not asked about (a guess, a final answer, a search: the gym judges
 * those), shown with the gym's answer as soon as it is played.
 */
function showUnasked(live: LiveEpisode, turn: Readonly<TurnRecord>): void {
  if (!turn.action || turn.roleCalls?.some((c) => c.model === "human")) return;
  const said = turn.action.content.trim();
  const lines: Line[] = [{ from: "agent", text: `[${turn.action.choice}]${said ? ` ${said}` : ""}` }];
  if (turn.feedback.trim()) lines.push({ from: "environment", text: turn.feedback.trim() });
  live.update({ lines: [...live.snapshot.lines, ...lines] });
}

export async function startUserSeat(hub: PlayHub, req: StartUserSeat): Promise<LiveView> {
  const gym = lookupGym(req.gym);
  const agents = await hub.agentFactory(req.agent);
  const task = await hub.pickTask(gym, req.taskId, req.split);
  const live = new Live({
    seat: "user",
    gym: gym.name,
    taskId: task.id,
    opponent: agents.spec,
    brief: personBrief(gym, task),
    ...(req.study ? { study: { id: req.study.id, participant: req.study.participant } } : {}),
  });
  // The person's seat opened the conversation: the gym's first message is what "they" asked.
  live.update({ lines: [{ from: "user", text: gym.firstMessage(task) }] });
  const userSpec = `human:${req.player}`;
  let chosen;
  try {
    chosen = chooseUser(gym, { spec: userSpec, judge: await hub.judgeModel(), humanSeat: browserSeat(live) });
  } catch (err) {
    throw new PlayError((err as Error).message);
  }
  const seed = episodeSeed(Date.now() % 1e9, gym.name, task.id, 0);
  const agent = agents.start(gym, task, seed);
  const config: PlayRunConfig = { agent: agents.spec, user: userSpec, compat: "fixed", maxTurns: req.maxTurns, split: task.split, humanSeat: "web" };
  const dir = req.study?.runDir ?? playRunDir(hub.options.root, "user", req.player, agents.spec);
  hub.launch(live, dir, config, req.study ? 0 : undefined, async () => {
    try {
      return await runEpisode({
        gym,
        task,
        agent,
        ctx: { mode: "eval", compat: "fixed", maxSteps: req.maxTurns, seed, options: {}, signal: live.controller.signal, ...chosen },
        maxTurns: req.maxTurns,
        id: live.id,
        runId: "ui",
        groupId: `${gym.name}/${task.id}`,
        sample: 0,
        agentSpec: agents.spec,
        onTurn: (turn) => showUnasked(live, turn),
      });
    } finally {
      await agent.close?.();
    }
  });
  return live.snapshot;
}
