"""From a multi-turn completion to per-token advantages, given the credit service's per-turn values.

Shared by the TRL trainer and the VERL patch. Pure Python (lists in, lists out); no formula lives here: the
per-turn token advantages come from ``POST /credit`` (the TypeScript credit module). This module only finds
each assistant turn's tokens and spreads the server's values over them:

* a completion's assistant turns are the maximal runs of 1s in its loss mask (model tokens 1; tool results,
  chat-template glue and padding 0);
* each server turn (one ``interact_with_env`` call that reached the server, or the closing reply without a call)
  belongs to one assistant message; a message with several calls played several server turns, and its tokens
  carry the credit of its first one;
* messages that reached no server turn while the episode was live (a malformed call answered with an error)
  carry the trajectory's normalised advantage; messages after the episode ended are masked out.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping, Optional, Sequence

TOOL_NAME = "interact_with_env"


def mask_runs(mask: Sequence[int]) -> list[tuple[int, int]]:
    """``[start, end)`` of every maximal run of non-zero entries."""
    runs: list[tuple[int, int]] = []
    start: Optional[int] = None
    for i, m in enumerate(mask):
        if m and start is None:
            start = i
        elif not m and start is not None:
            runs.append((start, i))
            start = None
    if start is not None:
        runs.append((start, len(mask)))
    return runs


def _call_args(call: Mapping[str, Any]) -> tuple[Optional[str], Any]:
    fn = call.get("function", call) if isinstance(call, Mapping) else {}
    return (fn.get("name") if isinstance(fn, Mapping) else None), (fn.get("arguments") if isinstance(fn, Mapping) else None)


def _same_step(args: Any, step: Any) -> bool:
    if not isinstance(args, Mapping):
        return False
    return str(args.get("choice")) == str(step.choice) and str(args.get("content")) == str(step.content)


@dataclass
class MessageTurns:
    """Which server turns each assistant message played."""

    #: per assistant message, the indices of its server turns (possibly empty)
    steps: list = field(default_factory=list)
    #: index of the message in which the episode ended (None while it is live)
    end_message: Optional[int] = None
    #: True when the last message holds a call the server never ran (TRL's turn cap came first)
    last_call_pending: bool = False


def match_messages(messages: Sequence[Mapping[str, Any]], steps: Sequence[Any]) -> MessageTurns:
    """Map the assistant messages of a completion onto the episode's server turns, in order.

    ``steps`` are the episode's turns with ``choice``, ``content``, ``done`` and ``called`` (False for the closing
    reply without a call, which belongs to the last message).
    """
    assistants = [m for m in messages if isinstance(m, Mapping) and m.get("role") == "assistant"]
    out = MessageTurns(steps=[[] for _ in assistants])
    j = 0
    for k, msg in enumerate(assistants):
        for call in msg.get("tool_calls") or []:
            name, args = _call_args(call)
            if j < len(steps) and steps[j].called and name == TOOL_NAME and _same_step(args, steps[j]):
                out.steps[k].append(j)
                j += 1
        if j < len(steps) and not steps[j].called and k == len(assistants) - 1:
            out.steps[k].append(j)
            j += 1
        if out.end_message is None and any(steps[i].done for i in out.steps[k]):
            out.end_message = k
    if assistants:
        last = assistants[-1]
        has_call = any(_call_args(c)[0] == TOOL_NAME for c in last.get("tool_calls") or [])
        out.last_call_pending = out.end_message is None and has_call and not out.steps[-1]
    return out


def pending_call(messages: Sequence[Mapping[str, Any]]) -> Optional[dict]:
    """The ``{choice, content}`` of the last assistant message's first ``interact_with_env`` call."""
    for m in reversed(messages):
        if isinstance(m, Mapping) and m.get("role") == "assistant":
            for call in m.get("tool_calls") or []:
                name, args = _call_args(call)
                if name == TOOL_NAME and isinstance(args, Mapping) and "choice" in args and "content" in args:
                    return {"choice": str(args["choice"]), "content": args["content"]}
            return None
    return None


def turn_token_counts(turns: MessageTurns, spans: Sequence[tuple[int, int]], n_steps: int) -> list[int]:
    """Loss tokens per server turn: a message's tokens go to its first turn, its further turns get 0."""
    counts = [0] * n_steps
    for k, idx in enumerate(turns.steps):
        if idx and k < len(spans):
            counts[idx[0]] = spans[k][1] - spans[k][0]
    return counts


def advantage_row(
    length: int,
    spans: Sequence[tuple[int, int]],
    turns: MessageTurns,
    token_advantages: Sequence[float],
    episode_advantage: float,
) -> tuple[list[float], list[int]]:
    """Per-token advantages of one completion and its loss-mask update (0 on tokens to drop).

    ``token_advantages``: per server turn, the value each of its tokens carries (``tokenAdvantages`` of the credit
    service). ``episode_advantage``: the trajectory's normalised advantage N.
    """
    adv = [0.0] * length
    keep = [1] * length
    for k, (a, b) in enumerate(spans):
        idx = turns.steps[k] if k < len(turns.steps) else []
        after_end = turns.end_message is not None and k > turns.end_message
        if after_end:
            value, drop = 0.0, True
        elif idx:
            value, drop = float(token_advantages[idx[0]]), False
        else:
            value, drop = float(episode_advantage), False
        for t in range(a, min(b, length)):
            adv[t] = value
            if drop:
                keep[t] = 0
    return adv, keep
