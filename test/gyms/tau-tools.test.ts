/**
 * The tau-bench tool port against the Python reference: outputs, error strings and database states
 * recorded by running tau-bench's own tools (fixtures in test/fixtures/tau, made once with Python).
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { IntegralFloat, pyJsonDumps, pyRepr } from "../../src/core/pyformat.js";
import { calculate } from "../../src/gyms/tau/tools/calculator.js";
import { TauDb, sameData, type DbState } from "../../src/gyms/tau/db.js";
import { domainData } from "../../src/gyms/tau/domain.js";
import { pyJsonLoads } from "../../src/core/py-json.js";
import { contains, PyError, sameHashable, sorted } from "../../src/gyms/tau/pyvalue.js";
import { tauGym } from "../../src/gyms/tau/index.js";
import { AIRLINE_TOOLS } from "../../src/gyms/tau/tools/airline.js";
import { RETAIL_TOOLS } from "../../src/gyms/tau/tools/retail.js";
import { callTool, className, toolSchema, type Domain, type ParamSchema, type TauTool } from "../../src/gyms/tau/tools/tool.js";
import { data } from "../helpers.js";

const fixture = (name: string) => JSON.parse(readFileSync(new URL(`../fixtures/tau/${name}`, import.meta.url), "utf8"));
const sha16 = (s: string) => createHash("sha256").update(s).digest("hex").slice(0, 16);

interface ToolCase {
  domain: Domain;
  setup: [string, string][];
  name: string;
  kwargs: string;
  output?: string | null;
  outputSha256?: string;
  outputHead?: string;
  stateHash: string;
}

async function run(domain: Domain, calls: [string, string][]): Promise<{ outputs: (string | null)[]; state: DbState }> {
  const d = await domainData(data, domain);
  const db = new TauDb(d.pristine);
  const outputs = calls.map(([name, kwargs]) => callTool(domain, d.toolsByName.get(name)!, db, pyJsonLoads(kwargs) as Record<string, unknown>).output);
  return { outputs, state: db.snapshot() };
}

/** A schema without its descriptions: what the reference fixes (descriptions are our own words). */
function withoutDescriptions(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(withoutDescriptions);
  if (typeof v !== "object" || v === null) return v;
  return Object.fromEntries(Object.entries(v).filter(([k]) => k !== "description").map(([k, x]) => [k, withoutDescriptions(x)]));
}

/** Every parameter schema of a tool, nested ones (array items, object properties) included, by path. */
function paramsOf(tool: TauTool): [string, ParamSchema][] {
  const out: [string, ParamSchema][] = [];
  const visit = (path: string, p: ParamSchema) => {
    out.push([path, p]);
    for (const [name, q] of Object.entries(p.items?.properties ?? p.properties ?? {})) visit(`${path}.${name}`, q);
  };
  for (const [name, p] of tool.params) visit(`${tool.name}.${name}`, p);
  return out;
}

const TOOLS: Record<Domain, readonly TauTool[]> = { retail: RETAIL_TOOLS, airline: AIRLINE_TOOLS };

describe("tool schemas and listing", () => {
  test.each(["retail", "airline"] as const)("%s: names, parameters, types, enums and required lists are tau-bench's (fixture)", (domain) => {
    const reference = fixture("tool-schemas.json")[domain];
    expect(TOOLS[domain].map((t) => withoutDescriptions(toolSchema(t)))).toEqual(reference);
  });

  test.each(["retail", "airline"] as const)("%s: every tool and every parameter, nested ones too, has a one-line description", (domain) => {
    for (const tool of TOOLS[domain]) {
      expect(tool.description.trim(), tool.name).not.toBe("");
      expect(tool.description, tool.name).not.toMatch(/\n/);
      for (const [path, p] of paramsOf(tool)) {
        // Array items are described by the array itself.
        expect(p.description?.trim(), path).toBeTruthy();
        expect(p.description, path).not.toMatch(/\n/);
      }
    }
  });

  test.each(["retail", "airline"] as const)("%s: the `[search] tools` text lists each tool, then its parameters, in order", async (domain) => {
    const listing = (await domainData(data, domain)).listing;
    const expected = ["Available Tools:"];
    for (const tool of TOOLS[domain]) {
      expected.push(`- ${tool.name}: ${tool.description}`);
      if (tool.params.length > 0) expected.push("  Parameters:", ...tool.params.map(([name, p]) => `    - ${name}: ${p.description}`));
    }
    expect(listing.split("\n")).toEqual(expected);
    // The shape on its own: a parameterless tool (list_all_*) has no "Parameters:" line.
    expect(listing).toMatch(/^Available Tools:\n- [a-z_]+: [^\n]+\n {2}Parameters:\n {4}- [a-z_]+: [^\n]+\n/);
    expect(listing).toMatch(/\n- list_all_(product_types|airports): [^\n]+\n- [a-z_]+: /);
  });

  test("16 retail and 14 airline tools, with tau-bench's class names and OpenAI-style schemas", () => {
    expect(RETAIL_TOOLS).toHaveLength(16);
    expect(AIRLINE_TOOLS).toHaveLength(14);
    expect(RETAIL_TOOLS.map(className)).toContain("FindUserIdByNameZip");
    expect(AIRLINE_TOOLS.map(className)).toContain("SearchOnestopFlight");
    const schema = toolSchema(AIRLINE_TOOLS.find((t) => t.name === "book_reservation")!);
    expect(schema.function.parameters.required).toHaveLength(11);
    expect(schema.function.parameters.properties.total_baggages.type).toBe("integer");
  });
});

