/**
 * A ChatModel running a GGUF model in-process with node-llama-cpp.
 *
 * - The file is checked first (`checkGguf`), so a broken file is an error, not a killed process.
 * - The prompt is the model's own chat template (from the GGUF) over the messages and tools; replies are
 *   parsed the same way as an OpenAI-compatible server's raw text: `<think>` apart, Hermes/Qwen
 *   `<tool_call>{json}</tool_call>` blocks into tool calls.
 * - Sampling is temperature + top-p only (top-k and min-p off), so the reported logprob of each sampled
 *   token is exactly log softmax(logits / T) over the whole vocabulary (T = 1 when greedy, T = 0).
 * - A conversation that fills the context ends the turn with finish reason "length", as the reference's
 *   rollout does, rather than failing the episode.
 * - One context holds `parallel` sequences; concurrent calls each take a sequence and llama.cpp decodes
 *   them in shared batches. A sequence keeps its tokens, so the next turn of the same conversation only
 *   evaluates what is new (the free sequence with the longest common prefix is chosen).
 * - Models are shared: every spec naming the same file and engine settings uses one loaded model.
 */
import { randomInt } from "node:crypto";
import { freemem, totalmem } from "node:os";
import { basename } from "node:path";
import { LlamaGrammarEvaluationState, type Llama, type LlamaContext, type LlamaContextSequence, type LlamaModel, type Token } from "node-llama-cpp";
import { parseTextToolCalls, splitThinking } from "../reply-text.js";
import type { ChatMessage, ChatModel, ChatOptions, ChatResult, FinishReason, TokenLogprob, ToolCall } from "../types.js";
import { ModelError } from "../types.js";
import { ChatRenderer } from "./chat-template.js";
import { checkGguf, type GgufSummary } from "./gguf-check.js";
import { defaultThreads, failureReason, llamaRuntime, logMark, logsSince, type GpuSetting } from "./llama-runtime.js";

export interface LocalEngineSettings {
  /** Path of the GGUF file. */
  file: string;
  /** CPU threads (default: 1 for tiny models, else all cores but one). */
  threads?: number;
  /** Tokens of context per sequence (default: the trained context, at most 10,240 and what memory allows). */
  contextSize?: number;
  /** Sequences decoded together (default: as many as the cache budget holds, 1–4). */
  parallel?: number;
  gpu?: GpuSetting;
}

export interface LocalModelOptions extends LocalEngineSettings {
  spec?: string;
  /** Qwen3's `enable_thinking` (default: the template's own default). JSON calls always turn it off. */
  thinking?: boolean;
}

/** The reference's rollouts cap a whole episode at 9,344 tokens (prompt 1,152 + response 8,192). */
const MAX_DEFAULT_CONTEXT = 10_240;
/**
 * Sequences beyond a few add little on a CPU, and llama.cpp allocates and clears every sequence's cache up
 * front (measured here: 6 s per 10,240-token sequence of a Qwen3-0.6B-shaped model).
 */
const MAX_DEFAULT_PARALLEL = 4;

/** Memory for K/V caches: an eighth of the machine, or a quarter of what is free if that is less. */
function cacheBudget(): number {
  return Math.min(totalmem() / 8, freemem() / 4);
}

/** The trained context, at most MAX_DEFAULT_CONTEXT, and on small machines what one sequence's cache budget allows (≥ 2,048). */
function defaultContext(summary: GgufSummary): number {
  const trained = summary.contextLength > 0 ? summary.contextLength : MAX_DEFAULT_CONTEXT;
  const affordable = Math.max(2048, Math.floor(cacheBudget() / Math.max(1, summary.kvBytesPerToken)));
  return Math.min(trained, MAX_DEFAULT_CONTEXT, affordable);
}

/** How many sequences of `contextSize` tokens fit the cache budget (1 to MAX_DEFAULT_PARALLEL). */
function defaultParallel(summary: GgufSummary, contextSize: number): number {
  const perSequence = Math.max(1, summary.kvBytesPerToken * contextSize);
  return Math.max(1, Math.min(MAX_DEFAULT_PARALLEL, Math.floor(cacheBudget() / perSequence)));
}

/** The free sequences of a context, handed out longest-shared-prefix first. */
class SequencePool {
  private readonly free: LlamaContextSequence[];
  private readonly waiting: { tokens: Token[]; grant: (s: LlamaContextSequence) => void }[] = [];

  constructor(context: LlamaContext) {
    this.free = Array.from({ length: context.totalSequences }, () => context.getSequence());
  }

