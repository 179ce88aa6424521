"""The VERL adapter, part 2: the advantage patch that takes turn-level credit from the credit service.

VERL's registered advantage estimators see only ``token_level_rewards``, ``response_mask`` and the group index,
never per-turn rewards (spec ecosystem.md §3.6), so UserRL's estimator cannot be a plain registration: like the
reference's own fork, it wraps ``ray_trainer.compute_advantage``. :func:`install` does that for the estimator
name ``userrl_credit`` (``algorithm.adv_estimator=userrl_credit``); every other estimator goes to VERL's own code.

For a batch, the groups are the rows sharing a ``uid`` (the ``rollout.n`` samples of a prompt); each row's
episode is ``non_tensor_batch["userrl_episode"]`` (set by :class:`verl_agent_loop.UserRLAgentLoop`), its assistant
turns are the runs of 1s in ``response_mask``, and ``POST /credit`` returns each turn's per-token advantage.
Install it in the process that computes advantages (VERL's Ray TaskRunner): call :func:`install` at the start of
a TaskRunner subclass's ``run`` and pass that class to ``run_ppo(config, task_runner_class=...)`` (README).
Trainers that imported ``compute_advantage`` by name (``from ...ray_trainer import compute_advantage``) hold their
own reference: :func:`install` replaces it in every loaded module that holds VERL's function, and in ``modules``.
"""

from __future__ import annotations

import sys
from typing import Any, Callable, Iterable, Mapping, Optional

from .client import ServerHttp
from .turn_credit import mask_runs

ESTIMATOR = "userrl_credit"


def _column(non_tensor: Mapping[str, Any], key: str) -> list:
    value = non_tensor.get(key)
    if value is None:
        raise KeyError(f"the batch has no non_tensor_batch[{key!r}] (use the userrl_agent agent loop)")
    return list(value.tolist() if hasattr(value, "tolist") else value)


def userrl_advantages(data: Any, credit: Callable[[list, Mapping[str, Any]], dict], options: Mapping[str, Any]) -> dict:
    """Fill ``data.batch["advantages"]`` and ``["returns"]`` (per-token, ``response_mask``-shaped); return the reply.

    ``data``: a VERL ``DataProto`` (``.batch`` tensors, ``.non_tensor_batch`` arrays). ``credit``: the credit call
    (``ServerHttp.credit``).
    """
    import torch

    mask = data.batch["response_mask"]
    episodes = _column(data.non_tensor_batch, "userrl_episode")
    uids = _column(data.non_tensor_batch, "uid")
    spans = [mask_runs(row.tolist()) for row in mask]
    order: dict[Any, list[int]] = {}
    for i, uid in enumerate(uids):
        order.setdefault(uid, []).append(i)
    groups = [
        {"id": str(uid), "trajectories": [{"episode": str(episodes[i]), "turnTokens": [b - a for a, b in spans[i]]} for i in rows]}
        for uid, rows in order.items()
    ]
    reply = credit(groups, options)
    flat = [i for rows in order.values() for i in rows]
    advantages = torch.zeros(mask.shape, dtype=torch.float32, device=mask.device)
    for i, t in zip(flat, reply["trajectories"]):
        values = t["tokenAdvantages"]
        for k, (a, b) in enumerate(spans[i]):
            if k < len(values):
                advantages[i, a:b] = float(values[k])
    advantages = advantages * mask
    data.batch["advantages"] = advantages
    data.batch["returns"] = advantages.clone()
    return reply


def install(
    ray_trainer: Any,
    server_url: str,
    *,
    token: Optional[str] = None,
    options: Optional[Mapping[str, Any]] = None,
    modules: Iterable[Any] = (),
) -> Callable:
    """Wrap ``ray_trainer.compute_advantage`` so ``adv_estimator == "userrl_credit"`` uses the credit service.

    ``ray_trainer``: the module ``verl.trainer.ppo.ray_trainer``. Returns the original function. ``options``: credit
    options (default: the service's, i.e. the paper's best, Equalized/R2G). The wrapper also replaces VERL's
    function wherever a loaded module (or one of ``modules``) imported it by name.
    """
    original = ray_trainer.compute_advantage
    if getattr(original, "_userrl_wrapped", False):
        _rebind(original._userrl_original, original, modules)
        return original._userrl_original
    server = ServerHttp(server_url, token=token)
    opts = dict(options or {})

    def compute_advantage(data, adv_estimator, *args, **kwargs):
        if str(getattr(adv_estimator, "value", adv_estimator)) != ESTIMATOR:
            return original(data, adv_estimator, *args, **kwargs)
        userrl_advantages(data, server.credit, opts)
        return data

    compute_advantage._userrl_wrapped = True
    compute_advantage._userrl_original = original
    ray_trainer.compute_advantage = compute_advantage
    _rebind(original, compute_advantage, modules)
    return original


def _rebind(original: Callable, wrapper: Callable, modules: Iterable[Any]) -> None:
    """Point every module-level ``compute_advantage`` that is VERL's function at the wrapper."""
    for module in [*list(sys.modules.values()), *modules]:
        try:
            if getattr(module, "compute_advantage", None) is original:
                module.compute_advantage = wrapper
        except Exception:  # lazy modules may fail on attribute access; they hold no reference to rebind
            pass
