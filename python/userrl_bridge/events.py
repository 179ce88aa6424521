"""Progress and metrics of a training run, as JSON lines the ``userrl train`` command reads from stdout.

Every event is one line ``@userrl {"kind": ..., ...}``; anything else a library prints is ordinary log output.
Values that are not finite numbers become ``null``, so every line is valid JSON.
"""

from __future__ import annotations

import json
import math
import os
import sys
import time
from typing import Any, Callable, TextIO

PREFIX = "@userrl "


def _clean(value: Any) -> Any:
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {str(k): _clean(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_clean(v) for v in value]
    if hasattr(value, "item") and callable(value.item):  # numpy / torch scalars
        try:
            return _clean(value.item())
        except (TypeError, ValueError):
            return str(value)
    if value is None or isinstance(value, (bool, int, str)):
        return value
    return str(value)


class EventWriter:
    """Writes events to a stream (stdout by default); ``sink`` replaces the stream (tests)."""

    def __init__(self, stream: TextIO | None = None, sink: Callable[[dict], None] | None = None):
        self._stream = stream
        self._sink = sink
        self._t0 = time.monotonic()

    def emit(self, kind: str, **data: Any) -> dict:
        """Write one event (only the main process writes under a multi-process launcher)."""
        event = {"kind": kind, "elapsed_s": round(time.monotonic() - self._t0, 3), **_clean(data)}
        if self._sink is not None:
            self._sink(event)
        elif int(os.environ.get("RANK", "0")) == 0:
            stream = self._stream or sys.stdout
            stream.write(PREFIX + json.dumps(event, separators=(",", ":")) + "\n")
            stream.flush()
        return event


def trainer_callback(events: EventWriter):
    """A transformers ``TrainerCallback`` that forwards logs and checkpoints as events."""
    from transformers import TrainerCallback

    class _Forward(TrainerCallback):
        def on_log(self, args, state, control, logs=None, **kwargs):
            if logs:
                events.emit("log", step=state.global_step, epoch=state.epoch, max_steps=state.max_steps, metrics=dict(logs))

        def on_save(self, args, state, control, **kwargs):
            events.emit("checkpoint", step=state.global_step, dir=f"{args.output_dir}/checkpoint-{state.global_step}")

    return _Forward()