  acquire(tokens: Token[], signal?: AbortSignal): Promise<LlamaContextSequence> {
    if (signal?.aborted) return Promise.reject(new ModelError("the call was cancelled", "aborted"));
    if (this.free.length) return Promise.resolve(this.take(tokens));
    return new Promise((resolve, reject) => {
      const entry = {
        tokens,
        grant: (s: LlamaContextSequence) => {
          signal?.removeEventListener("abort", onAbort);
          resolve(s);
        },
      };
      const onAbort = () => {
        const i = this.waiting.indexOf(entry);
        if (i >= 0) this.waiting.splice(i, 1);
        reject(new ModelError("the call was cancelled", "aborted"));
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      this.waiting.push(entry);
    });
  }

  release(seq: LlamaContextSequence): void {
    this.free.push(seq);
    const next = this.waiting.shift();
    if (next) next.grant(this.take(next.tokens));
  }

  private take(tokens: Token[]): LlamaContextSequence {
    let best = 0;
    let bestShared = -1;
    this.free.forEach((s, i) => {
      const shared = s.compareContextTokens(tokens).firstDifferentIndex;
      if (shared > bestShared) [best, bestShared] = [i, shared];
    });
    return this.free.splice(best, 1)[0];
  }
}

/** One loaded model with its context and sequences, shared by every LocalChatModel on the same settings. */
export class LocalEngine {
  private refs = 0;
  readonly pool: SequencePool;

  private constructor(
    readonly key: string,
    readonly llama: Llama,
    readonly model: LlamaModel,
    readonly context: LlamaContext,
    readonly summary: GgufSummary,
    readonly renderer: ChatRenderer,
    readonly threads: number,
  ) {
    this.pool = new SequencePool(context);
  }

  private static readonly open = new Map<string, Promise<LocalEngine>>();

  /** The shared engine for these settings, loading the model on first use. */
  static async acquire(settings: LocalEngineSettings): Promise<LocalEngine> {
    const key = JSON.stringify([settings.file, settings.gpu ?? "off", settings.threads, settings.contextSize, settings.parallel]);
    let p = LocalEngine.open.get(key);
    if (!p) {
      p = LocalEngine.load(key, settings);
      LocalEngine.open.set(key, p);
      p.catch(() => LocalEngine.open.delete(key));
    }
    const engine = await p;
    engine.refs++;
    return engine;
  }

  private static async load(key: string, settings: LocalEngineSettings): Promise<LocalEngine> {
    const summary = await checkGguf(settings.file);
    const llama = await llamaRuntime(settings.gpu ?? "off");
    const mark = logMark();
    const fail = async (what: string, err: unknown) => {
      await new Promise((r) => setTimeout(r, 50)); // llama.cpp's log lines reach JS after the rejection
      return new ModelError(`${what} ${settings.file}: ${failureReason(logsSince(mark)) ?? (err as Error).message}`, "other");
    };
    let model: LlamaModel;
    try {
      model = await llama.loadModel({ modelPath: settings.file, gpuLayers: settings.gpu && settings.gpu !== "off" ? "auto" : 0 });
    } catch (err) {
      throw await fail("cannot load the model", err);
    }
    const contextSize = settings.contextSize ?? defaultContext(summary);
    const threads = settings.threads ?? defaultThreads(summary.parameters);
    let context: LlamaContext;
    try {
      context = await model.createContext({
        contextSize,
        sequences: settings.parallel ?? defaultParallel(summary, contextSize),
        threads,
      });
    } catch (err) {
      await model.dispose();
      throw await fail("cannot create a context for", err);
    }
    const renderer = new ChatRenderer(summary.chatTemplate, { bos_token: summary.bosToken, eos_token: summary.eosToken });
    if (renderer.warning) process.stderr.write(`userrl: ${basename(settings.file)}: ${renderer.warning}\n`);
    return new LocalEngine(key, llama, model, context, summary, renderer, threads);
  }

  /** Drop one reference; the last one frees the model. */
  async release(): Promise<void> {
    if (--this.refs > 0) return;
    LocalEngine.open.delete(this.key);
    await this.context.dispose();
    await this.model.dispose();
  }
}

interface Generation {
  ids: Token[];
  probs: number[];
  finish: FinishReason;
  /** Prompt tokens reused from the sequence's cache. */
  reused: number;
  /** Where a stop string cut the text, if one did. */
  stopAt?: number;
}

export class LocalChatModel implements ChatModel {
  readonly spec: string;
  private closed = false;

  private constructor(
    readonly engine: LocalEngine,
    private readonly opts: LocalModelOptions,
  ) {
    this.spec = opts.spec ?? `local:${opts.file}`;
  }

  /** Check and load (or share) the model. */
  static async create(opts: LocalModelOptions): Promise<LocalChatModel> {
    return new LocalChatModel(await LocalEngine.acquire(opts), opts);
  }

  /** The prompt tokens a conversation renders to (what `chat` would evaluate). */
  promptTokens(messages: readonly ChatMessage[], options: ChatOptions = {}): Token[] {
    const { model, renderer, summary } = this.engine;
    const prompt = renderer.render(messages, {
      tools: options.toolChoice === "none" ? undefined : options.tools,
      enableThinking: options.json ? false : this.opts.thinking,
    });
    const tokens = model.tokenize(prompt, true);
    const bos = model.tokens.bos;
    return summary.addBos && bos !== null && tokens[0] !== bos ? [bos, ...tokens] : tokens;
  }