describe("tool calls reproduce tau-bench (fixture recorded from the Python tools)", () => {
  const cases = fixture("tool-cases.json") as ToolCase[];

  test.each(cases.map((c, i) => [i, `${c.name} ${c.kwargs.slice(0, 70)}`, c] as const))("#%i %s", async (_i, _label, c) => {
    const { outputs } = await run(c.domain, [...c.setup, [c.name, c.kwargs]]);
    const out = outputs[outputs.length - 1];
    if (c.outputSha256) {
      expect(out?.slice(0, 80)).toBe(c.outputHead);
      expect(sha16(out ?? "")).toBe(c.outputSha256);
    } else expect(out).toBe(c.output);
  });

  test("the database comparison agrees with tau-bench's data hash on every pair of outcomes", async () => {
    const states = await Promise.all(cases.map((c) => run(c.domain, [...c.setup, [c.name, c.kwargs]])));
    let equalPairs = 0;
    for (let i = 0; i < cases.length; i++) {
      for (let j = i + 1; j < cases.length; j++) {
        if (cases[i].domain !== cases[j].domain) continue;
        const python = cases[i].stateHash === cases[j].stateHash;
        if (python) equalPairs++;
        expect([i, j, sameData(states[i].state, states[j].state)]).toEqual([i, j, python]);
      }
    }
    expect(equalPairs).toBeGreaterThan(100); // many calls leave the database as it was
  });

  test("int and float amounts differ, as in the Python hash (send_certificate 150 vs 150.0)", async () => {
    const a = await run("airline", [["send_certificate", '{"user_id": "mia_li_3668", "amount": 150}']]);
    const b = await run("airline", [["send_certificate", '{"user_id": "mia_li_3668", "amount": 150.0}']]);
    expect(a.outputs[0]).toBe("Certificate certificate_3221322 added to user mia_li_3668 with amount 150.");
    expect(b.outputs[0]).toBe("Certificate certificate_3221322 added to user mia_li_3668 with amount 150.0.");
    expect(sameData(a.state, b.state)).toBe(false);
  });

  test("every ground-truth action of all 665 tasks gives tau-bench's output", async () => {
    const expected = fixture("gt-outputs.json") as Record<string, string>;
    const tasks = await tauGym.tasks(data);
    const mismatches: string[] = [];
    for (const t of tasks) {
      const { outputs } = await run(
        t.payload.domain,
        t.payload.actions.map((a) => [a.name, JSON.stringify(a.kwargs)]),
      );
      if (sha16(outputs.map((o) => (o === null ? "<None>" : o)).join("\n\x00")) !== expected[t.id]) mismatches.push(t.id);
    }
    expect(mismatches).toEqual([]);
  });
});

describe("calculate", () => {
  const vectors = fixture("calculate.json") as [string, string][];
  test.each(vectors)("%j → %s", (expr, want) => {
    const ok = [...expr].every((ch) => "0123456789+-*/(). ".includes(ch));
    let got: string;
    try {
      got = ok ? calculate(expr) : "Error: invalid characters in expression";
    } catch (err) {
      got = `Error: ${(err as PyError).message}`;
    }
    expect(got).toBe(want);
  });

  test("CPython's nesting limits: 200 brackets, expressions 2,990 deep, `**` chains of 2,987", () => {
    const err = (f: () => string) => {
      try {
        return f();
      } catch (e) {
        return `Error: ${(e as PyError).message}`;
      }
    };
    expect(err(() => calculate(`${"1+".repeat(2990)}1`))).toBe("2991.0");
    expect(err(() => calculate(`${"1+".repeat(2991)}1`))).toBe("Error: maximum recursion depth exceeded during compilation");
    expect(err(() => calculate(`${"-".repeat(2990)}1`))).toBe("1.0");
    expect(err(() => calculate(`${"-".repeat(2991)}1`))).toBe("Error: maximum recursion depth exceeded during compilation");
    expect(err(() => calculate(`${"1**".repeat(2987)}1`))).toBe("1.0");
    expect(err(() => calculate(`${"1**".repeat(2988)}1`))).toBe("Error: ");
    expect(err(() => calculate(`${"(".repeat(200)}1${")".repeat(200)}`))).toBe("1.0");
    expect(err(() => calculate(`${"(".repeat(201)}1${")".repeat(201)}`))).toBe("Error: too many nested parentheses (<string>, line 1)");
    expect(err(() => calculate(`${"1+".repeat(200_000)}1`))).toBe("Error: maximum recursion depth exceeded during compilation");
  });

  test("huge powers are refused quickly instead of hanging", () => {
    const t0 = performance.now();
    expect(() => calculate("10**10**10")).toThrow(PyError);
    expect(performance.now() - t0).toBeLessThan(500);
  });
});

