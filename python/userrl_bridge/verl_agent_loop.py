"""The VERL adapter, part 1: an ``AgentLoop`` that plays UserRL episodes against ``userrl serve``.

VERL (≥ 0.8) runs multi-turn rollouts through agent loops: ``AgentLoopBase.run(sampling_params, **row)`` returns
one ``AgentLoopOutput`` per trajectory (prompt ids, response ids, a response mask with 1 on model tokens and 0 on
environment tokens, log-probs, extra fields). This loop

* starts an episode on the row's task (``extra_info.userrl = {"gym", "task_id"}`` or top-level ``gym``/``task_id``)
  and prompts the model with the server's system prompt, first user message and tool;
* generates token-in/token-out through VERL's ``server_manager`` (no re-tokenisation of the model's turns);
* sends each reply's raw tool call to the server, which applies the reference's rules (no call or an unusable
  call ends the episode; only the first call runs), and appends the tool result's tokens with mask 0;
* stops when the server says done, at ``max_turns``, or when the response budget is spent;
* returns the server's episode id and per-turn rewards in ``extra_fields`` (``userrl_episode``, ``turn_scores``),
  which :mod:`verl_advantage` turns into per-token advantages through the credit service, and the episode's total
  reward as ``reward_score`` (so VERL's reward manager does not call a default scorer that knows no UserRL data).

Replies are decoded with special tokens kept: tokenizers whose tool-call tags are special tokens (Qwen3's
``<tool_call>``) would otherwise lose every call; the other special tokens are dropped from the visible text.
Log-probs are ``None`` when the rollout server gives none, as in VERL's own loops.

Register it with VERL's agent-loop config (``actor_rollout_ref.rollout.agent.agent_loop_config_path``)::

    - name: userrl_agent
      _target_: userrl_bridge.verl_agent_loop.UserRLAgentLoop
      server_url: http://127.0.0.1:8000

or by the ``@register("userrl_agent")`` decorator alone (``rollout.agent.default_agent_loop=userrl_agent``): the
server then comes from ``USERRL_SERVER_URL`` (and ``USERRL_SERVER_TOKEN``) in the rollout workers' environment.

VERL is imported when this module is; tests load it with stand-in ``verl`` modules (VERL needs GPUs and Ray).
"""

from __future__ import annotations

import json
import os
import re
import uuid
from typing import Any, Optional

from verl.experimental.agent_loop.agent_loop import AgentLoopBase, AgentLoopOutput, register

from .client import EnvClient

_TOOL_CALL = re.compile(r"<tool_call>(.*?)</tool_call>", re.DOTALL)


def raw_tool_call(text: str) -> tuple[Optional[dict], str]:
    """The first ``<tool_call>`` of a reply as the server's raw call (``None`` when there is none), and the text
    before it. Unparseable JSON is passed on as a string, so the server ends the episode as the reference does."""
    match = _TOOL_CALL.search(text)
    visible = text[: match.start()].strip() if match else text.strip()
    if not match:
        return None, visible
    body = match.group(1).strip()
    try:
        parsed = json.loads(body)
    except json.JSONDecodeError:
        return {"name": "interact_with_env", "arguments": body}, visible
    if not isinstance(parsed, dict):
        return {"name": "interact_with_env", "arguments": body}, visible
    args = parsed.get("arguments", parsed.get("parameters", {}))
    if not isinstance(args, (dict, str)):
        args = json.dumps(args)
    return {"name": str(parsed.get("name", "")), "arguments": args}, visible


def decode_reply(tokenizer: Any, ids: list[int]) -> tuple[Optional[dict], str]:
    """The raw tool call and visible text of a generated reply. Decoded with special tokens kept, so tool-call
    tags survive when they are special tokens; the tokenizer's other special tokens (end of turn, padding) are
    then removed from the visible text."""
    call, visible = raw_tool_call(tokenizer.decode(ids, skip_special_tokens=False))
    for token in getattr(tokenizer, "all_special_tokens", None) or []:
        if token and token not in ("<tool_call>", "</tool_call>"):
            visible = visible.replace(token, "")
    return call, visible.strip()


def _row_task(kwargs: dict) -> dict:
    extra = kwargs.get("extra_info") or {}
    task = dict(extra.get("userrl") or {}) if isinstance(extra, dict) else {}
    for key in ("gym", "task_id", "split", "seed"):
        if kwargs.get(key) is not None:
            task.setdefault(key, kwargs[key])
    if "gym" not in task:
        raise ValueError("the row names no task: put {'gym', 'task_id'} in extra_info.userrl (or gym/task_id columns)")
    return task


@register("userrl_agent")
class UserRLAgentLoop(AgentLoopBase):
    def __init__(self, *args: Any, server_url: Optional[str] = None, server_token: Optional[str] = None, max_turns: int = 16, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.server_url = server_url or os.environ.get("USERRL_SERVER_URL")
        if not self.server_url:
            raise ValueError("userrl_agent needs the server: pass server_url in the agent-loop config, or set USERRL_SERVER_URL for the rollout workers")
        self.server_token = server_token or os.environ.get("USERRL_SERVER_TOKEN") or None
        self.max_turns = int(max_turns)
        rollout = getattr(getattr(self.config, "actor_rollout_ref", None), "rollout", None)
        self.response_length = int(getattr(rollout, "response_length", 8192) or 8192)

    async def run(self, sampling_params: dict[str, Any], **kwargs: Any) -> AgentLoopOutput:
        task = _row_task(kwargs)
        request_id = uuid.uuid4().hex
        async with EnvClient(self.server_url, token=self.server_token) as env:
            first = await env.reset(**task)
            episode_id = first.observation.get("server_episode_id") or first.observation.get("episode_id")
            prompt_ids = list(await self.apply_chat_template(first.messages, tools=first.observation.get("tools")))
            response: list[int] = []
            mask: list[int] = []
            logprobs: Optional[list[float]] = []
            rewards: list[float] = []
            done = False
            while len(rewards) < self.max_turns and len(response) < self.response_length:
                out = await self.server_manager.generate(request_id=request_id, prompt_ids=prompt_ids + response, sampling_params=sampling_params)
                ids = list(out.token_ids)
                response += ids
                mask += [1] * len(ids)
                given = getattr(out, "log_probs", None)
                # One turn without log-probs makes the whole response's None (a partial list would misalign).
                logprobs = logprobs + list(given) if logprobs is not None and given else None
                call, visible = decode_reply(self.tokenizer, ids)
                result = await env.step(tool_call=call, text=visible)
                rewards.append(float(result.reward or 0.0))
                if result.done:
                    done = True
                    break
                tool_ids = list(await self.apply_chat_template([{"role": "tool", "content": result.text or ""}], remove_system_prompt=True))
                response += tool_ids
                mask += [0] * len(tool_ids)
                if logprobs is not None:
                    logprobs += [0.0] * len(tool_ids)
            if not done:
                # Out of turns or budget with the episode live: close it, so it is stored and scored as played.
                await env.step(tool_call=None, text="")
        cut = self.response_length
        return AgentLoopOutput(
            prompt_ids=prompt_ids,
            response_ids=response[:cut],
            response_mask=mask[:cut],
            response_logprobs=logprobs[:cut] if logprobs is not None else None,
            reward_score=float(sum(rewards)),
            num_turns=2 * len(rewards) + 1,
            metrics={},
            extra_fields={"userrl_episode": episode_id, "turn_scores": rewards},
        )
