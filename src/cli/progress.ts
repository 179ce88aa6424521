/** A one-line progress bar with ETA on stderr (only when stderr is a terminal). */
import type { Progress } from "../rollout/runner.js";

export function progressPrinter(label: string, stream: NodeJS.WriteStream = process.stderr): { update(p: Progress): void; done(): void } {
  const started = Date.now();
  let lastDraw = 0;
  let firstFinished: number | undefined;
  const tty = stream.isTTY === true;
  let lastLine = "";
  return {
    update(p) {
      const completed = p.finished + p.errors;
      if (completed > 0 && firstFinished === undefined) firstFinished = Date.now();
      const now = Date.now();
      if (now - lastDraw < 100 && completed + p.skipped < p.total) return;
      lastDraw = now;
      const doneCount = completed + p.skipped;
      const frac = p.total ? doneCount / p.total : 1;
      const width = 24;
      const bar = "#".repeat(Math.round(frac * width)).padEnd(width, "-");
      const elapsed = (now - started) / 1000;
      const rate = completed > 0 ? completed / elapsed : 0;
      const eta = rate > 0 ? (p.total - doneCount) / rate : NaN;
      const line =
        `${label} [${bar}] ${doneCount}/${p.total}` +
        (p.skipped ? ` (${p.skipped} resumed)` : "") +
        (p.errors ? ` ${p.errors} failed` : "") +
        ` mean reward ${p.meanReward.toFixed(3)}` +
        ` ${formatSeconds(elapsed)} elapsed` +
        (Number.isFinite(eta) ? `, ETA ${formatSeconds(eta)}` : "");
      if (tty) stream.write(`\r${line.padEnd(lastLine.length)}`);
      lastLine = line;
    },
    done() {
      if (tty && lastLine) stream.write("\n");
    },
  };
}

function formatSeconds(s: number): string {
  const m = Math.floor(s / 60);
  const sec = Math.floor(s % 60);
  return `${m}:${sec.toString().padStart(2, "0")}`;
}
