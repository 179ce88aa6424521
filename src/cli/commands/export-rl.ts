import type { Command } from "commander";
import { formatFromPath, loadChatTokenizer, resolveCreditOptions, RL_FORMATS, rlRows, writeRlBatch, type RlFormat } from "../../credit/index.js";
import { describeSignal, trajectorySignal } from "../../credit/signal.js";
import { RunStore } from "../../rollout/store.js";
import { addCreditOptions, creditOptionsFrom, describeCredit, type CreditCliOptions } from "../credit-options.js";
import { choiceOption, CliError, intOption } from "../util.js";

interface Options extends CreditCliOptions {
  tokenizer: string;
  chatTemplate?: string;
  format?: RlFormat;
  output: string;
  gym?: string;
  maxResponseTokens?: number;
}

export function register(program: Command): void {
  addCreditOptions(
    program
      .command("export-rl")
      .description("export a run as an RL batch: token ids, loss mask, per-token advantages, turn spans, group ids, turn rewards")
      .argument("<runDir>", "a run directory (made by `userrl run`)")
      .requiredOption("--tokenizer <dir>", "the policy model's tokenizer folder (tokenizer.json + tokenizer_config.json)")
      .option("--chat-template <file>", "a Jinja chat template to use instead of the folder's")
      .requiredOption("-o, --output <file>", "the file to write")
      .option("--format <format>", "jsonl | parquet (default: from the file extension)", choiceOption("--format", RL_FORMATS))
      .option("--gym <name>", "only this gym")
      .option("--max-response-tokens <n>", "keep at most n tokens after the prompt (the reference keeps 8192)", intOption("--max-response-tokens", 1)),
  ).action(async (runDir: string, opts: Options) => {
    const credit = resolveCreditOptions(creditOptionsFrom(opts));
    if (credit.turnLevel === "LookAhead") {
      throw new CliError("export-rl does not sample futures: use `userrl credit <runDir> --turn-level LookAhead --json` for look-ahead credits, or the credit service in training");
    }
    const tok = loadChatTokenizer(opts.tokenizer, { chatTemplateFile: opts.chatTemplate });
    const store = RunStore.open(runDir);
    let written: number;
    try {
      const trajectories = [...store.trajectories({ gym: opts.gym })];
      if (trajectories.length === 0) throw new CliError(`${runDir} has no finished trajectories${opts.gym ? ` of gym "${opts.gym}"` : ""}`);
      const format = opts.format ?? formatFromPath(opts.output);
      const rows = rlRows(trajectories, tok, { ...credit, maxResponseTokens: opts.maxResponseTokens });
      const signal = trajectorySignal(trajectories, credit);
      const metadata = {
        "userrl.signal": JSON.stringify(signal),
        "userrl.credit": JSON.stringify(credit),
        "userrl.tokenizer": tok.source,
        "userrl.run": store.run()?.id ?? "",
        ...(opts.maxResponseTokens ? { "userrl.max_response_tokens": String(opts.maxResponseTokens) } : {}),
      };
      try {
        written = await writeRlBatch(rows, opts.output, format, { metadata });
      } catch (err) {
        const e = err as NodeJS.ErrnoException;
        throw new CliError(e.code && e.path ? `cannot write ${e.path}: ${e.code}` : e.message);
      }
      console.error(`${written} trajectories written to ${opts.output} (${format}; ${describeCredit(credit)})`);
      console.error(describeSignal(signal));
    } finally {
      store.close();
    }
  });
}
