"""The TRL adapter: an environment class for ``GRPOTrainer(environment_factory=...)`` backed by ``userrl serve``.

TRL 1.13 creates one instance per rollout slot (reused across steps), calls ``reset(**dataset_row)`` before each
generation, exposes every other public method as a tool the model may call, and, when the class has
``get_reward()``, uses it as a reward source. Each instance holds one server session (one WebSocket): ``reset``
starts an episode on the row's task, the tool plays one turn, and the per-turn rewards come back from the server.

The tool the model sees is the server's own ``interact_with_env`` schema: the method is built from the server's
tool description (name, description, parameter descriptions, the ``choice`` enum), so the prompt TRL renders is
the one the SFT set was rendered with (see :func:`tool_schema`).
"""

from __future__ import annotations

import functools
import typing
from dataclasses import dataclass
from typing import Any, Callable, Mapping, Optional

from .client import DEFAULT_MESSAGE_TIMEOUT_S, ServerError, SyncEnvClient

TOOL_NAME = "interact_with_env"

#: What the tool answers once the episode is over (TRL's loop goes on while the model keeps calling tools).
EPISODE_OVER = "The episode is over: reply without calling a tool."

#: Reset keys the server takes from a dataset row; the other columns (e.g. ``prompt``) stay on the TRL side.
RESET_KEYS = ("gym", "task_id", "split", "seed", "group_id")


@dataclass
class Step:
    """One server turn of the current episode."""

    choice: Optional[str]
    content: Optional[str]
    reward: float
    done: bool
    #: False for the closing turn that settles an episode whose last reply had no tool call.
    called: bool = True


def _choice_values(spec: Mapping[str, Any]) -> list[str]:
    props = spec["parameters"]["properties"]
    return list(props.get("choice", {}).get("enum") or ["action", "answer", "search"])


def _docstring(spec: Mapping[str, Any]) -> str:
    """A Google-style docstring from an OpenAI function spec (what transformers' ``get_json_schema`` reads)."""
    props = spec["parameters"]["properties"]
    lines = [" ".join(str(spec.get("description", "")).split()), "", "Args:"]
    for name in ("choice", "content"):
        lines.append(f"    {name}: {' '.join(str(props.get(name, {}).get('description', name)).split())}")
    return "\n".join(lines)


def tool_function(spec: Mapping[str, Any], play: Callable[[Any, str, str], str]) -> Callable[..., str]:
    """The ``interact_with_env(self, choice, content)`` method described by ``spec`` (an OpenAI function spec)."""

    def interact_with_env(self, choice: str, content: str) -> str:
        return play(self, choice, content)

    interact_with_env.__doc__ = _docstring(spec)
    interact_with_env.__annotations__ = {"choice": typing.Literal[tuple(_choice_values(spec))], "content": str, "return": str}
    return interact_with_env


def _spec_of(tool: Mapping[str, Any]) -> dict:
    """An OpenAI tool (``{"type": "function", "function": {...}}``) or an MCP tool (``{name, description, inputSchema}``)."""
    if "function" in tool:
        return dict(tool["function"])
    return {"name": tool["name"], "description": tool.get("description", ""), "parameters": tool.get("inputSchema") or tool.get("input_schema")}


def tool_schema(tool: Mapping[str, Any]) -> dict:
    """The JSON schema TRL renders for the adapter's tool built from ``tool``: use it for SFT data, so the
    cold-start prompts and the GRPO prompts are the same text."""
    from transformers.utils import get_json_schema

    return get_json_schema(tool_function(_spec_of(tool), lambda *_: ""))


