/**
 * A model's chat template and tokenizer, loaded from a Hugging Face tokenizer folder
 * (`tokenizer.json` + `tokenizer_config.json`, the template from the config's `chat_template` or a
 * `chat_template.jinja` beside it), for turning stored conversations into training tokens.
 */
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { Template } from "@huggingface/jinja";
import { Tokenizer } from "@huggingface/tokenizers";
import { z } from "zod";
import { formatIssues } from "./schema.js";

const specialToken = z.union([z.string(), z.object({ content: z.string() }).passthrough(), z.null()]).optional();

const tokenizerConfigSchema = z
  .object({
    chat_template: z
      .union([z.string(), z.array(z.object({ name: z.string(), template: z.string() }))])
      .optional(),
    bos_token: specialToken,
    eos_token: specialToken,
    pad_token: specialToken,
    unk_token: specialToken,
  })
  .passthrough();

const tokenizerJsonSchema = z
  .object({
    model: z.object({ type: z.string() }).passthrough(),
    added_tokens: z.array(z.object({ id: z.number().int(), content: z.string(), special: z.boolean().optional() }).passthrough()).optional(),
  })
  .passthrough();

/** Known chat formats: the token every message starts with. */
const TURN_START_TOKENS = ["<|im_start|>", "<|start_header_id|>"];

export interface ChatTokenizer {
  /** Where it was loaded from. */
  source: string;
  tokenizer: Tokenizer;
  template: Template;
  /** The special-token text that opens every message (`<|im_start|>` for ChatML/Qwen). */
  turnStart: string;
  /** bos/eos/pad/unk token texts, passed to the template. */
  specialTokens: Record<string, string>;
  /** Token ids of `text` (no special tokens added). */
  encode(text: string): number[];
}

export interface LoadChatTokenizerOptions {
  /** A Jinja file that replaces the folder's chat template. */
  chatTemplateFile?: string;
  /** Override the message-start token (detected from the vocabulary otherwise). */
  turnStart?: string;
}

/** Load a tokenizer folder; every problem is one clear error naming the file. */
export function loadChatTokenizer(dir: string, opts: LoadChatTokenizerOptions = {}): ChatTokenizer {
  const root = resolve(dir);
  const tokenizerJson = readJson(join(root, "tokenizer.json"), tokenizerJsonSchema, "a Hugging Face tokenizer.json");
  const configPath = join(root, "tokenizer_config.json");
  const config = readJson(configPath, tokenizerConfigSchema, "a tokenizer_config.json");
  const templateText = opts.chatTemplateFile ? readText(opts.chatTemplateFile, "the chat template") : folderTemplate(root, config);

  let tokenizer: Tokenizer;
  try {
    tokenizer = new Tokenizer(tokenizerJson, config);
  } catch (err) {
    throw new Error(`cannot build a tokenizer from ${join(root, "tokenizer.json")}: ${(err as Error).message}`);
  }
  let template: Template;
  try {
    template = new Template(templateText);
  } catch (err) {
    throw new Error(`cannot parse the chat template of ${root}: ${(err as Error).message}`);
  }

  const added = new Set((tokenizerJson.added_tokens ?? []).map((t) => t.content));
  const turnStart = opts.turnStart ?? TURN_START_TOKENS.find((t) => added.has(t));
  if (!turnStart) {
    throw new Error(`${root}: cannot tell where messages start (none of ${TURN_START_TOKENS.join(", ")} is an added token); pass the message-start token explicitly`);
  }
  if (!added.has(turnStart)) throw new Error(`${root}: "${turnStart}" is not an added token of this tokenizer`);

  const specialTokens: Record<string, string> = {};
  for (const key of ["bos_token", "eos_token", "pad_token", "unk_token"] as const) {
    const v = config[key];
    if (typeof v === "string") specialTokens[key] = v;
    else if (v && typeof v === "object") specialTokens[key] = v.content;
  }
  return {
    source: root,
    tokenizer,
    template,
    turnStart,
    specialTokens,
    encode: (text) => tokenizer.encode(text, { add_special_tokens: false }).ids,
  };
}

function folderTemplate(root: string, config: z.infer<typeof tokenizerConfigSchema>): string {
  const t = config.chat_template;
  if (typeof t === "string") return t;
  if (Array.isArray(t)) {
    const chosen = t.find((x) => x.name === "default") ?? t[0];
    if (chosen) return chosen.template;
  }
  const file = join(root, "chat_template.jinja");
  if (existsSync(file)) return readText(file, "the chat template");
  throw new Error(`${root} has no chat template (neither tokenizer_config.json's chat_template nor chat_template.jinja); pass one with --chat-template`);
}

function readText(path: string, what: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch (err) {
    throw new Error(`cannot read ${what} ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
}

function readJson<S extends z.ZodType>(path: string, schema: S, what: string): z.infer<S> {
  const text = readText(path, what);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new Error(`${path} is not valid JSON: ${(err as Error).message}`);
  }
  const r = schema.safeParse(value);
  if (!r.success) throw new Error(`${path} is not ${what}: ${formatIssues(r.error.issues)}`);
  return r.data;
}
