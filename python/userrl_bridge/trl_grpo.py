"""``CreditGRPOTrainer``: TRL's ``GRPOTrainer`` with UserRL's turn-level credit assignment.

TRL computes one advantage per completion from a scalar reward. This subclass replaces it, after every
generation, with the per-token advantages of the credit service (``POST /credit`` of ``userrl serve``): the
episodes' per-turn rewards live on the server, the formulas (turn-level Naive/Equalized/R2G/EM × trajectory
Mean/Sum/R2G, GRPO group normalisation, token scaling) live in the TypeScript credit module, and each assistant
turn's tokens get its turn's value (:mod:`turn_credit`). TRL's loss accepts ``(B, T)`` advantages as they are.

With ``curriculum="variance"`` the tasks whose recent groups had a non-zero variance are drawn more often
(:mod:`curriculum`).

It also settles each episode with the server once TRL's tool loop is over: a last reply without a tool call is
recorded as a turn (the reference counts it), and a call TRL left unexecuted at its turn cap is played, so the
stored episode and its rewards are complete before the credit is asked for.
"""

from __future__ import annotations

import time
from typing import Any, Mapping, Optional

import torch
from trl import GRPOTrainer

from .client import ServerHttp
from .curriculum import CurriculumSampler, VarianceCurriculum
from .events import EventWriter
from .trl_env import UserRLEnv
from .turn_credit import advantage_row, mask_runs, match_messages, pending_call, turn_token_counts

#: The paper's best setting (Equalized turns, R2G trajectory score, γ = 0.8), the credit service's default too.
DEFAULT_CREDIT = {"turnLevel": "Equalized", "trajectoryScore": "R2G", "gamma": 0.8}


