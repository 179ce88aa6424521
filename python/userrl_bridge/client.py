"""Clients of the userrl environment server.

The server speaks OpenEnv's WebSocket protocol on ``/ws``: one connection is one session, every frame
``{"type": ..., "data": ...}`` gets one reply, reward and done sit at the top level of observation
frames, and errors come back as ``{"type": "error", "data": {"message", "code"}}``. This module is a
small, dependency-light client of that protocol (``websockets``), in async and sync form, plus the HTTP
side (health, metadata, the credit service) on the standard library.
"""

from __future__ import annotations

import asyncio
import json
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from typing import Any, Mapping, Optional, Sequence
from urllib.parse import urlsplit

from websockets.asyncio.client import connect as _async_connect
from websockets.exceptions import InvalidStatus
from websockets.sync.client import connect as _sync_connect

#: Default seconds to wait for one reply: above the server's default step timeout (300 s), since a step
#: may wait on a slow simulated-user LLM. OpenEnv's own client waits only 60 s by default.
DEFAULT_MESSAGE_TIMEOUT_S = 360.0

#: The largest reply accepted (observations carry whole prompts).
MAX_MESSAGE_BYTES = 64 * 1024 * 1024


class ServerError(RuntimeError):
    """An error reply of the server (``code`` is e.g. ``VALIDATION_ERROR``, ``CAPACITY_REACHED``)."""

    def __init__(self, code: str, message: str, data: Optional[Mapping[str, Any]] = None):
        super().__init__(f"{message} (code: {code})")
        self.code = code
        self.data = dict(data or {})


@dataclass
class StepResult:
    """One observation frame: ``observation`` as the server sent it, ``reward`` and ``done`` lifted out."""

    observation: dict
    reward: Optional[float]
    done: bool

    @property
    def text(self) -> Optional[str]:
        """The tool result the agent sees next (feedback, plus ``Reward: x`` in train mode)."""
        return self.observation.get("text")

    @property
    def messages(self) -> list:
        """After a reset: the system prompt and the user's first message, i.e. the agent's prompt."""
        return list(self.observation.get("messages", []))

    @property
    def end_reason(self) -> Optional[str]:
        return self.observation.get("end_reason")


@dataclass
class _Endpoint:
    base_url: str
    token: Optional[str] = None
    headers: dict = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.base_url = self.base_url.rstrip("/")
        if self.token:
            self.headers["Authorization"] = f"Bearer {self.token}"

    @property
    def ws_url(self) -> str:
        url = self.base_url
        if url.startswith("http"):
            url = "ws" + url[len("http") :]
        return url if url.endswith("/ws") else url + "/ws"

    @property
    def http_url(self) -> str:
        url = self.base_url
        if url.startswith("ws"):
            url = "http" + url[len("ws") :]
        return url[: -len("/ws")] if url.endswith("/ws") else url

    @property
    def proxy(self) -> Any:
        # Loopback servers are reached directly, whatever proxy the environment names.
        host = urlsplit(self.ws_url).hostname or ""
        return None if host in ("localhost", "::1") or host.startswith("127.") else True

    def open_args(self, connect_timeout_s: float) -> dict:
        """The keyword arguments of ``websockets``' connect, the same for the async and the blocking client."""
        return {"additional_headers": self.headers, "open_timeout": connect_timeout_s, "max_size": MAX_MESSAGE_BYTES, "proxy": self.proxy}


def _reset_data(gym, task_id, split, seed, extra) -> dict:
    data = {k: v for k, v in (("gym", gym), ("task_id", task_id), ("split", split), ("seed", seed)) if v is not None}
    data.update(extra)
    return data


def _step_data(choice, content, tool_call, text) -> dict:
    if tool_call is not False:
        data: dict = {"tool_call": tool_call}
        if text is not None:
            data["text"] = text
        return data
    if choice is None or content is None:
        raise ValueError("step needs choice and content (or tool_call=...)")
    return {"choice": choice, "content": content}


