"""Turn spans and the message ↔ server-turn mapping behind the per-token advantages (no server, no torch)."""

import unittest

from userrl_bridge.trl_env import Step
from userrl_bridge.turn_credit import advantage_row, mask_runs, match_messages, pending_call, turn_token_counts


def call(choice, content, name="interact_with_env"):
    return {"type": "function", "function": {"name": name, "arguments": {"choice": choice, "content": content}}}


def assistant(*calls, content=""):
    m = {"role": "assistant", "content": content}
    if calls:
        m["tool_calls"] = list(calls)
    return m


TOOL = {"role": "tool", "name": "interact_with_env", "content": "feedback"}


class MaskRuns(unittest.TestCase):
    def test_runs_of_ones(self):
        self.assertEqual(mask_runs([1, 1, 0, 0, 1, 0, 1, 1, 1]), [(0, 2), (4, 5), (6, 9)])
        self.assertEqual(mask_runs([0, 0]), [])
        self.assertEqual(mask_runs([]), [])


class MatchMessages(unittest.TestCase):
    def test_one_call_per_message_until_done(self):
        msgs = [assistant(call("search", "test")), TOOL, assistant(call("answer", "7")), TOOL, assistant(content="The episode is over.")]
        steps = [Step("search", "test", 0.0, False), Step("answer", "7", 1.0, True)]
        turns = match_messages(msgs, steps)
        self.assertEqual(turns.steps, [[0], [1], []])
        self.assertEqual(turns.end_message, 1)
        self.assertFalse(turns.last_call_pending)

    def test_several_calls_and_a_call_that_never_reached_the_server(self):
        msgs = [
            assistant(call("action", "1 2 3 4"), call("action", "2 3 4 5")),
            TOOL,
            TOOL,
            assistant(call("answer", "9", name="other_tool")),  # TRL answered "tool not found"
            TOOL,
            assistant(content="no call"),
        ]
        steps = [Step("action", "1 2 3 4", 0.0, False), Step("action", "2 3 4 5", 0.0, False), Step(None, None, 0.0, True, called=False)]
        turns = match_messages(msgs, steps)
        self.assertEqual(turns.steps, [[0, 1], [], [2]])
        self.assertEqual(turns.end_message, 2)
        self.assertEqual(turn_token_counts(turns, [(0, 10), (15, 18), (25, 30)], 3), [10, 0, 5])

    def test_a_call_left_unexecuted_at_the_turn_cap(self):
        msgs = [assistant(call("search", "test")), TOOL, assistant(call("answer", "225"))]
        steps = [Step("search", "test", 0.0, False)]
        turns = match_messages(msgs, steps)
        self.assertTrue(turns.last_call_pending)
        self.assertEqual(pending_call(msgs), {"choice": "answer", "content": "225"})
        self.assertIsNone(pending_call([assistant(content="plain")]))


class AdvantageRow(unittest.TestCase):
    def test_values_per_turn_masking_after_the_end(self):
        msgs = [assistant(call("search", "test")), TOOL, assistant(call("x", "y", name="bad")), TOOL, assistant(call("answer", "7")), TOOL, assistant(call("answer", "8"))]
        steps = [Step("search", "test", 0.0, False), Step("answer", "7", 1.0, True)]
        turns = match_messages(msgs, steps)
        spans = [(0, 2), (4, 5), (7, 9), (11, 12)]
        adv, keep = advantage_row(13, spans, turns, [0.5, 0.75], episode_advantage=0.6)
        self.assertEqual(adv[0:2], [0.5, 0.5])  # first server turn's value
        self.assertEqual(adv[4], 0.6)  # a message that reached no server turn: the episode's advantage
        self.assertEqual(adv[7:9], [0.75, 0.75])
        self.assertEqual((adv[11], keep[11]), (0.0, 0))  # after the episode ended: dropped from the loss
        self.assertEqual(adv[2:4] + [adv[10]], [0.0, 0.0, 0.0])  # tool-result tokens stay 0
        self.assertEqual(sum(keep), 12)


if __name__ == "__main__":
    unittest.main()
