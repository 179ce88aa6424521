"""The VERL adapter (AgentLoop + advantage patch) with small stand-ins for VERL's classes, since VERL needs GPUs
and Ray; the episodes and the credit are real (``userrl serve`` at USERRL_TEST_SERVER)."""

import asyncio
import json
import os
import sys
import types
import unittest
from dataclasses import dataclass, field

URL = os.environ.get("USERRL_TEST_SERVER", "")
TOKEN = os.environ.get("USERRL_TEST_TOKEN") or None

REGISTRY = {}


def install_verl_standins():
    """``verl.experimental.agent_loop.agent_loop`` with the three names the adapter uses."""

    class AgentLoopBase:
        def __init__(self, trainer_config, server_manager, tokenizer, **_):
            self.config = trainer_config
            self.server_manager = server_manager
            self.tokenizer = tokenizer

        async def apply_chat_template(self, messages, tools=None, remove_system_prompt=False):
            head = "" if remove_system_prompt else f"<tools>{json.dumps(tools)}</tools>"
            body = "".join(f"<{m['role']}>{m['content']}</{m['role']}>" for m in messages)
            return self.tokenizer.encode(head + body + "<assistant>")

    @dataclass
    class AgentLoopOutput:
        prompt_ids: list
        response_ids: list
        response_mask: list
        response_logprobs: list = None
        reward_score: float = None
        num_turns: int = 0
        metrics: dict = field(default_factory=dict)
        extra_fields: dict = field(default_factory=dict)

    def register(name):
        def wrap(cls):
            REGISTRY[name] = cls
            return cls

        return wrap

    mod = types.ModuleType("verl.experimental.agent_loop.agent_loop")
    mod.AgentLoopBase, mod.AgentLoopOutput, mod.register = AgentLoopBase, AgentLoopOutput, register
    for name in ("verl", "verl.experimental", "verl.experimental.agent_loop"):
        sys.modules.setdefault(name, types.ModuleType(name))
    sys.modules["verl.experimental.agent_loop.agent_loop"] = mod


class CharTokenizer:
    """One token per character: exact round trips, so token/mask alignment is easy to check."""

    def encode(self, text):
        return [ord(c) for c in text]

    def decode(self, ids, skip_special_tokens=True):
        return "".join(chr(i) for i in ids)


class ScriptedServer:
    """VERL's server_manager: answers generate() with scripted replies, in order."""

    def __init__(self, replies):
        self.replies = list(replies)
        self.prompts = []

    async def generate(self, request_id, prompt_ids, sampling_params):
        self.prompts.append(list(prompt_ids))
        text = self.replies.pop(0)
        return types.SimpleNamespace(token_ids=[ord(c) for c in text], log_probs=[-0.5] * len(text))


def call(choice, content):
    return '<tool_call>{"name": "interact_with_env", "arguments": {"choice": "%s", "content": "%s"}}</tool_call>' % (choice, content)


def config(response_length=4096):
    return types.SimpleNamespace(actor_rollout_ref=types.SimpleNamespace(rollout=types.SimpleNamespace(response_length=response_length)))


