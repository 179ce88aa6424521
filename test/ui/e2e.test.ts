/**
 * The web app end to end in a real browser: browse a run and open an episode with its hidden state, compare
 * two runs, play a Telepathy episode as the agent against the offline user, play an Intention episode as the
 * user against the baseline agent, rate it and find it in the real-user report.
 * `USERRL_SCREENSHOTS=<dir>` saves a screenshot of each page there.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import type { BrowserContext, Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningUi } from "../../src/ui/app.js";
import { CHROMIUM, ensureWebBuild, launch } from "./browser.js";
import { baselineRun, call, scratch, startTestUi } from "./fixture.js";

let ui: RunningUi;
let browser: BrowserContext;
let page: Page;
let root: string;
let guesser: string;
const shots = process.env.USERRL_SCREENSHOTS;

async function shot(name: string, fullPage = true): Promise<void> {
  if (shots) await page.screenshot({ path: join(shots, `${name}.png`), fullPage });
}

/** Play the user's seat until the episode ends: `reply` answers once; each answer adds one bubble of ours. */
async function answerUntilOver(reply: () => Promise<void>, most = 16): Promise<void> {
  const mine = page.locator(".bubble.user");
  const over = () => page.locator(".result").count();
  for (let sent = 0; sent < most && !(await over()); sent++) {
    const before = await mine.count();
    await reply();
    await expect.poll(async () => (await mine.count()) > before || (await over()) > 0).toBe(true);
    await expect.poll(async () => (await page.locator('textarea[name="reply"]').count()) + (await over())).toBeGreaterThan(0);
  }
  await page.locator(".result").waitFor();
}

/** Open the play page and fill the start card of `seat` (the card is returned; Start is left to the test). */
async function fillPlayCard(seat: "agent" | "user", gym: string, player: string, pick: { task?: string; opponent?: string } = {}): Promise<Locator> {
  await page.goto(`${ui.url}/#/play`);
  const card = page.locator(`[data-seat="${seat}"]`);
  await card.locator('select[name="gym"]').selectOption(gym);
  if (pick.task) {
    await expect.poll(() => card.locator("label:has-text('task') option").count()).toBeGreaterThan(5);
    await card.locator("label:has-text('task') select").selectOption(pick.task);
  }
  if (pick.opponent) await card.locator('select[name="opponent"]').selectOption(pick.opponent);
  await card.locator('input[name="player"]').fill(player);
  return card;
}

async function rate(satisfaction: string, efficient: "yes" | "no", comment: string): Promise<void> {
  await page.getByRole("group", { name: "satisfaction" }).getByRole("button", { name: satisfaction }).click();
  await page.getByLabel(efficient).check();
  await page.locator('textarea[name="comment"]').fill(comment);
}

