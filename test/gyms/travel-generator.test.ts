import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { INITIAL } from "../../src/gyms/travel/aspects.js";
import { DOMAINS, TEMPLATES } from "../../src/gyms/travel/generator/domain/index.js";
import type { OptionJson } from "../../src/gyms/travel/generator/domain/types.js";
import { gitBlobSha1, loadScenarioDir, writeScenarioDir } from "../../src/gyms/travel/files.js";
import { generateScenario, OPTIONS_PER_ASPECT, parseKey, variantOf } from "../../src/gyms/travel/generator/index.js";
import { travelGym } from "../../src/gyms/travel/index.js";
import { Rng } from "../../src/gyms/kit/random.js";
import { allOptions, checkScenario, parseScenario, preferencesOf, scenarioToFile, type Scenario } from "../../src/gyms/travel/scenario.js";
import { generatedScenario, parseIdList, resolveScenario } from "../../src/gyms/travel/tasks.js";
import { parseTrip, searchArguments } from "../../src/gyms/travel/trip.js";
import { data } from "../helpers.js";

const TEST_COUNTS: Record<string, number> = { "22": 101, "33": 87, "44": 67, "233": 61, "333": 53, "334": 47, "444": 38, "2222": 17 };
const TRAIN_COUNTS: Record<string, number> = { "22": 570, "33": 489, "44": 379, "233": 341, "333": 300, "334": 266, "444": 210, "2222": 96 };

test("tasks: the eight parquet sets, ids kept as scenario keys, the paper's split sizes", async () => {
  const tasks = await travelGym.tasks(data);
  const count = (split: string, v: string) => tasks.filter((t) => t.split === split && t.payload.variant === v).length;
  for (const v of Object.keys(TEST_COUNTS)) {
    expect(count("test", v)).toBe(TEST_COUNTS[v]);
    expect(count("train", v)).toBe(TRAIN_COUNTS[v]);
  }
  expect(tasks.filter((t) => t.split === "test")).toHaveLength(471);
  expect(tasks.filter((t) => t.split === "train")).toHaveLength(2651);
  expect(new Set(tasks.map((t) => t.id)).size).toBe(3122);
  const t = tasks.find((x) => x.id === "flight:2-37|hotel:2-9")!;
  expect(t.payload).toMatchObject({ variant: "22", bestIds: ["H11", "F3"] });
  expect(t.payload.description).toBe(
    "I am planning a trip from New York to San Francisco with a one-way flight on April 10th, and I will stay in a hotel in San Francisco from April 10th to April 15th.",
  );
  for (const x of tasks) expect(variantOf(x.id)).toBe(x.payload.variant);
  expect(travelGym.firstMessage(t).startsWith(t.payload.description)).toBe(true);
});

// Generates all 3,122 scenarios (about 1–2 s of CPU; more on a loaded machine, hence the long timeout).
test("every train and test scenario is generated consistent: best correct and strictly cheapest, wrong options break a preference", async () => {
  const tasks = await travelGym.tasks(data);
  const problems: string[] = [];
  const say = (t: { id: string }, what: string) => problems.push(`${t.id}: ${what}`);
  for (const t of tasks) {
    const s = generatedScenario(t.payload);
    for (const p of checkScenario(s)) say(t, p);
    if (s.key !== t.id) say(t, "key changed");
    // The best option keeps the id the parquet row names, and the aspect order follows the row.
    if (s.dimensions.map((d) => s.blocks[d]!.best_id).join() !== t.payload.bestIds.join()) say(t, "best ids differ from the row");
    const parts = parseKey(t.id);
    for (const d of s.dimensions) {
      const b = s.blocks[d]!;
      if (allOptions(b).length !== OPTIONS_PER_ASPECT) say(t, `${d}: ${allOptions(b).length} options`);
      if (b.preferences.length !== parts.find((p) => p.aspect === d)!.count) say(t, `${d}: wrong number of preferences`);
      // The first message yields a place and a date for every aspect.
      const args = b.arguments as Record<string, string>;
      if (!(args.location ?? args.destination) || !Object.keys(args).some((k) => k.includes("date"))) say(t, `${d}: incomplete arguments`);
      if (d === "flight" && !args.origin) say(t, "flight without origin");
    }
  }
  expect(problems).toEqual([]);
}, 240_000);