class UserRLEnv:
    """One rollout slot of GRPO, playing episodes against ``userrl serve``.

    Public surface, as TRL reads it: ``reset(**row)``, the tool ``interact_with_env(choice, content)`` and
    ``get_reward()``. Everything else is private (a leading underscore keeps TRL from exposing it as a tool).
    """

    #: Set per server by :func:`environment_factory` (the tool method is built from the server's schema).
    _base_url: str = ""
    _token: Optional[str] = None
    _timeout_s: float = DEFAULT_MESSAGE_TIMEOUT_S
    _reset_defaults: dict = {}

    def __init__(self) -> None:
        self._client = SyncEnvClient(self._base_url, token=self._token, message_timeout_s=self._timeout_s)
        self._client.connect()
        self.session_id: Optional[str] = None
        self.episode_id: Optional[str] = None
        self.task_id: Optional[str] = None
        self.steps: list[Step] = []
        self.done = False
        self.end_reason: Optional[str] = None

    # ---- TRL's contract -------------------------------------------------------------------------------------

    def reset(self, **row: Any) -> None:
        """Start an episode on the row's task (``gym``, ``task_id``; or ``split``/``seed`` to sample one).

        Returns nothing: the dataset's ``prompt`` already holds the system prompt and the user's first message,
        the same ones the server's reset produces.
        """
        data = dict(self._reset_defaults)
        data.update({k: row[k] for k in RESET_KEYS if row.get(k) is not None})
        reply = self._client.reset(**data)
        obs = reply.observation
        self.session_id = obs.get("session_id")
        self.episode_id = obs.get("episode_id")
        self.task_id = obs.get("task_id")
        self.steps = []
        self.done = False
        self.end_reason = None
        return None

    def _play(self, choice: str, content: str) -> str:
        if self.episode_id is None:
            raise RuntimeError("no episode: reset() was not called")
        if self.done:
            raise ValueError(EPISODE_OVER)
        result = self._client.step(str(choice), content)
        reward = float(result.reward or 0.0)
        self.steps.append(Step(choice=str(choice), content=str(content), reward=reward, done=result.done))
        if result.done:
            self.done = True
            self.end_reason = result.end_reason
        # The server's observation text: feedback, plus `Reward: x` when it serves in train mode.
        return result.text if result.text is not None else str(result.observation.get("feedback", ""))

    def get_reward(self) -> float:
        """The episode's total reward (TRL logs it; the advantages come from the credit service)."""
        return float(sum(s.reward for s in self.steps))

    # ---- used by CreditGRPOTrainer ------------------------------------------------------------------------------

    @property
    def rewards(self) -> list[float]:
        return [s.reward for s in self.steps]

    def _settle(self, text: str = "") -> None:
        """End an episode whose last reply had no tool call: the server then records that reply as a turn
        (reward 0, end reason ``no_tool_call``), as the reference counts it."""
        if self.episode_id is None or self.done:
            return
        try:
            result = self._client.step(tool_call=None, text=text)
        except ServerError:
            return
        self.steps.append(Step(choice=None, content=None, reward=float(result.reward or 0.0), done=True, called=False))
        self.done = True
        self.end_reason = result.end_reason

    def _close(self) -> None:
        self._client.close()


def environment_factory(
    base_url: str,
    *,
    token: Optional[str] = None,
    tool: Optional[Mapping[str, Any]] = None,
    message_timeout_s: float = DEFAULT_MESSAGE_TIMEOUT_S,
    **reset_defaults: Any,
) -> type:
    """A :class:`UserRLEnv` subclass bound to one server, to pass as ``environment_factory``.

    ``tool``: the tool spec to expose (default: the server's ``interact_with_env``, read over MCP).
    ``reset_defaults``: reset keys every episode gets unless the row has them (e.g. ``gym="function"``).
    """
    if tool is None:
        tool = fetch_tool(base_url, token=token)
    spec = _spec_of(tool)
    if spec.get("name") != TOOL_NAME:
        raise ValueError(f"expected the {TOOL_NAME} tool, got {spec.get('name')!r}")
    attrs = {
        "_base_url": base_url,
        "_token": token,
        "_timeout_s": message_timeout_s,
        "_reset_defaults": {k: v for k, v in reset_defaults.items() if v is not None},
        TOOL_NAME: tool_function(spec, UserRLEnv._play),
        "__doc__": UserRLEnv.__doc__,
    }
    return type("UserRLServerEnv", (UserRLEnv,), attrs)


@functools.lru_cache(maxsize=8)
def _fetch_tool_cached(base_url: str, token: Optional[str]) -> tuple:
    with SyncEnvClient(base_url, token=token) as env:
        reply = env.mcp({"jsonrpc": "2.0", "id": 1, "method": "tools/list"})
    tools = (reply.get("result") or {}).get("tools") or []
    found = [t for t in tools if t.get("name") == TOOL_NAME]
    if not found:
        raise ServerError("NO_TOOL", f"the server at {base_url} offers no {TOOL_NAME} tool")
    return tuple(sorted(found[0].items(), key=lambda kv: kv[0]))


def fetch_tool(base_url: str, *, token: Optional[str] = None) -> dict:
    """The server's ``interact_with_env`` tool, as MCP ``tools/list`` describes it."""
    return dict(_fetch_tool_cached(base_url, token))

