/**
 * Study mode: a fixed list of tasks handed to each participant through one link. A study is a small JSON
 * file under `<root>/studies/`; each participant's episodes go to their own run directory beside it
 * (`<root>/studies/<study>/<participant>/`, user `human:<participant>`), so several people can take part at
 * once without sharing a writer, and coming back to the link resumes at the first task not yet played.
 */
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import { episodeKey, RUN_DB, RunStore } from "../rollout/store.js";

export const studyItemSchema = z.object({ gym: z.string().min(1).max(40), taskId: z.string().min(1).max(500) });

export const newStudySchema = z.object({
  title: z.string().trim().min(1).max(200),
  agent: z.string().trim().min(1).max(500),
  items: z.array(studyItemSchema).min(1).max(1000),
  maxTurns: z.number().int().min(1).max(64).default(16),
});

export type Study = z.infer<typeof newStudySchema> & { id: string; createdAt: string };

const ID_PATTERN = /^[a-z0-9]{10}$/;

export interface ParticipantProgress {
  study: Study;
  participant: string;
  items: (z.infer<typeof studyItemSchema> & { done: boolean })[];
  /** Index of the first task not yet played; -1 when all are done. */
  next: number;
  runDir: string;
}

export class StudyStore {
  private readonly dir: string;

  constructor(root: string) {
    this.dir = join(root, "studies");
  }

  create(input: z.infer<typeof newStudySchema>): Study {
    mkdirSync(this.dir, { recursive: true });
    const study: Study = { ...input, id: randomBytes(8).toString("base64url").toLowerCase().replace(/[^a-z0-9]/g, "0").slice(0, 10), createdAt: new Date().toISOString() };
    writeFileSync(join(this.dir, `${study.id}.json`), `${JSON.stringify(study, null, 2)}\n`, { flag: "wx" });
    return study;
  }

  get(id: string): Study | undefined {
    if (!ID_PATTERN.test(id)) return undefined;
    const file = join(this.dir, `${id}.json`);
    if (!existsSync(file)) return undefined;
    return JSON.parse(readFileSync(file, "utf8")) as Study;
  }

  list(): Study[] {
    if (!existsSync(this.dir)) return [];
    return readdirSync(this.dir)
      .filter((f) => f.endsWith(".json"))
      .map((f) => this.get(f.slice(0, -5)))
      .filter((s): s is Study => s !== undefined)
      .sort((a, b) => (a.createdAt < b.createdAt ? 1 : -1));
  }

  runDir(study: Study, participant: string): string {
    return join(this.dir, study.id, participant);
  }

  progress(study: Study, participant: string): ParticipantProgress {
    const runDir = this.runDir(study, participant);
    let done = new Set<string>();
    if (existsSync(join(runDir, RUN_DB))) {
      const store = RunStore.open(runDir);
      try {
        done = store.doneKeys();
      } finally {
        store.close();
      }
    }
    const items = study.items.map((it) => ({ ...it, done: done.has(episodeKey(it.gym, it.taskId, 0)) }));
    return { study, participant, items, next: items.findIndex((i) => !i.done), runDir };
  }
}
