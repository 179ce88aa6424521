"""``--curriculum variance``: draw the tasks whose recent GRPO groups carried a gradient more often.

A group whose samples all scored the same has zero advantage everywhere: its generation, judging and
back-propagation buy nothing. The curriculum remembers, per task, whether each of its last ``window`` groups had
a non-zero spread of scores, and weighs the task ``floor + (1 - floor) * share`` of those that did; a task not
played yet weighs 1 (explore first). Each generation batch then draws its distinct tasks without replacement with
probability proportional to the weights (``CurriculumSampler``), keeping TRL's layout: every task repeated
``num_generations`` times in a row, the batch repeated for each step it feeds. The data loader reads one batch
ahead, so a draw may not yet see the groups of the generation just played.
"""

from __future__ import annotations

from collections import deque
from typing import Iterable, Iterator, Sequence

import torch
from torch.utils.data import Sampler

#: Groups remembered per task.
WINDOW = 4
#: The weight of a task whose remembered groups all had zero variance: rare, never excluded (policies change).
FLOOR = 0.1


class VarianceCurriculum:
    """Per-task memory of recent groups: ``record`` after each credit request, ``weights`` for the next draw."""

    def __init__(self, tasks: Sequence[tuple[str, str]], window: int = WINDOW, floor: float = FLOOR):
        if window < 1 or not 0 < floor <= 1:
            raise ValueError(f"curriculum: window must be ≥ 1 and floor in (0, 1] (got {window}, {floor})")
        self.index = {key: i for i, key in enumerate(tasks)}
        self.floor = floor
        self._recent: list[deque] = [deque(maxlen=window) for _ in tasks]

    def __len__(self) -> int:
        return len(self._recent)

    def record(self, task: tuple[str, str], scores: Iterable[float]) -> bool:
        """Remember one group of ``task`` (its samples' scores); returns whether it had a non-zero variance."""
        values = list(scores)
        signal = len(values) > 1 and any(x != values[0] for x in values)
        i = self.index.get(task)
        if i is not None:
            self._recent[i].append(signal)
        return signal

    def weight(self, i: int) -> float:
        recent = self._recent[i]
        if not recent:
            return 1.0
        return self.floor + (1.0 - self.floor) * sum(recent) / len(recent)

    def weights(self) -> list[float]:
        return [self.weight(i) for i in range(len(self._recent))]

    def table(self) -> list[dict]:
        """Per task: its gym, id, weight and remembered groups (true: it had signal), for the run's records."""
        return [{"gym": g, "task_id": t, "weight": self.weight(i), "recent": list(self._recent[i])} for (g, t), i in self.index.items()]


class CurriculumSampler(Sampler):
    """TRL's ``RepeatSampler`` layout, with each batch's distinct tasks drawn by the curriculum's current weights.

    An epoch has as many batches as the uniform sampler's (``len(tasks) // batch_size``), so the trainer's step
    arithmetic is unchanged; a task may appear in several batches of an epoch, or in none.
    """

    def __init__(self, curriculum: VarianceCurriculum, mini_repeat_count: int, batch_size: int = 1, repeat_count: int = 1, seed: int | None = None):
        if batch_size > len(curriculum):
            raise ValueError(f"curriculum: a batch of {batch_size} distinct tasks needs at least that many tasks (got {len(curriculum)})")
        self.curriculum = curriculum
        self.mini_repeat_count = mini_repeat_count
        self.batch_size = batch_size
        self.repeat_count = repeat_count
        self.generator = torch.Generator()
        if seed is not None:
            self.generator.manual_seed(seed)

    def draw(self) -> list[int]:
        """One batch of distinct task indices, drawn by the weights as they are now."""
        w = torch.tensor(self.curriculum.weights(), dtype=torch.float64)
        return torch.multinomial(w, self.batch_size, replacement=False, generator=self.generator).tolist()

    def __iter__(self) -> Iterator[int]:
        for _ in range(len(self.curriculum) // self.batch_size):
            chunk = self.draw()  # drawn lazily: each batch sees the groups recorded so far
            for _ in range(self.repeat_count):
                for index in chunk:
                    for _ in range(self.mini_repeat_count):
                        yield index

    def __len__(self) -> int:
        return (len(self.curriculum) // self.batch_size) * self.batch_size * self.mini_repeat_count * self.repeat_count