def _reply(raw: Any, expected: str) -> Any:
    frame = json.loads(raw)
    if frame.get("type") == "error":
        d = frame.get("data") or {}
        raise ServerError(str(d.get("code", "UNKNOWN")), str(d.get("message", "server error")), d)
    if frame.get("type") != expected:
        raise ServerError("PROTOCOL", f"expected a {expected!r} frame, got {frame.get('type')!r}")
    return frame.get("data")


def _result(data: Mapping[str, Any]) -> StepResult:
    return StepResult(observation=dict(data.get("observation") or {}), reward=data.get("reward"), done=bool(data.get("done", False)))


def _refused(err: InvalidStatus) -> ServerError:
    status = err.response.status_code
    return ServerError(f"HTTP_{status}", f"the server refused the connection ({status})")


class EnvClient:
    """Async client of one session. Use ``async with EnvClient(url) as env: ...``.

    ``reset(gym=..., task_id=...)`` (or ``split=``/``seed=`` to sample) starts an episode; ``step(choice,
    content)`` plays the tool arguments, ``step(tool_call={"name", "arguments"} | None, text=...)`` the
    model's raw tool call (the server then applies the reference's rules: no call or an unusable call ends
    the episode). Replies are :class:`StepResult`.
    """

    def __init__(self, base_url: str, *, token: Optional[str] = None, message_timeout_s: float = DEFAULT_MESSAGE_TIMEOUT_S, connect_timeout_s: float = 10.0):
        self._ep = _Endpoint(base_url, token)
        self._timeout = message_timeout_s
        self._connect_timeout = connect_timeout_s
        self._ws: Any = None
        self._lock = asyncio.Lock()

    async def connect(self) -> "EnvClient":
        if self._ws is None:
            try:
                self._ws = await _async_connect(self._ep.ws_url, **self._ep.open_args(self._connect_timeout))
            except InvalidStatus as err:
                raise _refused(err) from err
        return self

    async def __aenter__(self) -> "EnvClient":
        return await self.connect()

    async def __aexit__(self, *exc: Any) -> None:
        await self.close()

    async def _ask(self, frame: dict, expected: str) -> Any:
        await self.connect()
        async with self._lock:  # one request in flight: replies come in order
            await self._ws.send(json.dumps(frame))
            raw = await asyncio.wait_for(self._ws.recv(), timeout=self._timeout)
        return _reply(raw, expected)

    async def reset(self, gym: Optional[str] = None, task_id: Optional[str] = None, *, split: Optional[str] = None, seed: Optional[int] = None, **extra: Any) -> StepResult:
        return _result(await self._ask({"type": "reset", "data": _reset_data(gym, task_id, split, seed, extra)}, "observation"))

    async def step(self, choice: Optional[str] = None, content: Any = None, *, tool_call: Any = False, text: Optional[str] = None) -> StepResult:
        return _result(await self._ask({"type": "step", "data": _step_data(choice, content, tool_call, text)}, "observation"))

    async def state(self) -> dict:
        return await self._ask({"type": "state"}, "state")

    async def mcp(self, request: Mapping[str, Any]) -> dict:
        """A JSON-RPC request (``tools/list``, ``tools/call``) on this session."""
        return await self._ask({"type": "mcp", "data": dict(request)}, "mcp")

    async def close(self) -> None:
        if self._ws is not None:
            try:
                await self._ws.send(json.dumps({"type": "close"}))
            except Exception:
                pass
            await self._ws.close()
            self._ws = None


