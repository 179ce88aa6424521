/**
 * `userrl eval … --personas <list|all>`: one evaluation per persona, each an ordinary run in `<out>/<persona>/`
 * (resumable, with its own report.html), then the gym × persona table in the terminal, `--json`,
 * `<out>/robustness.json` and `<out>/robustness.html`.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { evaluateRun, type EvaluatedRun } from "../eval/load.js";
import { robustnessHtml, robustnessTable, robustnessText, sliceDir } from "../personas/robustness.js";
import { parsePersona, personaId, personaList } from "../personas/spec.js";
import { evalJson, writeReports } from "../eval/reports.js";
import { executeRun, failureLines, runExitCode, type RunOptions } from "./run-common.js";
import { CliError, printJson } from "./util.js";

export async function evalPersonas(gyms: string[], opts: RunOptions & { personas: string[] }): Promise<void> {
  if (opts.persona) throw new CliError("--persona and --personas exclude each other: --personas already runs each persona as its own slice");
  let specs: string[];
  try {
    specs = personaList(opts.personas);
  } catch (err) {
    throw new CliError((err as Error).message);
  }
  const out = resolve(opts.out);
  mkdirSync(out, { recursive: true });
  const slices: { persona: string; run: EvaluatedRun }[] = [];
  let aborted = false;
  let errors = 0;
  for (const spec of specs) {
    const id = personaId(parsePersona(spec));
    if (!opts.json) process.stderr.write(`persona ${id}:\n`);
    const run = await executeRun(gyms, { ...opts, mode: "eval", persona: spec, out: join(out, sliceDir(id)) });
    for (const line of failureLines(run)) console.error(line);
    errors += run.errors;
    const evaluated = evaluateRun(run.runDir);
    writeReports(evaluated);
    slices.push({ persona: id, run: evaluated });
    if (run.aborted) {
      aborted = true;
      break;
    }
  }
  const table = robustnessTable(slices);
  const first = slices[0]?.run;
  writeFileSync(join(out, "robustness.json"), `${JSON.stringify(table, null, 2)}\n`);
  const html = join(out, "robustness.html");
  writeFileSync(html, robustnessHtml(table, { agent: first?.agent ?? opts.agent, user: first?.user ?? opts.user ?? "?" }));
  process.exitCode = runExitCode({ aborted, errors });
  if (opts.json) return printJson({ robustness: table, slices: Object.fromEntries(slices.map((s) => [s.persona, evalJson(s.run)])), report: html, aborted });
  console.log(robustnessText(table));
  console.log(`\nreport: ${html} (one run per persona under ${out})`);
}