describe.skipIf(!CHROMIUM)("userrl ui in Chromium", () => {
  beforeAll(async () => {
    ensureWebBuild();
    root = scratch("e2e");
    await baselineRun(root, "telepathy-seed42", ["telepathy"], 5);
    await baselineRun(root, "telepathy-seed7", ["telepathy", "intention"], 5, 7);
    // An agent that only guesses: a wrong guess at once, the next one a minute later (the test ends it before).
    const script = join(root, "guesser.json");
    writeFileSync(script, JSON.stringify([{ tool: { choice: "answer", content: "Penguin" } }, { tool: { choice: "answer", content: "Owl" }, delayMs: 60_000 }]));
    guesser = `scripted:${script}`;
    ui = await startTestUi(root, { allow: [guesser] });
    browser = await launch();
    page = await browser.newPage();
    page.on("pageerror", (e) => {
      throw e;
    });
  });
  afterAll(async () => {
    await browser?.close();
    await ui?.close();
  });

  it("browses a run and opens an episode with its hidden state", async () => {
    await page.goto(ui.url);
    await expect.poll(() => page.locator("table.runs tbody tr").count()).toBe(2);
    await shot("runs");
    await page.getByRole("link", { name: "telepathy-seed42" }).click();
    await expect.poll(() => page.locator("table.episodes tbody tr").count()).toBe(5);
    await shot("run");
    await page.locator("table.episodes tbody tr").first().getByRole("link").click();
    const hidden = page.getByLabel("hidden from the agent");
    await expect.poll(() => hidden.textContent()).toMatch(/targetEntity/);
    expect(await page.locator(".turn[data-turn]").count()).toBeGreaterThan(0);
    expect(await page.locator("svg.chart").count()).toBe(1);
    await shot("episode", false);
  });

  it("filters episodes on the server", async () => {
    await page.goto(ui.url);
    await page.getByRole("link", { name: "telepathy-seed7" }).click();
    await expect.poll(() => page.locator("table.episodes tbody tr").count()).toBe(10);
    await page.locator("form.filters select").first().selectOption("intention");
    await page.getByRole("button", { name: "Filter" }).click();
    await expect.poll(() => page.locator("table.episodes tbody tr").count()).toBe(5);
    expect(await page.locator("table.episodes tbody td:first-child").allTextContents()).toEqual(Array(5).fill("intention"));
  });

  it("compares two runs and opens a task's two trajectories side by side", async () => {
    await page.goto(ui.url);
    await page.getByLabel("pick telepathy-seed42").check();
    await page.getByLabel("pick telepathy-seed7").check();
    await page.getByRole("button", { name: /Compare 2\/2/ }).click();
    await expect.poll(() => page.locator("table.compare tbody tr").count()).toBe(2);
    expect(await page.locator("table.compare").textContent()).toMatch(/telepathy.*paired/s);
    await shot("compare");
    await page.locator("table.tasks a").first().click();
    await expect.poll(() => page.locator(".pair section").count()).toBe(2);
    await expect.poll(() => page.locator(".pair .turn[data-turn]").count()).toBeGreaterThan(1);
    await shot("compare-task");
  });

  it("plays a Telepathy episode as the agent against the offline user", async () => {
    const card = await fillPlayCard("agent", "telepathy", "tess", { task: "Koala" });
    await shot("play");
    await card.getByRole("button", { name: "Start" }).click();
    await page.locator('textarea[name="content"]').fill("Is it an animal?");
    await page.getByRole("button", { name: "Send" }).click();
    await expect.poll(() => page.locator(".bubble.environment").last().textContent()).toMatch(/Yes/);
    await page.locator('select[name="choice"]').selectOption("answer");
    await page.locator('textarea[name="content"]').fill("Koala");
    await shot("play-agent");
    await page.getByRole("button", { name: "Send" }).click();
    await expect.poll(() => page.locator(".result").textContent()).toMatch(/score 1\.000/);
    const runs = (await call(ui.url, "/api/runs")).body.runs as { agent: string; episodes: number }[];
    expect(runs.find((r) => r.agent === "human:tess")?.episodes).toBe(1);
  });
  it("plays Intention as the agent against a terse offline user, after a bad persona is refused with the parser's message", async () => {
    const card = await fillPlayCard("agent", "intention", "tina", { task: "06c2b5dd-7750-4cb6-8aad-1ff6554b98fb" });
    const persona = card.locator('input[name="persona"]');
    await expect.poll(() => persona.inputValue()).toBe("cooperative");
    await persona.fill("grumpy");
    await card.getByRole("button", { name: "Start" }).click();
    await expect.poll(() => card.locator(".error").textContent()).toMatch(/unknown persona "grumpy"/);
    await persona.fill("terse+impatient:turns=3");
    await expect.poll(() => card.locator(".persona-help").textContent()).toMatch(/terse: answers in as few words.*impatient: ends the conversation/);
    await shot("play-persona");
    await card.getByRole("button", { name: "Start" }).click();
    await expect.poll(() => page.locator("b.persona").textContent()).toBe("terse+impatient");
    await page.locator('textarea[name="content"]').fill("What is your current level of knowledge in reading sheet music?");
    await page.getByRole("button", { name: "Send" }).click();
    await expect.poll(() => page.locator(".bubble.environment").count()).toBeGreaterThan(0);
    const reply = (await page.locator(".bubble.environment").last().textContent()) ?? "";
    expect(reply.trim().split(/\s+/).length).toBeLessThanOrEqual(8);
    await shot("live-persona");
    await page.getByRole("button", { name: "End episode" }).click();
    // In the user's seat the person is the user: no persona field, and the card says why.
    await page.goto(`${ui.url}/#/play`);
    const seat = page.locator('[data-seat="user"]');
    expect(await seat.locator('input[name="persona"]').count()).toBe(0);
    await expect.poll(() => seat.textContent()).toMatch(/in this seat you are the user/);
  });

  it("plays an Intention episode as the user against the baseline, rates it, and finds it in the real-user report", async () => {
    const card = await fillPlayCard("user", "intention", "uma", { opponent: "baseline" });
    await card.getByRole("button", { name: "Start" }).click();
    await expect.poll(() => page.locator(".hidden-panel").textContent()).toMatch(/What you have in mind/);
    await shot("play-user", false);
    // The baseline asks at most 16 questions.
    await answerUntilOver(async () => {
      await page.locator('textarea[name="reply"]').fill("Whatever you think is best.");
      await page.getByRole("button", { name: "Send" }).click();
    });
    await rate("4", "yes", "clear questions");
    await shot("rate");
    await page.getByRole("button", { name: "Save rating" }).click();
    await expect.poll(() => page.locator("main").textContent()).toMatch(/your rating is stored/);
    // The stored episode shows the person's replies as the user role's calls, and the rating.
    await page.getByRole("link", { name: "open the stored episode" }).click();
    await page.locator(".turn summary").first().click();
    await expect.poll(() => page.locator(".rolecall").first().textContent()).toMatch(/intention\.user/);
    expect(await page.locator("main").textContent()).toMatch(/Whatever you think is best/);
    expect(await page.locator("main").textContent()).toMatch(/clear questions/);
    await shot("human-episode", false);
    await page.getByRole("link", { name: "Real users" }).click();
    await expect.poll(() => page.locator("table.real-users").textContent()).toMatch(/intention/);
    const row = page.locator("table.real-users tbody tr", { hasText: "intention" });
    expect(await row.locator("td").nth(4).textContent()).toBe("4.00");
    expect(await row.locator("td").nth(5).textContent()).toBe("100%");
    expect(await page.locator("main").textContent()).toMatch(/uma on intention .*clear questions/);
    await shot("real-users");
  });

  it("shows the person their hidden task before any question, and the agent's guesses as they are made", async () => {
    const card = await fillPlayCard("user", "telepathy", "wes", { task: "Koala", opponent: guesser });
    await card.getByRole("button", { name: "Start" }).click();
    await expect.poll(() => page.locator(".hidden-panel").textContent()).toMatch(/You are thinking of: Koala/);
    await expect.poll(() => page.locator(".bubble.agent").last().textContent()).toMatch(/\[answer\] Penguin/);
    expect(await page.locator(".bubble.environment").count()).toBe(1);
    // The agent never asked anything, and the episode is still going.
    expect(await page.locator('textarea[name="reply"]').count()).toBe(0);
    expect(await page.locator(".result").count()).toBe(0);
    await shot("play-user-guess", false);
    await page.getByRole("button", { name: "End episode" }).click();
    await expect.poll(() => page.locator("main .error").textContent()).toMatch(/ended before it finished/);
  });

  it("hands a study participant a fixed task list through one link, resumable", async () => {
    const tasks = (await call(ui.url, "/api/gyms/telepathy/tasks")).body.tasks as string[];
    const study = (await call(ui.url, "/api/studies", { json: { title: "Telepathy pilot", agent: "baseline", items: tasks.slice(0, 2).map((taskId) => ({ gym: "telepathy", taskId })) } })).body;
    await page.goto(`${ui.url}/#/study/${study.id}`);
    await page.locator('input[name="participant"]').fill("vic");
    await page.getByRole("button", { name: "Continue" }).click();
    await expect.poll(() => page.locator("main").textContent()).toMatch(/0 of 2 tasks done/);
    await shot("study");
    await page.getByRole("button", { name: "Start task 1" }).click();
    await page.getByRole("button", { name: "No", exact: true }).waitFor();
    await shot("play-user-choices", false);
    // Telepathy's user answers Yes, No or Maybe: the person clicks one.
    await answerUntilOver(() => page.getByRole("button", { name: "No", exact: true }).click());
    await rate("2", "no", "kept guessing");
    await page.getByRole("button", { name: "Save rating" }).click();
    await page.getByRole("button", { name: "Back to the study" }).click();
    await expect.poll(() => page.locator("main").textContent()).toMatch(/1 of 2 tasks done/);
    // The same link, opened again later, resumes at task 2.
    await page.goto(`${ui.url}/#/study/${study.id}?p=vic`);
    await page.reload();
    await expect.poll(() => page.locator("main").textContent()).toMatch(/1 of 2 tasks done/);
    expect(await page.getByRole("button", { name: "Start task 2" }).count()).toBe(1);
  });
});