/** Each preference matters: some option breaking only it is cheaper than the best one. */
function trapsOk(s: Scenario): boolean {
  for (const d of s.dimensions) {
    const b = s.blocks[d]!;
    const specs = preferencesOf(s).filter((p) => p.dimension === d).map((p) => p.spec!);
    const price = (o: OptionJson) => DOMAINS[d].price(o, specs);
    const best = allOptions(b).find((o) => o.id === b.best_id)!;
    for (let j = 0; j < specs.length; j++) {
      const trap = allOptions(b).find((o) =>
        specs.every((sp, i) => TEMPLATES.get(sp.template)!.template.test(o, sp.value) === (i !== j)) && price(o) < price(best),
      );
      if (!trap) return false;
    }
  }
  return true;
}

describe("generator", () => {
  test("same seed → identical output; another seed → another scenario", async () => {
    const tasks = (await travelGym.tasks(data)).filter((t) => t.split === "test").slice(0, 60);
    for (const t of tasks) {
      const a = JSON.stringify(scenarioToFile(generateScenario({ key: t.id, description: t.payload.description, bestIds: t.payload.bestIds })));
      const b = JSON.stringify(scenarioToFile(generateScenario({ key: t.id, description: t.payload.description, bestIds: t.payload.bestIds })));
      const c = JSON.stringify(scenarioToFile(generateScenario({ key: t.id, description: t.payload.description, bestIds: t.payload.bestIds }, 7)));
      expect(a).toBe(b);
      expect(c).not.toBe(a);
    }
  });

  test("every preference is decisive, and the cheapest option overall is never the best", async () => {
    const tasks = (await travelGym.tasks(data)).filter((t) => t.split === "test");
    for (const t of tasks) {
      const s = generatedScenario(t.payload);
      expect(trapsOk(s)).toBe(true);
      for (const d of s.dimensions) {
        const b = s.blocks[d]!;
        const specs = preferencesOf(s).filter((p) => p.dimension === d).map((p) => p.spec!);
        const prices = allOptions(b).map((o) => ({ id: o.id, p: DOMAINS[d].price(o, specs) }));
        const cheapest = prices.reduce((x, y) => (y.p < x.p ? y : x));
        expect(cheapest.id).not.toBe(b.best_id);
      }
    }
  });

  test("option ids carry the aspect initial; options show no hidden fields", () => {
    const s = generateScenario({ key: "flight:3-1|rental_car:3-126|restaurant:3-42", description: "I need a one-way flight from New York to San Francisco on November 15th, a rental car in San Francisco from November 15th to November 20th, and a restaurant reservation in San Francisco on November 17th." });
    for (const d of s.dimensions) {
      for (const o of allOptions(s.blocks[d]!)) {
        expect(o.id.startsWith(INITIAL[d])).toBe(true);
        expect(o).not.toHaveProperty("type");
        expect(o).not.toHaveProperty("reason");
      }
    }
    expect(s.blocks.rental_car!.arguments).toEqual({ location: "San Francisco", pickup_date: "November 15th", return_date: "November 20th" });
  });

  test("a tampered scenario fails its check", () => {
    const s = generateScenario({ key: "flight:2-37|hotel:2-9", description: "I need a one-way flight from New York to San Francisco on April 10th and a hotel in San Francisco from April 10th to April 15th.", bestIds: ["H11", "F3"] });
    const raw = JSON.parse(JSON.stringify(scenarioToFile(s)));
    // Make a wrong option satisfy everything by copying the best flight's fields.
    const best = raw.flight.options.correct.find((o: OptionJson) => o.id === "F3");
    raw.flight.options.wrong[0] = { ...best, id: raw.flight.options.wrong[0].id };
    expect(checkScenario(parseScenario(s.key, raw, "generated")).join(" ")).toMatch(/satisfies every preference/);
    const raw2 = JSON.parse(JSON.stringify(scenarioToFile(s)));
    raw2.flight.best_id = raw2.flight.options.wrong[0].id;
    expect(checkScenario(parseScenario(s.key, raw2, "generated")).join(" ")).toMatch(/best_id/);
  });

  test("malformed keys are refused", () => {
    expect(() => parseKey("flight:2-37|boat:2-1")).toThrow(/malformed/);
    expect(() => parseKey("flight:2-37|flight:2-1")).toThrow(/repeated/);
    expect(parseIdList("['H11', 'F3']")).toEqual(["H11", "F3"]);
  });

  test("the PRNG is pinned: its streams never change between versions", () => {
    const r = new Rng("pin");
    expect([r.int(0, 1000), r.int(0, 1000), r.int(0, 1000)]).toEqual(PIN);
    const f = r.fork("child");
    expect(f.int(0, 1000)).toBe(new Rng("pin").fork("child").int(0, 1000));
  });
});