class CreditGRPOTrainer(GRPOTrainer):
    """``GRPOTrainer(environment_factory=environment_factory(url), ...)`` plus ``server_url`` and ``credit``.

    ``credit``: the credit options sent to the service (``turnLevel``, ``trajectoryScore``, ``gamma``, ``emK``,
    ``normByStd``). ``events``: where per-generation rollout summaries go (optional). ``curriculum``: ``"uniform"``
    (TRL's shuffled epochs) or ``"variance"`` (:mod:`curriculum`; the dataset's rows need ``gym`` and ``task_id``).
    """

    def __init__(
        self,
        *args: Any,
        server_url: str,
        server_token: Optional[str] = None,
        credit: Optional[Mapping[str, Any]] = None,
        events: Optional[EventWriter] = None,
        curriculum: str = "uniform",
        **kwargs: Any,
    ):
        if curriculum not in ("uniform", "variance"):
            raise ValueError(f"curriculum must be uniform or variance (got {curriculum!r})")
        dataset = kwargs.get("train_dataset")
        if curriculum == "variance" and dataset is None:
            raise ValueError('curriculum="variance" needs the task rows as train_dataset=... (a keyword argument)')
        # Set before TRL's constructor, which may already ask for the sampler.
        self._curriculum = VarianceCurriculum([task_key(row) for row in dataset]) if curriculum == "variance" else None
        super().__init__(*args, **kwargs)
        pools = getattr(self, "_environment_pool", None) or {}
        if not pools or not all(isinstance(e, UserRLEnv) for pool in pools.values() for e in pool):
            raise ValueError("CreditGRPOTrainer needs environment_factory=userrl_bridge.environment_factory(<server url>)")
        self.credit_options = {**DEFAULT_CREDIT, **dict(credit or {})}
        self._server = ServerHttp(server_url, token=server_token)
        self._events = events
        self._completions: list = []
        self._generation = 0

    # ---- which tasks each generation plays --------------------------------------------------------------

    def _get_train_sampler(self, dataset: Any = None):
        if self._curriculum is None:
            return super()._get_train_sampler(dataset)
        return CurriculumSampler(
            self._curriculum,
            mini_repeat_count=self.num_generations,
            batch_size=self.args.generation_batch_size // self.num_generations,
            repeat_count=self.num_iterations * self.args.steps_per_generation,
            seed=self.args.seed,
        )

    # ---- generation: settle the episodes --------------------------------------------------------------------

    def _generate(self, prompts: list):
        result = super()._generate(prompts)
        completions = result[3]
        for env, messages in zip(self.environments or [], completions):
            self._settle(env, messages)
        self._completions = completions
        return result

    @staticmethod
    def _settle(env: UserRLEnv, messages: list) -> None:
        if env.done:
            return
        turns = match_messages(messages, env.steps)
        if turns.last_call_pending:
            call = pending_call(messages)
            if call is not None:
                try:
                    env._play(call["choice"], call["content"])  # TRL's turn cap came first; the reward still counts
                except (ValueError, RuntimeError):
                    pass
        if not env.done:
            last = next((m for m in reversed(messages) if m.get("role") == "assistant"), {})
            env._settle(str(last.get("content") or ""))

    # ---- scoring: advantages from the credit service ------------------------------------------------------

    def _generate_and_score_completions(self, inputs):
        output = super()._generate_and_score_completions(inputs)
        if not self.model.training:
            return output
        from accelerate.utils import gather_object

        started = time.monotonic()
        completion_mask = output["completion_mask"]
        tool_mask = output.get("tool_mask")
        loss_mask = completion_mask if tool_mask is None else completion_mask * tool_mask
        local = []
        for i, env in enumerate(self.environments):
            spans = mask_runs(loss_mask[i].tolist())
            turns = match_messages(self._completions[i], env.steps)
            local.append(
                {
                    "ref": {"episode": env.episode_id, "turnTokens": turn_token_counts(turns, spans, len(env.steps))},
                    "task": task_key(inputs[i]),
                    "spans": spans,
                    "turns": turns,
                    "rewards": env.rewards,
                    "messages": sum(1 for m in self._completions[i] if m.get("role") == "assistant"),
                    "called": sum(1 for s in env.steps if s.called),
                }
            )
        everyone = gather_object([x["ref"] for x in local])
        tasks = gather_object([x["task"] for x in local])
        size = self.num_generations
        groups = [{"id": f"g{self._generation}-{g}", "trajectories": everyone[g * size : (g + 1) * size]} for g in range(len(everyone) // size)]
        reply = self._server.credit(groups, self.credit_options)
        offset = self.accelerator.process_index * len(local)
        mine = reply["trajectories"][offset : offset + len(local)]
        if self._curriculum is not None:
            # Every process records the same gathered groups, so every sampler draws the same tasks.
            for g in range(len(groups)):
                self._curriculum.record(tasks[g * size], [t["score"] for t in reply["trajectories"][g * size : (g + 1) * size]])

        width = completion_mask.size(1)
        rows, keeps = [], []
        for x, t in zip(local, mine):
            adv, keep = advantage_row(width, x["spans"], x["turns"], t["tokenAdvantages"], t["advantage"])
            rows.append(adv)
            keeps.append(keep)
        device = completion_mask.device
        advantages = torch.tensor(rows, dtype=torch.float32, device=device)
        keep = torch.tensor(keeps, dtype=completion_mask.dtype, device=device)
        output["advantages"] = advantages
        output["tool_mask"] = keep if tool_mask is None else tool_mask * keep
        new_loss_mask = completion_mask * output["tool_mask"]
        output["num_items_in_batch"] = self.accelerator.gather(new_loss_mask.sum()).sum()
        self._log_rollouts(local, mine, advantages, new_loss_mask, time.monotonic() - started, reply.get("signal"))
        self._generation += 1
        return output

    def _log_rollouts(self, local: list, credits: list, advantages: torch.Tensor, loss_mask: torch.Tensor, credit_s: float, signal: Optional[Mapping[str, Any]] = None) -> None:
        m = self._metrics["train"]
        n = max(len(local), 1)
        totals = [sum(x["rewards"]) for x in local]
        masked = loss_mask.bool()
        nonzero = (advantages[masked] != 0).float().mean().item() if masked.any() else 0.0
        m["userrl/episode_reward"].append(sum(totals) / n)
        m["userrl/success"].append(sum(1 for r in totals if r > 0) / n)
        m["userrl/score"].append(sum(t["score"] for t in credits) / n)
        m["userrl/advantage_abs"].append(sum(abs(t["advantage"]) for t in credits) / n)
        m["userrl/token_advantage_nonzero"].append(nonzero)
        m["userrl/turns"].append(sum(len(x["rewards"]) for x in local) / n)
        m["userrl/valid_call_rate"].append(sum(x["called"] for x in local) / max(sum(x["messages"] for x in local), 1))
        m["userrl/credit_s"].append(credit_s)
        if signal:
            # Groups whose samples all scored the same carry no gradient (the credit service counts them).
            m["userrl/zero_variance_share"].append(float(signal["zeroVarianceShare"]))
            if signal.get("signalPer1kTokens") is not None:
                m["userrl/signal_groups_per_1k_tokens"].append(float(signal["signalPer1kTokens"]))
        weights = self._curriculum.weights() if self._curriculum is not None else None
        if weights:
            # How far the curriculum has moved from uniform: the mean weight (1 until groups without signal are seen).
            m["userrl/curriculum_mean_weight"].append(sum(weights) / len(weights))
        if self._events is not None:
            self._events.emit(
                "rollouts",
                generation=self._generation,
                step=self.state.global_step,
                signal=signal,
                **({"curriculum": self._curriculum.table()} if self._curriculum is not None else {}),
                episodes=[
                    {"episode": x["ref"]["episode"], "gym": x["task"][0], "task_id": x["task"][1], "rewards": x["rewards"], "score": t["score"], "advantage": t["advantage"], "credits": t["credits"]}
                    for x, t in zip(local, credits)
                ],
            )


def task_key(row: Mapping[str, Any]) -> tuple[str, str]:
    """A dataset row's task: its gym and task id (the curriculum's key)."""
    return (str(row.get("gym")), str(row.get("task_id")))