@unittest.skipUnless(URL, "needs USERRL_TEST_SERVER")
class VerlAdapter(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        install_verl_standins()
        from userrl_bridge import verl_agent_loop

        cls.loop_mod = verl_agent_loop

    def play(self, replies, max_turns=16, response_length=4096):
        server = ScriptedServer(replies)
        loop = REGISTRY["userrl_agent"](config(response_length), server, CharTokenizer(), server_url=URL, server_token=TOKEN, max_turns=max_turns)
        row = {"raw_prompt": [], "extra_info": {"userrl": {"gym": "function", "task_id": "func-1"}}}
        return asyncio.run(loop.run({"temperature": 1.0}, **row)), server

    def test_parse_raw_tool_call(self):
        parse = self.loop_mod.raw_tool_call
        self.assertEqual(parse("think" + call("search", "test")), ({"name": "interact_with_env", "arguments": {"choice": "search", "content": "test"}}, "think"))
        self.assertEqual(parse("no call here"), (None, "no call here"))
        self.assertEqual(parse("<tool_call>{oops</tool_call>")[0], {"name": "interact_with_env", "arguments": "{oops"})

    def test_an_episode_tokens_masks_and_rewards(self):
        replies = ["First the test case. " + call("search", "test"), call("answer", "225")]
        out, server = self.play(replies)
        self.assertEqual(out.extra_fields["turn_scores"], [0.0, 1.0])
        self.assertTrue(out.extra_fields["userrl_episode"])
        from userrl_bridge.turn_credit import mask_runs

        runs = mask_runs(out.response_mask)
        self.assertEqual([b - a for a, b in runs], [len(r) for r in replies])
        text = "".join(chr(i) for i in out.response_ids)
        self.assertEqual(text[runs[0][0] : runs[0][1]], replies[0])
        tool_part = text[runs[0][1] : runs[1][0]]
        self.assertIn("Test case: [3, 5, 5, 3]", tool_part)  # the environment's reply, mask 0
        self.assertEqual(len(out.response_logprobs), len(out.response_ids))
        self.assertEqual(server.prompts[1], out.prompt_ids + out.response_ids[: runs[1][0]])  # token in, token out
        self.assertIn("interact_with_env", "".join(chr(i) for i in out.prompt_ids))  # the server's tool in the prompt

    def test_no_call_ends_the_episode_and_turn_cap_closes_it(self):
        out, _ = self.play(["I am not sure what to do."])
        self.assertEqual(out.extra_fields["turn_scores"], [0.0])
        out, _ = self.play([call("action", "1 2 3 4"), call("action", "2 3 4 5")], max_turns=2)
        self.assertEqual(out.extra_fields["turn_scores"], [0.0, 0.0])
        from userrl_bridge.turn_credit import mask_runs

        self.assertEqual(len(mask_runs(out.response_mask)), 2)

    def test_advantage_patch_uses_the_credit_service(self):
        import numpy as np
        import torch

        from userrl_bridge.client import ServerHttp
        from userrl_bridge.turn_credit import mask_runs
        from userrl_bridge.verl_advantage import install

        good, _ = self.play([call("search", "test"), call("answer", "225")])
        bad, _ = self.play([call("search", "test"), call("answer", "1"), "giving up"])
        width = max(len(good.response_mask), len(bad.response_mask)) + 5
        mask = torch.tensor([o.response_mask + [0] * (width - len(o.response_mask)) for o in (good, bad)])
        episodes = [good.extra_fields["userrl_episode"], bad.extra_fields["userrl_episode"]]
        data = types.SimpleNamespace(batch={"response_mask": mask}, non_tensor_batch={"uid": np.array(["g", "g"], dtype=object), "userrl_episode": np.array(episodes, dtype=object)})

        calls = []
        ray_trainer = types.SimpleNamespace(compute_advantage=lambda data, adv_estimator, *a, **k: calls.append(adv_estimator) or data)
        options = {"turnLevel": "R2G", "trajectoryScore": "Sum"}
        install(ray_trainer, URL, token=TOKEN, options=options)
        install(ray_trainer, URL, token=TOKEN, options=options)  # idempotent
        ray_trainer.compute_advantage(data, "grpo")
        self.assertEqual(calls, ["grpo"])  # other estimators go to VERL's own code
        ray_trainer.compute_advantage(data, "userrl_credit")

        expected = ServerHttp(URL, token=TOKEN).credit(
            [{"id": "g", "trajectories": [{"episode": e, "turnTokens": [b - a for a, b in mask_runs(m.tolist())]} for e, m in zip(episodes, mask)]}],
            options,
        )["trajectories"]
        adv = data.batch["advantages"]
        for row, t in enumerate(expected):
            for k, (a, b) in enumerate(mask_runs(mask[row].tolist())):
                self.assertTrue(torch.allclose(adv[row, a:b], torch.full((b - a,), float(t["tokenAdvantages"][k]))))
        self.assertTrue(torch.equal(adv * (1 - mask), torch.zeros_like(adv)))  # only model tokens carry advantage
        self.assertGreater(adv[0].sum().item(), 0)  # the success is pushed up
        self.assertTrue(torch.equal(data.batch["returns"], adv))


if __name__ == "__main__":
    unittest.main()
