"""SFT cold start with TRL's ``SFTTrainer`` on ``userrl sft export --format trl`` data.

Loss on assistant turns only (TRL swaps in its training variant of the chat template, with generation markers),
no packing, cosine schedule with 10% warm-up: the paper's LLaMA-Factory settings (pipeline.md §6) expressed
in TRL. Each record's tool schema is rewritten the way the GRPO adapter renders it (:func:`trl_env.tool_schema`),
so the model is fine-tuned on exactly the prompt text it later sees in RL.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from .events import EventWriter, trainer_callback
from .tiny_model import carry_marker
from .trl_env import tool_schema


@dataclass
class SftSettings:
    model: str
    data: str
    output_dir: str
    #: where the fine-tuned model goes (default: ``<output_dir>/final``)
    final_dir: Optional[str] = None
    learning_rate: float = 1e-5
    epochs: float = 3.0
    max_steps: int = -1
    per_device_batch_size: int = 2
    gradient_accumulation_steps: int = 4
    max_length: Optional[int] = 16384
    warmup_ratio: float = 0.1
    lr_scheduler: str = "cosine"
    logging_steps: int = 5
    save_steps: Optional[int] = None
    seed: int = 42
    bf16: bool = False


def load_records(path: str) -> list[dict]:
    """The SFT records (``messages`` + ``tools``), each tool schema as GRPO renders it, ``tools`` as a JSON string
    (so Arrow does not have to unify nested schemas)."""
    rows = []
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                rec = json.loads(line)
            except json.JSONDecodeError as err:
                raise ValueError(f"{path}:{n}: not JSON ({err.msg})") from None
            messages = rec.get("messages")
            if not isinstance(messages, list) or not any(m.get("role") == "assistant" for m in messages if isinstance(m, dict)):
                raise ValueError(f"{path}:{n}: a record needs `messages` with an assistant turn (TRL format: userrl sft export --format trl)")
            tools = rec.get("tools") or []
            rows.append({"messages": messages, "tools": json.dumps([tool_schema(t) for t in tools])})
    if not rows:
        raise ValueError(f"{path} holds no SFT records")
    return rows


def run_sft(s: SftSettings, events: EventWriter) -> tuple[dict, object, object]:
    """Fine-tune; returns the summary, the trained model and its tokenizer."""
    import torch
    from datasets import Dataset
    from transformers import AutoModelForCausalLM, AutoTokenizer
    from trl import SFTConfig, SFTTrainer

    rows = load_records(s.data)
    tokenizer = AutoTokenizer.from_pretrained(s.model)
    model = AutoModelForCausalLM.from_pretrained(s.model, dtype=torch.bfloat16 if s.bf16 else torch.float32)
    args = SFTConfig(
        output_dir=s.output_dir,
        assistant_only_loss=True,
        max_length=s.max_length,
        packing=False,
        per_device_train_batch_size=s.per_device_batch_size,
        gradient_accumulation_steps=s.gradient_accumulation_steps,
        learning_rate=s.learning_rate,
        num_train_epochs=s.epochs,
        max_steps=s.max_steps,
        lr_scheduler_type=s.lr_scheduler,
        warmup_steps=s.warmup_ratio,  # a float below 1 is a ratio of the total steps
        logging_steps=s.logging_steps,
        save_strategy="steps" if s.save_steps else "epoch",
        save_steps=s.save_steps or 500,
        save_total_limit=2,
        seed=s.seed,
        bf16=s.bf16,
        report_to=[],
        disable_tqdm=True,
    )
    trainer = SFTTrainer(model=model, args=args, train_dataset=Dataset.from_list(rows), processing_class=tokenizer, callbacks=[trainer_callback(events)])
    events.emit("start", stage="sft", records=len(rows), max_steps=trainer.state.max_steps)
    result = trainer.train()
    final = Path(s.final_dir or Path(s.output_dir) / "final")
    trainer.save_model(str(final))
    tokenizer.save_pretrained(str(final))
    carry_marker(s.model, final)
    losses = [h["loss"] for h in trainer.state.log_history if "loss" in h]
    summary = {"final_dir": str(final), "steps": trainer.state.global_step, "train_loss": result.training_loss, "losses": losses}
    events.emit("done", stage="sft", **summary)
    return summary, trainer.model, tokenizer
