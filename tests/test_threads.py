"""The thread governor: a core given back while another program keeps it busy, taken again after."""

from __future__ import annotations

import pytest
import torch

from transfer_explorer.engine.training import threads
from transfer_explorer.engine.training.threads import ThreadGovernor, governed


class Scripted(ThreadGovernor):
    """A governor whose readings say how busy the other programs were, one second at a time."""

    def __init__(self, cpus: int, others: list[float]) -> None:
        self.script, self.clock, self.own, self.busy = list(others), 0.0, 0.0, 0.0
        super().__init__(max_threads=cpus, interval_s=1.0)
        self.cpus = list(range(cpus))
        self.max_threads = self.threads = cpus

    def _reading(self):
        return self.clock, self.own, self.busy

    def second(self) -> int:
        """One second passes: this run keeps its threads busy, the others their share."""
        others = self.script.pop(0)
        self.clock += 1.0
        self.own += self.threads * 0.9
        self.busy += self.threads * 0.9 + others
        self.adjust()
        return self.threads


@pytest.fixture(autouse=True)
def keep_torch_threads():
    before = torch.get_num_threads()
    yield
    torch.set_num_threads(before)


def test_a_busy_core_is_given_back_at_once_and_taken_again_when_free_for_two_readings():
    governor = Scripted(2, [0.0, 0.1, 0.9, 1.0, 0.0, 1.0, 0.0, 0.0, 0.1])
    seen = [governor.second() for _ in range(9)]
    # idle: 2; busy: 1 at once; a single free second is a blip; two in a row: 2 again
    assert seen == [2, 2, 1, 1, 1, 1, 1, 2, 2]
    assert torch.get_num_threads() == 2


def test_two_busy_programs_on_four_cores_take_two_threads():
    governor = Scripted(4, [0.0, 2.0, 2.0, 0.4, 0.3])
    assert [governor.second() for _ in range(5)] == [4, 2, 2, 2, 4]


def test_readings_closer_than_the_interval_change_nothing():
    governor = Scripted(2, [1.0])
    governor.clock += 0.5
    governor.adjust()
    assert governor.threads == 2


def test_a_fixed_thread_count_is_not_governed_and_the_count_is_restored():
    torch.set_num_threads(2)
    with governed(0) as governor:
        assert governor is None
        threads.adjust()  # nothing to do, and no error
    with governed(2) as governor:
        assert governor is not None and governor.max_threads <= 2
        torch.set_num_threads(1)
    assert torch.get_num_threads() == 2


def test_the_busy_time_of_this_machine_is_read(tmp_path):
    seconds = threads._busy_seconds(threads._cpus())
    if seconds is None:
        pytest.skip("no /proc/stat here: the thread count is left alone")
    assert seconds > 0