describe("Python values", () => {
  test("json.loads keeps 1.0 a float, integer-like keys in order, and Python's NaN/Infinity", () => {
    const v = pyJsonLoads('{"a": 1.0, "b": 2, "c": 1e2, "n": NaN, "i": -Infinity}') as Record<string, unknown>;
    expect(v.a).toBeInstanceOf(IntegralFloat);
    expect(v.b).toBe(2);
    expect(pyJsonDumps(v)).toBe('{"a": 1.0, "b": 2, "c": 100.0, "n": NaN, "i": -Infinity}');
    const m = pyJsonLoads('{"9": 1, "1": 2}');
    expect(m).toBeInstanceOf(Map);
    expect(pyJsonDumps(m)).toBe('{"9": 1, "1": 2}');
    expect(pyRepr(m)).toBe("{'9': 1, '1': 2}");
    for (const bad of ["{", '{"a" 1}', "[1,]", "{'a': 1}", '"\\x"', "01", "[1] x", "[".repeat(10_000)]) {
      expect(() => pyJsonLoads(bad)).toThrow(PyError);
    }
    const evil = pyJsonLoads('{"__proto__": {"polluted": true}}') as Map<string, unknown>;
    expect(evil).toBeInstanceOf(Map);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  test("the hash comparison tells ints from floats and bools, and strings from numbers", () => {
    expect(sameHashable(1, new IntegralFloat(1))).toBe(false);
    expect(sameHashable(new IntegralFloat(1), new IntegralFloat(1))).toBe(true);
    expect(sameHashable(true, 1)).toBe(false);
    expect(sameHashable("1", 1)).toBe(false);
    expect(sameHashable({ b: 1, a: [1, 2.5] }, { a: [1, 2.5], b: 1 })).toBe(true);
    // Python's hashable form turns a dict into its sorted (key, value) pairs, so these print the same.
    expect(sameHashable({ a: 1 }, [["a", 1]])).toBe(true);
    expect(sameHashable({}, [])).toBe(true);
  });

  test("membership and sorting fail like Python", () => {
    expect(() => contains(new Map(), ["x"])).toThrow("unhashable type: 'list'");
    expect(() => contains("abc", 5)).toThrow("'in <string>' requires string as left operand, not int");
    expect(sorted("cab")).toEqual(["a", "b", "c"]);
    expect(() => sorted([1, "a"])).toThrow(/not supported between instances of/);
  });
});

describe("copy-on-write database", () => {
  test("writes never reach the pristine tables, and snapshots never change afterwards", async () => {
    const d = await domainData(data, "retail");
    const before = pyJsonDumps(d.pristine.orders.get("#W6779827"));
    const db = new TauDb(d.pristine);
    const s0 = db.snapshot();
    callTool("retail", d.toolsByName.get("cancel_pending_order")!, db, { order_id: "#W6779827", reason: "no longer needed" });
    const s1 = db.snapshot();
    callTool("retail", d.toolsByName.get("modify_user_address")!, db, {
      user_id: "ethan_lopez_6291", address1: "1 A St", address2: "", city: "X", state: "CA", country: "USA", zip: "12345",
    });
    const s2 = db.snapshot();
    expect(pyJsonDumps(d.pristine.orders.get("#W6779827"))).toBe(before);
    expect(sameData(s0, { pristine: d.pristine, changes: {} })).toBe(true);
    expect(sameData(s0, s1)).toBe(false);
    expect(sameData(s1, s2)).toBe(false);
    expect(sameData(s1, db.snapshot())).toBe(false);
    expect((s1.changes.users.get("ethan_lopez_6291") as { address: { city: string } }).address.city).not.toBe("X");
    expect(() => (d.pristine.orders.get("#W6779827") as Record<string, unknown>).status = "x").toThrow(TypeError);
  });
});
