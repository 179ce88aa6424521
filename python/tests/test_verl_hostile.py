"""Item 16 of issue 15, the VERL bridge with clients nobody here wrote: tool-call tags that are special tokens,
rollout servers without log-probs, VERL's default scorer, registration by the decorator alone, and trainers that
imported ``compute_advantage`` by name. Stand-ins for VERL's classes as in test_verl; the server is real."""

import asyncio
import os
import sys
import types
import unittest
from unittest import mock

from test_verl import REGISTRY, TOKEN, URL, CharTokenizer, ScriptedServer, call, config, install_verl_standins

SPECIAL = {"<tool_call>": 0xE000, "</tool_call>": 0xE001, "<|im_end|>": 0xE002}


class SpecialTagTokenizer(CharTokenizer):
    """Qwen3-like: the tool-call tags and the end-of-turn marker are single special tokens."""

    all_special_tokens = list(SPECIAL)

    def decode(self, ids, skip_special_tokens=True):
        back = {v: k for k, v in SPECIAL.items()}
        return "".join("" if skip_special_tokens and i in back else back.get(i, chr(i)) for i in ids)


def special_ids(text):
    ids, i = [], 0
    while i < len(text):
        tag = next((t for t in SPECIAL if text.startswith(t, i)), None)
        ids.append(SPECIAL[tag] if tag else ord(text[i]))
        i += len(tag) if tag else 1
    return ids


class SpecialServer(ScriptedServer):
    """Tokens with the tags as special ids, and no log-probs (as some rollout servers)."""

    async def generate(self, request_id, prompt_ids, sampling_params):
        self.prompts.append(list(prompt_ids))
        return types.SimpleNamespace(token_ids=special_ids(self.replies.pop(0)), log_probs=None)


ROW = {"raw_prompt": [], "extra_info": {"userrl": {"gym": "function", "task_id": "func-1"}}}


@unittest.skipUnless(URL, "needs USERRL_TEST_SERVER")
class VerlBridgeHostile(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        install_verl_standins()
        import userrl_bridge.verl_agent_loop  # noqa: F401  (registers userrl_agent)

    def loop(self, server, tokenizer, **kwargs):
        return REGISTRY["userrl_agent"](config(), server, tokenizer, **kwargs)

    def test_item16_tool_call_tags_that_are_special_tokens_survive_decoding(self):
        replies = ["Probe first. " + call("search", "test") + "<|im_end|>", call("answer", "225") + "<|im_end|>"]
        out = asyncio.run(self.loop(SpecialServer(replies), SpecialTagTokenizer(), server_url=URL, server_token=TOKEN).run({}, **ROW))
        self.assertEqual(out.extra_fields["turn_scores"], [0.0, 1.0])

    def test_item16_visible_text_drops_the_other_special_tokens(self):
        from userrl_bridge.verl_agent_loop import decode_reply

        tok = SpecialTagTokenizer()
        call_, visible = decode_reply(tok, special_ids("Thinking.<|im_end|>" + call("search", "x")))
        self.assertEqual(call_["arguments"], {"choice": "search", "content": "x"})
        self.assertEqual(visible, "Thinking.")
        self.assertEqual(decode_reply(tok, special_ids("no call<|im_end|>")), (None, "no call"))

    def test_item16_log_probs_are_none_when_the_server_gives_none_and_reward_score_is_set(self):
        out = asyncio.run(self.loop(SpecialServer([call("search", "test"), call("answer", "225")]), SpecialTagTokenizer(), server_url=URL, server_token=TOKEN).run({}, **ROW))
        self.assertIsNone(out.response_logprobs)
        self.assertEqual(out.reward_score, 1.0)
        with_lp = asyncio.run(self.loop(ScriptedServer([call("search", "test"), call("answer", "1"), "no idea"]), CharTokenizer(), server_url=URL, server_token=TOKEN).run({}, **ROW))
        self.assertEqual(len(with_lp.response_logprobs), len(with_lp.response_ids))
        self.assertEqual(with_lp.reward_score, 0.0)

    def test_item16_registration_by_the_decorator_alone_takes_the_server_from_the_environment(self):
        env = {"USERRL_SERVER_URL": URL, **({"USERRL_SERVER_TOKEN": TOKEN} if TOKEN else {})}
        with mock.patch.dict(os.environ, env):
            loop = self.loop(ScriptedServer([call("answer", "225")]), CharTokenizer())
            self.assertEqual(asyncio.run(loop.run({}, **ROW)).extra_fields["turn_scores"], [1.0])
        with mock.patch.dict(os.environ, {"USERRL_SERVER_URL": ""}):
            with self.assertRaisesRegex(ValueError, "USERRL_SERVER_URL"):
                self.loop(ScriptedServer([]), CharTokenizer())

    def test_item16_the_patch_reaches_trainers_that_imported_compute_advantage_by_name(self):
        from userrl_bridge.verl_advantage import install

        def original(data, adv_estimator, *a, **k):
            return "verl"

        ray_trainer = types.SimpleNamespace(compute_advantage=original)
        loaded = types.ModuleType("my_trainer_loaded")
        loaded.compute_advantage = original  # `from verl.trainer.ppo.ray_trainer import compute_advantage`
        sys.modules[loaded.__name__] = loaded
        later = types.SimpleNamespace(compute_advantage=original)  # not in sys.modules: passed explicitly
        try:
            install(ray_trainer, URL, token=TOKEN, modules=[later])
            self.assertIs(loaded.compute_advantage, ray_trainer.compute_advantage)
            self.assertIs(later.compute_advantage, ray_trainer.compute_advantage)
            self.assertEqual(loaded.compute_advantage(None, "grpo"), "verl")
            again = types.SimpleNamespace(compute_advantage=original)
            self.assertIs(install(ray_trainer, URL, token=TOKEN, modules=[again]), original)  # idempotent, still rebinds
            self.assertIs(again.compute_advantage, ray_trainer.compute_advantage)
        finally:
            del sys.modules[loaded.__name__]


if __name__ == "__main__":
    unittest.main()