  async chat(messages: readonly ChatMessage[], options: ChatOptions = {}): Promise<ChatResult> {
    if (this.closed) throw new ModelError("the local model is closed", "other");
    const started = performance.now();
    const { model, context, pool, summary } = this.engine;
    let tokens: Token[];
    try {
      tokens = this.promptTokens(messages, options);
    } catch (err) {
      throw new ModelError(`cannot build the local model's prompt: ${(err as Error)?.message ?? String(err)}`, "other");
    }
    const room = context.contextSize - tokens.length;
    if (room < 1) {
      // A full context ends the turn as the reference's rollout does (finish reason "length"), not the run.
      return {
        text: "",
        toolCalls: [],
        finishReason: "length",
        usage: { promptTokens: tokens.length, completionTokens: 0 },
        latencyMs: performance.now() - started,
        tokenIds: [],
        logprobs: options.logprobs ? [] : undefined,
        model: summary.name ?? basename(summary.path),
      };
    }
    const budget = Math.min(options.maxTokens ?? room, room);
    const seq = await pool.acquire(tokens, options.signal);
    let gen: Generation;
    try {
      gen = await this.generate(seq, tokens, budget, options);
    } catch (err) {
      if (err instanceof ModelError) throw err;
      throw new ModelError(`local generation failed: ${(err as Error)?.message ?? String(err)}`, "other");
    } finally {
      pool.release(seq);
    }
    const visible = gen.ids.length && model.isEogToken(gen.ids[gen.ids.length - 1]) ? gen.ids.slice(0, -1) : gen.ids;
    let raw = model.detokenize(visible, true);
    if (gen.stopAt !== undefined) raw = raw.slice(0, gen.stopAt);
    const split = splitThinking(raw);
    let text = split.text;
    let toolCalls: ToolCall[] = [];
    if (text.includes("<tool_call>")) {
      const parsed = parseTextToolCalls(text);
      if (parsed.toolCalls.length) [toolCalls, text] = [parsed.toolCalls, parsed.text];
    }
    const logprobs: TokenLogprob[] | undefined = options.logprobs
      ? gen.ids.map((id, i) => ({ token: model.detokenize([id], true), tokenId: id, logprob: Math.log(Math.max(gen.probs[i], Number.MIN_VALUE)) }))
      : undefined;
    return {
      text,
      reasoning: split.reasoning || undefined,
      toolCalls,
      finishReason: toolCalls.length ? "tool_calls" : gen.finish,
      usage: { promptTokens: tokens.length, completionTokens: gen.ids.length, cachedPromptTokens: gen.reused },
      latencyMs: performance.now() - started,
      tokenIds: gen.ids,
      logprobs,
      model: summary.name ?? basename(summary.path),
    };
  }

  private async generate(seq: LlamaContextSequence, tokens: Token[], budget: number, options: ChatOptions): Promise<Generation> {
    const { model, llama } = this.engine;
    // Keep the cached prefix; at least the last prompt token is evaluated again, for its logits.
    const reused = Math.min(seq.compareContextTokens(tokens).firstDifferentIndex, tokens.length - 1);
    if (seq.nextTokenIndex > reused) await seq.eraseContextTokenRanges([{ start: reused, end: seq.nextTokenIndex }]);
    const gen: Generation = { ids: [], probs: [], finish: "length", reused };
    if (budget <= 0) return gen;
    const grammarEvaluationState = options.json
      ? new LlamaGrammarEvaluationState({ model, grammar: await llama.getGrammarFor("json") })
      : undefined;
    const stops = options.stop?.filter((s) => s.length > 0) ?? [];
    const outputs = seq.evaluateWithMetadata(
      tokens.slice(reused),
      { confidence: options.logprobs === true },
      {
        temperature: Math.max(0, options.temperature ?? 1),
        topK: 0,
        topP: options.topP ?? 1,
        minP: 0,
        seed: options.seed ?? randomInt(2 ** 32),
        yieldEogToken: true,
        grammarEvaluationState,
      },
    );
    for await (const out of outputs) {
      gen.ids.push(out.token);
      gen.probs.push((out as { confidence?: number }).confidence ?? NaN);
      if (model.isEogToken(out.token)) {
        gen.finish = "stop";
        break;
      }
      if (stops.length) {
        const text = model.detokenize(gen.ids, true);
        const hits = stops.map((s) => text.indexOf(s)).filter((i) => i >= 0);
        if (hits.length) {
          gen.stopAt = Math.min(...hits);
          gen.finish = "stop";
          break;
        }
      }
      if (gen.ids.length >= budget) break;
      if (options.signal?.aborted) throw new ModelError("the call was cancelled", "aborted");
    }
    return gen;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.engine.release();
  }
}
