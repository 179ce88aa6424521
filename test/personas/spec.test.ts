import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { parsePersona, personaList } from "../../src/personas/spec.js";
import { TRAIT_NAMES } from "../../src/personas/traits.js";

const tmp = () => mkdtempSync(join(tmpdir(), "userrl-persona-"));

describe("persona specs", () => {
  test("no persona and cooperative are the default: nothing changes", () => {
    expect(parsePersona(undefined)).toBeUndefined();
    expect(parsePersona("cooperative")).toBeUndefined();
    expect(parsePersona(" ")).toBeUndefined();
  });

  test("traits compose with +, take parameters, and get a canonical id", () => {
    const p = parsePersona("terse+impatient:turns=2")!;
    expect(p.id).toBe("terse+impatient:turns=2");
    expect(p.traits).toEqual({ terse: { words: 8 }, impatient: { turns: 2 } });
    expect(p.instructions).toContain("very short");
    expect(p.instructions).toContain("2 turns in a row");
    // A parameter at its default is left out of the id; cooperative is dropped from a composition.
    expect(parsePersona("cooperative+impatient:turns=3")!.id).toBe("impatient");
  });

  test("bad specs are refused with one clear line", () => {
    expect(() => parsePersona("grumpy")).toThrow(/unknown persona "grumpy"; built-in: cooperative, terse/);
    expect(() => parsePersona("impatient:turns=0")).toThrow(/turns/);
    expect(() => parsePersona("impatient:turns=abc")).toThrow(/turns/);
    expect(() => parsePersona("impatient:speed=2")).toThrow(/speed|Unrecognized/);
    expect(() => parsePersona("terse+terse")).toThrow(/appears twice/);
    expect(() => parsePersona("terse++vague")).toThrow(/empty part/);
    expect(() => parsePersona("vague:turns")).toThrow(/key=value/);
  });

  test("a YAML or JSON file defines a persona of its own, on top of built-in traits", () => {
    const dir = tmp();
    const yaml = join(dir, "rushed.yaml");
    writeFileSync(yaml, "name: rushed-expert\ninstructions: You know the domain well and use its jargon.\ntraits:\n  terse:\n  impatient: { turns: 2 }\n");
    const p = parsePersona(yaml)!;
    expect(p.id).toBe("rushed-expert");
    expect(p.traits).toEqual({ "rushed-expert": {}, terse: { words: 8 }, impatient: { turns: 2 } });
    expect(p.instructions).toMatch(/jargon[\s\S]*very short[\s\S]*2 turns/);
    const json = join(dir, "calm.json");
    writeFileSync(json, JSON.stringify({ name: "calm", instructions: "Stay calm." }));
    expect(parsePersona(`${json}+vague`)!.id).toBe("calm+vague");
  });

  test("bad persona files are refused, never crash", () => {
    const dir = tmp();
    const write = (name: string, text: string) => (writeFileSync(join(dir, name), text), join(dir, name));
    expect(() => parsePersona(join(dir, "missing.yaml"))).toThrow(/cannot read it \(ENOENT\)/);
    expect(() => parsePersona(write("a.json", "{oops"))).toThrow(/not valid json/);
    expect(() => parsePersona(write("b.yaml", "name: Bad Name\n"))).toThrow(/name: name must be lowercase/);
    expect(() => parsePersona(write("c.yaml", "name: ok\ntraits: { grumpy: {} }\n"))).toThrow(/unknown trait "grumpy"/);
    expect(() => parsePersona(write("d.yaml", "name: terse\n"))).toThrow(/is a built-in persona/);
    expect(() => parsePersona(write("e.yaml", "name: ok\nextra: 1\n"))).toThrow(/Unrecognized key/);
    expect(() => parsePersona(write("f.yaml", "- a\n- b\n"))).toThrow(/persona file/);
  });

  test("--personas all is every built-in persona, cooperative first, each once", () => {
    expect(personaList(["all"])).toEqual([...TRAIT_NAMES]);
    expect(personaList(["terse,impatient:turns=3", "vague"])).toEqual(["cooperative", "terse", "impatient:turns=3", "vague"]);
  });
});
