"""Entry point of ``userrl train``: ``python -m userrl_bridge.train <tiny-model|sft|rl> <settings.json>``.

The TypeScript command writes the settings (paper defaults, scaled by its flags) and reads the ``@userrl`` event
lines this prints (:mod:`events`). Run it yourself the same way, or under a launcher for several GPUs:
``accelerate launch --config_file <deepspeed-zero3.yaml> -m userrl_bridge.train rl settings.json``.
"""

from __future__ import annotations

import json
import os
import sys
from dataclasses import fields
from pathlib import Path
from typing import Any

from .events import EventWriter


def _load(path: str) -> dict:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as err:
        raise SystemExit(f"userrl_bridge.train: cannot read settings {path}: {err}")
    if not isinstance(data, dict):
        raise SystemExit(f"userrl_bridge.train: {path} must hold a JSON object")
    return data


def _threads(s: dict) -> None:
    if s.get("threads"):
        import torch

        torch.set_num_threads(int(s["threads"]))


def _read_jsonl(path: str) -> list[dict]:
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def tiny_model(s: dict, events: EventWriter) -> dict:
    from .tiny_model import TinyModelConfig, build_tiny_model

    records: list[dict] = []
    for path in s.get("corpus", []):
        records.extend(_read_jsonl(path))
    cfg = TinyModelConfig(**{f.name: s[f.name] for f in fields(TinyModelConfig) if f.name in s})
    summary = build_tiny_model(s["output_dir"], records, cfg)
    events.emit("model", stage="tiny-model", **summary)
    return summary


def _serve_after(s: dict, model: Any, tokenizer: Any, events: EventWriter) -> None:
    """With ``serve_after``, answer chat completions with the trained model until stopped (the evaluation)."""
    if not s.get("serve_after") or int(os.environ.get("RANK", "0")) != 0:
        return
    from .serve_openai import ChatModel, serve

    serve(ChatModel(model, tokenizer, "userrl-policy"), events=events)


def sft(s: dict, events: EventWriter) -> dict:
    from .trl_sft import SftSettings, run_sft

    _threads(s)
    if s.get("tiny_model"):
        s = {**s, "model": tiny_model({**s["tiny_model"], "output_dir": s["model"]}, events)["dir"]}
    known = {f.name for f in fields(SftSettings)}
    summary, model, tokenizer = run_sft(SftSettings(**{k: v for k, v in s.items() if k in known}), events)
    _serve_after(s, model, tokenizer, events)
    return summary


def rl(s: dict, events: EventWriter) -> dict:
    import torch
    from datasets import Dataset
    from transformers import AutoModelForCausalLM, AutoTokenizer
    from trl import GRPOConfig

    from .events import trainer_callback
    from .tiny_model import carry_marker
    from .trl_env import environment_factory
    from .trl_grpo import CreditGRPOTrainer

    _threads(s)
    if s.get("tiny_model"):
        s = {**s, "model": tiny_model({**s["tiny_model"], "output_dir": s["model"]}, events)["dir"]}
    world = int(os.environ.get("WORLD_SIZE", "1"))
    group, batch, mini, micro = int(s["group_size"]), int(s["batch"]), int(s["mini_batch"]), int(s["micro_batch"])
    if (mini * group) % (micro * world) or (batch * group) % (micro * world) or batch % mini:
        raise SystemExit(
            f"userrl_bridge.train: batch {batch} × group {group} and mini-batch {mini} × group must be multiples of "
            f"micro-batch {micro} × {world} process(es), and batch a multiple of mini-batch"
        )
    rows = _read_jsonl(s["tasks"])
    if not rows:
        raise SystemExit(f"userrl_bridge.train: {s['tasks']} holds no tasks")
    bf16 = bool(s.get("bf16")) and torch.cuda.is_available()
    tokenizer = AutoTokenizer.from_pretrained(s["model"])
    model = AutoModelForCausalLM.from_pretrained(s["model"], dtype=torch.bfloat16 if bf16 else torch.float32)
    updates_per_step = batch // mini
    args = GRPOConfig(
        output_dir=s["output_dir"],
        learning_rate=float(s["learning_rate"]),
        lr_scheduler_type="constant",
        weight_decay=0.01,
        max_grad_norm=1.0,
        num_generations=group,
        per_device_train_batch_size=micro,
        gradient_accumulation_steps=(mini * group) // (micro * world),
        steps_per_generation=(batch * group) // (micro * world),
        max_steps=int(s["steps"]) * updates_per_step,
        num_iterations=1,
        beta=0.0,
        epsilon=0.2,
        loss_type="dapo",
        temperature=float(s.get("temperature", 1.0)),
        top_p=1.0,
        top_k=0,
        max_completion_length=int(s["max_completion_length"]),
        max_tool_calling_iterations=int(s["max_turns"]) - 1,
        logging_steps=1,
        save_strategy="steps",
        save_steps=max(1, int(s.get("save_every", 1)) * updates_per_step),
        save_total_limit=int(s.get("keep_checkpoints", 2)),
        seed=int(s.get("seed", 42)),
        bf16=bf16,
        gradient_checkpointing=bool(s.get("gradient_checkpointing", False)),
        use_vllm=bool(s.get("vllm")),
        vllm_mode=s.get("vllm") or "colocate",
        report_to=[],
        disable_tqdm=True,
        shuffle_dataset=True,
    )
    if s.get("max_turn_tokens"):
        # A per-reply cap (TRL's default is the whole completion budget for every reply).
        key = "max_tokens" if args.use_vllm else "max_new_tokens"
        args.generation_kwargs = {**(args.generation_kwargs or {}), key: int(s["max_turn_tokens"])}
    if s.get("vllm_server_url"):
        args.vllm_server_base_url = s["vllm_server_url"]
    factory = environment_factory(s["server_url"], token=s.get("server_token"))
    trainer = CreditGRPOTrainer(
        model=model,
        args=args,
        train_dataset=Dataset.from_list(rows),
        processing_class=tokenizer,
        environment_factory=factory,
        callbacks=[trainer_callback(events)],
        server_url=s["server_url"],
        server_token=s.get("server_token"),
        credit=s.get("credit"),
        curriculum=s.get("curriculum") or "uniform",
        events=events,
    )
    events.emit("start", stage="rl", tasks=len(rows), steps=int(s["steps"]), max_steps=args.max_steps, credit=trainer.credit_options)
    trainer.train()
    final = Path(s.get("final_dir") or Path(s["output_dir"]) / "final")
    trainer.save_model(str(final))
    tokenizer.save_pretrained(str(final))
    carry_marker(s["model"], final)
    for pool in trainer._environment_pool.values():
        for env in pool:
            env._close()
    summary = {"final_dir": str(final), "steps": trainer.state.global_step}
    events.emit("done", stage="rl", **summary)
    _serve_after(s, trainer.model, tokenizer, events)
    return summary


STAGES = {"tiny-model": tiny_model, "sft": sft, "rl": rl}


def main(argv: list[str] | None = None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    if len(argv) != 2 or argv[0] not in STAGES:
        raise SystemExit(f"usage: python -m userrl_bridge.train <{'|'.join(STAGES)}> <settings.json>")
    events = EventWriter()
    try:
        STAGES[argv[0]](_load(argv[1]), events)
    except SystemExit:
        raise
    except Exception as err:  # noqa: BLE001 - reported as an event, then a non-zero exit
        events.emit("error", stage=argv[0], message=f"{type(err).__name__}: {err}")
        raise


if __name__ == "__main__":
    main()
