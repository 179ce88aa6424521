"""The TRL adapter against a running ``userrl serve`` (URL and token in USERRL_TEST_SERVER / USERRL_TEST_TOKEN;
test/train/python-bridge.test.ts starts the server and runs this)."""

import inspect
import os
import unittest

from userrl_bridge.client import SyncEnvClient
from userrl_bridge.trl_env import EPISODE_OVER, environment_factory, fetch_tool, tool_schema

URL = os.environ.get("USERRL_TEST_SERVER", "")
TOKEN = os.environ.get("USERRL_TEST_TOKEN") or None


@unittest.skipUnless(URL, "needs USERRL_TEST_SERVER")
class TrlEnvironment(unittest.TestCase):
    def setUp(self):
        self.Env = environment_factory(URL, token=TOKEN)
        self.env = self.Env()

    def tearDown(self):
        self.env._close()

    def test_trl_sees_one_tool_with_the_servers_schema(self):
        public = [n for n, _ in inspect.getmembers(self.env, predicate=inspect.ismethod) if not n.startswith("_")]
        self.assertEqual(sorted(public), ["get_reward", "interact_with_env", "reset"])
        mcp_tool = fetch_tool(URL, token=TOKEN)
        with SyncEnvClient(URL, token=TOKEN) as c:
            openai_tool = c.reset(gym="function", task_id="func-1").observation["tools"][0]
        # The SFT set (OpenAI-style tools) and GRPO (the server's MCP description) render the same schema.
        self.assertEqual(tool_schema(mcp_tool), tool_schema(openai_tool))
        params = tool_schema(openai_tool)["function"]["parameters"]
        self.assertEqual(params["properties"]["choice"]["enum"], ["action", "answer", "search"])
        self.assertEqual(params["required"], ["choice", "content"])

    def test_an_episode_through_the_tool(self):
        self.assertIsNone(self.env.reset(gym="function", task_id="func-1", prompt=[{"role": "user", "content": "ignored"}]))
        self.assertEqual(self.env.interact_with_env("search", "test"), "Test case: [3, 5, 5, 3]\nReward: 0.0")
        self.assertIn("Reward: 0.0", self.env.interact_with_env("answer", "1"))
        self.assertFalse(self.env.done)
        self.env.interact_with_env("answer", "225")
        self.assertTrue(self.env.done)
        self.assertEqual(self.env.rewards, [0.0, 0.0, 1.0])
        self.assertEqual(self.env.get_reward(), 1.0)
        with self.assertRaisesRegex(ValueError, EPISODE_OVER):
            self.env.interact_with_env("answer", "225")
        first = self.env.episode_id
        self.env.reset(gym="function", task_id="func-1")
        self.assertNotEqual(self.env.episode_id, first)
        self.assertEqual(self.env.steps, [])

    def test_settling_a_reply_without_a_call_and_a_pending_call(self):
        from userrl_bridge.trl_grpo import CreditGRPOTrainer

        self.env.reset(gym="function", task_id="func-1")
        self.env.interact_with_env("search", "test")
        self.env._settle("I give up.")
        self.assertTrue(self.env.done)
        self.assertEqual((len(self.env.steps), self.env.steps[-1].called, self.env.end_reason), (2, False, "no_tool_call"))

        self.env.reset(gym="function", task_id="func-1")
        msgs = [
            {"role": "assistant", "content": "", "tool_calls": [{"type": "function", "function": {"name": "interact_with_env", "arguments": {"choice": "search", "content": "test"}}}]},
            {"role": "tool", "content": "Test case: [3, 5, 5, 3]"},
            {"role": "assistant", "content": "", "tool_calls": [{"type": "function", "function": {"name": "interact_with_env", "arguments": {"choice": "answer", "content": "225"}}}]},
        ]
        self.env.interact_with_env("search", "test")
        CreditGRPOTrainer._settle(self.env, msgs)  # TRL's turn cap left the answer unplayed: it still counts
        self.assertEqual(self.env.rewards, [0.0, 1.0])
        self.assertTrue(self.env.done)


if __name__ == "__main__":
    unittest.main()