describe("trip reading (ground-truth search arguments)", () => {
  const cases: [string, string[], Record<string, Record<string, string>>][] = [
    [
      "I need a one-way flight from New York to Los Angeles on November 15th and a rental car in Los Angeles from November 15th to November 22nd.",
      ["flight", "rental_car"],
      {
        flight: { origin: "New York", destination: "Los Angeles", departure_date: "November 15th" },
        rental_car: { location: "Los Angeles", pickup_date: "November 15th", return_date: "November 22nd" },
      },
    ],
    [
      "I am planning a trip to San Diego from November 15th to November 20th, staying in a hotel and renting a car for the duration. I also plan to dine at a restaurant in San Diego on November 16th.",
      ["hotel", "rental_car", "restaurant"],
      {
        hotel: { location: "San Diego", check_in_date: "November 15th", check_out_date: "November 20th" },
        rental_car: { location: "San Diego", pickup_date: "November 15th", return_date: "November 20th" },
        restaurant: { location: "San Diego", date: "November 16th" },
      },
    ],
    [
      "I need a one-way flight from New York to Sydney on December 10th with a layover in Bangkok. Upon arrival in Sydney on December 12th, I will stay at a hotel until December 18th.",
      ["flight", "hotel"],
      {
        flight: { origin: "New York", destination: "Sydney", departure_date: "December 10th" },
        hotel: { location: "Sydney", check_in_date: "December 12th", check_out_date: "December 18th" },
      },
    ],
    [
      "I am planning a trip to Barcelona with a one-way flight from New York on April 15th and will stay in an apartment in Barcelona from April 15th to April 22nd.",
      ["flight", "apartment"],
      {
        flight: { origin: "New York", destination: "Barcelona", departure_date: "April 15th" },
        apartment: { location: "Barcelona", check_in_date: "April 15th", check_out_date: "April 22nd" },
      },
    ],
  ];
  test.each(cases)("%s", (text, aspects, expected) => {
    const trip = parseTrip(text, aspects as never);
    for (const a of aspects) expect(searchArguments(trip[a as keyof typeof trip]!)).toEqual(expected[a]);
  });
});

describe("scenario files", () => {
  test("generated files round-trip, and a folder of them replaces generation key by key", async () => {
    const tasks = (await travelGym.tasks(data)).filter((t) => t.split === "test");
    const picked = [tasks[0], tasks.find((t) => t.payload.variant === "2222")!];
    const dir = mkdtempSync(join(tmpdir(), "travel-files-"));
    const written = await writeScenarioDir(dir, picked.map((t) => generatedScenario(t.payload)));
    expect(written.map((w) => w.variant)).toEqual(["22", "2222"]);
    const loaded = loadScenarioDir(dir);
    expect(loaded.files.every((f) => !f.matchesUpstream)).toBe(true);
    for (const t of picked) {
      const s = loaded.scenarios.get(t.id)!;
      expect(checkScenario(s)).toEqual([]);
      expect(scenarioToFile(s)).toEqual(scenarioToFile(generatedScenario(t.payload)));
      expect(resolveScenario(t, { scenarios: dir }).scenario.source).toBe("userbench");
    }
    const other = tasks.find((t) => t.payload.variant === "33")!;
    expect(resolveScenario(other, { scenarios: dir }).note).toMatch(/played the generated one/);
  });

  test("a broken file is an error naming the file", () => {
    const dir = mkdtempSync(join(tmpdir(), "travel-bad-"));
    writeFileSync(join(dir, "travelgym_data_22.json"), JSON.stringify({ "flight:2-1|hotel:2-1": { dimensions: ["flight"], initial_description: "x", flight: { best_id: 3 } } }));
    expect(() => loadScenarioDir(dir)).toThrow(/travelgym_data_22\.json/);
    const empty = mkdtempSync(join(tmpdir(), "travel-empty-"));
    expect(() => loadScenarioDir(empty)).toThrow(/holds no/);
  });

  test("git blob ids are computed like git hash-object", () => {
    expect(gitBlobSha1(Buffer.from("hello\n"))).toBe("ce013625030ba8dba906f756967f9e9ca394464a");
    const dir = mkdtempSync(join(tmpdir(), "travel-blob-"));
    writeFileSync(join(dir, "x"), "hello\n");
    expect(gitBlobSha1(readFileSync(join(dir, "x")))).toBe("ce013625030ba8dba906f756967f9e9ca394464a");
  });
});

/** The first draws of `new Rng("pin")`: a change here changes every generated scenario. */
const PIN = [137, 916, 481];