class SyncEnvClient:
    """The same client, blocking (for trainers whose environment hooks are synchronous, like TRL's)."""

    def __init__(self, base_url: str, *, token: Optional[str] = None, message_timeout_s: float = DEFAULT_MESSAGE_TIMEOUT_S, connect_timeout_s: float = 10.0):
        self._ep = _Endpoint(base_url, token)
        self._timeout = message_timeout_s
        self._connect_timeout = connect_timeout_s
        self._ws: Any = None

    def connect(self) -> "SyncEnvClient":
        if self._ws is None:
            try:
                self._ws = _sync_connect(self._ep.ws_url, **self._ep.open_args(self._connect_timeout))
            except InvalidStatus as err:
                raise _refused(err) from err
        return self

    def __enter__(self) -> "SyncEnvClient":
        return self.connect()

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def _ask(self, frame: dict, expected: str) -> Any:
        self.connect()
        self._ws.send(json.dumps(frame))
        return _reply(self._ws.recv(timeout=self._timeout), expected)

    def reset(self, gym: Optional[str] = None, task_id: Optional[str] = None, *, split: Optional[str] = None, seed: Optional[int] = None, **extra: Any) -> StepResult:
        return _result(self._ask({"type": "reset", "data": _reset_data(gym, task_id, split, seed, extra)}, "observation"))

    def step(self, choice: Optional[str] = None, content: Any = None, *, tool_call: Any = False, text: Optional[str] = None) -> StepResult:
        return _result(self._ask({"type": "step", "data": _step_data(choice, content, tool_call, text)}, "observation"))

    def state(self) -> dict:
        return self._ask({"type": "state"}, "state")

    def mcp(self, request: Mapping[str, Any]) -> dict:
        return self._ask({"type": "mcp", "data": dict(request)}, "mcp")

    def close(self) -> None:
        if self._ws is not None:
            try:
                self._ws.send(json.dumps({"type": "close"}))
            except Exception:
                pass
            self._ws.close()
            self._ws = None


class ServerHttp:
    """The server's HTTP side (standard library only): descriptions and the credit service."""

    def __init__(self, base_url: str, *, token: Optional[str] = None, timeout_s: float = 60.0):
        self._ep = _Endpoint(base_url, token)
        self._timeout = timeout_s

    def _request(self, method: str, path: str, body: Any = None) -> Any:
        data = None if body is None else json.dumps(body).encode("utf-8")
        headers = dict(self._ep.headers)
        if data is not None:
            headers["Content-Type"] = "application/json"
        req = urllib.request.Request(self._ep.http_url + path, data=data, method=method, headers=headers)
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({})) if self._ep.proxy is None else urllib.request.build_opener()
        try:
            with opener.open(req, timeout=self._timeout) as res:
                return json.loads(res.read().decode("utf-8"))
        except urllib.error.HTTPError as err:
            try:
                payload = json.loads(err.read().decode("utf-8"))
            except ValueError:
                payload = {}
            raise ServerError(str(payload.get("code", f"HTTP_{err.code}")), str(payload.get("detail", err.reason)), payload) from None

    def health(self) -> dict:
        return self._request("GET", "/health")

    def metadata(self) -> dict:
        return self._request("GET", "/metadata")

    def credit(self, groups: Sequence[Mapping[str, Any]], options: Optional[Mapping[str, Any]] = None) -> dict:
        """Scores, GRPO advantages and per-turn credits.

        ``groups``: ``[{"id": ..., "sessions": [session ids]}]``, or ``"episodes": [episode ids]``, or
        ``"trajectories": [{"session": id, "turnTokens": [...]}, {"id": ..., "rewards": [...]}, ...]``.
        ``options``: ``turnLevel`` (Naive | Equalized | R2G | EM | LookAhead), ``trajectoryScore`` (Mean | Sum | R2G),
        ``gamma``, ``emK``, ``normByStd``, ``eps``, and for LookAhead ``lookAhead`` = ``{"turns", "samples", "agent"}``;
        defaults are the paper's best (Equalized, R2G).
        """
        body: dict = {"groups": [dict(g) for g in groups]}
        options = dict(options or {})
        # LookAhead's sampling settings ({"turns", "samples", "agent"}) travel beside the options.
        look_ahead = options.pop("lookAhead", None)
        if options:
            body["options"] = options
        if look_ahead:
            body["lookAhead"] = dict(look_ahead)
        return self._request("POST", "/credit", body)
