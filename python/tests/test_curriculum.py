"""``--curriculum variance``: per-task memory of recent groups and the sampler that draws by it (torch only)."""

import unittest
from collections import Counter

from userrl_bridge.curriculum import FLOOR, CurriculumSampler, VarianceCurriculum

TASKS = [("function", f"func-{i}") for i in range(1, 7)]


class Weights(unittest.TestCase):
    def test_unseen_tasks_weigh_one_then_the_share_of_recent_groups_with_signal(self):
        c = VarianceCurriculum(TASKS, window=4)
        self.assertEqual(c.weights(), [1.0] * 6)
        self.assertTrue(c.record(TASKS[0], [0.0, 1.0, 0.0]))
        self.assertFalse(c.record(TASKS[1], [0.5, 0.5, 0.5]))
        self.assertFalse(c.record(TASKS[2], [1.0]))  # one sample: no variance to speak of
        self.assertEqual(c.weight(0), 1.0)
        self.assertAlmostEqual(c.weight(1), FLOOR)
        c.record(TASKS[1], [0.0, 0.2])
        self.assertAlmostEqual(c.weight(1), FLOOR + (1 - FLOOR) / 2)
        # Only the last `window` groups count: four groups without signal push the earlier one out.
        for _ in range(4):
            c.record(TASKS[0], [1.0, 1.0])
        self.assertAlmostEqual(c.weight(0), FLOOR)
        self.assertEqual(c.table()[0], {"gym": "function", "task_id": "func-1", "weight": c.weight(0), "recent": [False] * 4})

    def test_unknown_tasks_are_ignored_and_bad_settings_refused(self):
        c = VarianceCurriculum(TASKS)
        c.record(("function", "nope"), [0.0, 1.0])
        self.assertEqual(c.weights(), [1.0] * 6)
        with self.assertRaises(ValueError):
            VarianceCurriculum(TASKS, floor=0)


class Sampler(unittest.TestCase):
    def test_trl_layout_distinct_tasks_per_batch_and_the_same_length(self):
        c = VarianceCurriculum(TASKS)
        s = CurriculumSampler(c, mini_repeat_count=2, batch_size=3, repeat_count=2, seed=1)
        order = list(s)
        self.assertEqual(len(order), len(s))
        self.assertEqual(len(s), 2 * 3 * 2 * 2)  # 6 tasks // 3 per batch = 2 batches per epoch
        first = order[:12]
        chunk = first[0:6:2]
        self.assertEqual(len(set(chunk)), 3)
        self.assertEqual(first, [i for _ in range(2) for i in chunk for _ in range(2)])

    def test_tasks_with_signal_are_drawn_more_often(self):
        c = VarianceCurriculum(TASKS)
        for t in TASKS[:3]:
            c.record(t, [0.0, 1.0])  # signal
        for t in TASKS[3:]:
            c.record(t, [1.0, 1.0])  # zero variance
        s = CurriculumSampler(c, mini_repeat_count=1, batch_size=1, seed=0)
        counts = Counter(i for _ in range(500) for i in s)
        with_signal = sum(counts[i] for i in range(3))
        without = sum(counts[i] for i in range(3, 6))
        # Expected ratio 1 : 0.1, so about 91% of the draws.
        self.assertGreater(with_signal / (with_signal + without), 0.85)
        self.assertGreater(without, 0)  # rare, never excluded

    def test_each_draw_reads_the_weights_as_they_are_then(self):
        c = VarianceCurriculum(TASKS[:2])
        s = CurriculumSampler(c, mini_repeat_count=1, batch_size=1, seed=3)
        for _ in range(4):
            c.record(TASKS[0], [0.0, 0.0])
        c.record(TASKS[1], [0.0, 1.0])
        later = Counter(s.draw()[0] for _ in range(400))
        self.assertGreater(later[1], 5 * later[0])

    def test_a_batch_larger_than_the_task_list_is_refused(self):
        with self.assertRaises(ValueError):
            CurriculumSampler(VarianceCurriculum(TASKS[:2]), mini_repeat_count=2, batch_size=3)


if __name__ == "__main__":
    unittest.main()
