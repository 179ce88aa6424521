"""A tiny Qwen3-shaped model and its tokenizer, built on the spot (no download) for CPU runs and tests.

The tokenizer is a byte-level BPE trained here on the texts the model will see (the SFT conversations and the
RL prompts rendered through the chat template), with Qwen's special tokens and Qwen3's chat template (tools,
``<tool_call>`` JSON, ``<tool_response>`` turns, ``<think>`` blocks). The template text is Qwen3's own as TRL
ships it, so TRL recognises the family: it parses tool calls and swaps in its prefix-preserving training
variant exactly as it does for a real Qwen3 checkpoint. The model is a randomly initialised ``Qwen3ForCausalLM``.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Iterable, Sequence

#: Qwen2/Qwen3's pre-tokenizer split: single digits, words with one leading non-letter, punctuation runs.
QWEN_SPLIT = (
    r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"
)
#: ChatML and end-of-text are special (dropped by ``skip_special_tokens``); the tool and think markers are
#: plain added tokens, as in Qwen3's vocabulary, so decoded text keeps them.
SPECIAL_TOKENS = ["<|endoftext|>", "<|im_start|>", "<|im_end|>"]
MARKER_TOKENS = ["<tool_call>", "</tool_call>", "<tool_response>", "</tool_response>", "<think>", "</think>"]


@dataclass
class TinyModelConfig:
    """Shape of the tiny model (defaults: hidden 64, 2 layers, as in the project's CPU runs)."""

    vocab_size: int = 1024
    hidden_size: int = 64
    intermediate_size: int = 256
    num_hidden_layers: int = 2
    num_attention_heads: int = 4
    num_key_value_heads: int = 2
    head_dim: int = 16
    max_position_embeddings: int = 8192
    seed: int = 0


def qwen3_chat_template() -> str:
    """Qwen3's chat template, as the installed TRL knows it (so TRL's Qwen3 handling applies unchanged)."""
    from trl.chat_template_utils import qwen3_chat_template as template

    return template


def sample_conversations(records: Iterable[dict]) -> list[tuple[list, list | None]]:
    """(messages, tools) pairs from SFT records (``{"messages", "tools"}``) or RL task rows (``{"prompt"}``)."""
    out = []
    for r in records:
        messages = r.get("messages") or r.get("prompt")
        if not isinstance(messages, list) or not messages:
            continue
        tools = r.get("tools")
        if isinstance(tools, str):
            tools = json.loads(tools)
        out.append((messages, tools))
    return out


def render_corpus(conversations: Sequence[tuple[list, list | None]], template: str) -> list[str]:
    """The conversations as the chat template renders them: the exact text the tokenizer must compress."""
    from transformers.utils.chat_template_utils import render_jinja_template

    texts = []
    for messages, tools in conversations:
        rendered = render_jinja_template(
            conversations=[messages], tools=tools, chat_template=template, add_generation_prompt=messages[-1]["role"] != "assistant"
        )
        texts.append(rendered[0][0] if isinstance(rendered, tuple) else rendered[0])
    return texts


def train_tokenizer(texts: Sequence[str], vocab_size: int):
    """A byte-level BPE (Qwen's split) trained on ``texts``, wrapped as a transformers fast tokenizer."""
    from tokenizers import AddedToken, Regex, Tokenizer, decoders, models, pre_tokenizers, trainers
    from transformers import PreTrainedTokenizerFast

    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.Sequence(
        [pre_tokenizers.Split(Regex(QWEN_SPLIT), behavior="isolated"), pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=False)]
    )
    tok.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(
        vocab_size=max(vocab_size - len(MARKER_TOKENS), 256 + len(SPECIAL_TOKENS) + 1),
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
        special_tokens=SPECIAL_TOKENS,
        show_progress=False,
    )
    tok.train_from_iterator(texts, trainer=trainer)
    # The markers are whole tokens (matched before BPE), not special: decoding keeps them, as Qwen3's does.
    tok.add_tokens([AddedToken(t, special=False, normalized=False) for t in MARKER_TOKENS])
    fast = PreTrainedTokenizerFast(tokenizer_object=tok, eos_token="<|im_end|>", pad_token="<|endoftext|>")
    fast.chat_template = qwen3_chat_template()
    return fast


MARKER = "userrl_tiny.json"


def carry_marker(source: str | Path, target: str | Path) -> None:
    """Keep the tiny-model marker on a model trained from a tiny one (``userrl train`` then picks the toy scale)."""
    src = Path(source) / MARKER
    if src.is_file():
        Path(target).mkdir(parents=True, exist_ok=True)
        (Path(target) / MARKER).write_text(src.read_text())


def build_tiny_model(out_dir: str | Path, records: Iterable[dict], config: TinyModelConfig | None = None) -> dict:
    """Train the tokenizer on ``records``, build the model, save both to ``out_dir``; return a summary."""
    import torch
    from transformers import GenerationConfig, Qwen3Config, Qwen3ForCausalLM

    cfg = config or TinyModelConfig()
    conversations = sample_conversations(records)
    if not conversations:
        raise ValueError("no conversations to train the tokenizer on (the SFT set and the task list are empty)")
    texts = render_corpus(conversations, qwen3_chat_template())
    tokenizer = train_tokenizer(texts, cfg.vocab_size)
    eos = tokenizer.convert_tokens_to_ids("<|im_end|>")
    pad = tokenizer.convert_tokens_to_ids("<|endoftext|>")
    model_cfg = Qwen3Config(
        vocab_size=len(tokenizer),
        hidden_size=cfg.hidden_size,
        intermediate_size=cfg.intermediate_size,
        num_hidden_layers=cfg.num_hidden_layers,
        num_attention_heads=cfg.num_attention_heads,
        num_key_value_heads=cfg.num_key_value_heads,
        head_dim=cfg.head_dim,
        max_position_embeddings=cfg.max_position_embeddings,
        tie_word_embeddings=True,
        bos_token_id=None,
        eos_token_id=eos,
        pad_token_id=pad,
    )
    torch.manual_seed(cfg.seed)
    model = Qwen3ForCausalLM(model_cfg)
    model.generation_config = GenerationConfig(eos_token_id=[eos, pad], pad_token_id=pad, do_sample=True, temperature=1.0, top_p=1.0, top_k=0)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(out)
    tokenizer.save_pretrained(out)
    lengths = [len(tokenizer(t, add_special_tokens=False)["input_ids"]) for t in texts]
    summary = {
        "dir": str(out),
        "parameters": sum(p.numel() for p in model.parameters()),
        "vocab": len(tokenizer),
        "corpus_texts": len(texts),
        "mean_tokens_per_text": sum(lengths) / len(lengths),
        "config": asdict(cfg),
    }
    (out / MARKER).write_text(json.dumps(summary, indent=2) + "\n")
    return summary
