"""How many torch threads a run uses while it trains: all free cores, one less per busy one.

OpenMP threads spin while they wait for each other, so when another program holds a core
the run's second thread mostly waits for a core it cannot get: on 2 cores beside one busy
process, 2 threads ran at 0.32x their idle speed and 1 thread at 0.82x
(``bench/threads_under_load.py``). Sleeping instead of spinning (``OMP_WAIT_POLICY=PASSIVE``)
helps less and costs ~9% on an idle machine. So the run keeps torch's default while the
machine is otherwise idle and drops a thread for each core that other programs keep busy,
measured every second from ``/proc/stat`` (Linux; elsewhere the count is left
alone). A user's ``--threads N`` is obeyed as given.
"""

from __future__ import annotations

import os
import time
from contextlib import contextmanager

INTERVAL_S = 1.0  # how often the load is read: a thread is given back at once, taken
# again only when two readings agree (a busy spell is not a blip)

_governor: ThreadGovernor | None = None


def _cpus() -> list[int]:
    try:
        return sorted(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return list(range(os.cpu_count() or 1))


def _busy_seconds(cpus: list[int]) -> float | None:
    """CPU seconds the given cores have spent busy since boot, or None where unknown."""
    try:
        with open("/proc/stat", encoding="ascii") as stat:
            lines = stat.readlines()
    except OSError:
        return None
    wanted = {f"cpu{n}" for n in cpus}
    ticks = 0
    for line in lines:
        fields = line.split()
        if fields and fields[0] in wanted:
            # user nice system idle iowait irq softirq steal: all but idle and iowait are busy
            values = [int(v) for v in fields[1:9]]
            ticks += sum(values) - values[3] - values[4]
    return ticks / os.sysconf("SC_CLK_TCK")


class ThreadGovernor:
    """Sets torch's thread count from how busy the other programs keep this run's cores."""

    def __init__(self, max_threads: int, interval_s: float = INTERVAL_S) -> None:
        import torch

        self._torch = torch
        self.cpus = _cpus()
        self.max_threads = max(1, min(max_threads, len(self.cpus)))
        self.interval_s = interval_s
        self.threads = self.max_threads
        self._pending: int | None = None
        self._last = self._reading()

    def _reading(self) -> tuple[float, float, float | None]:
        return time.monotonic(), time.process_time(), _busy_seconds(self.cpus)

    def others(self, previous, now) -> float | None:
        """Cores that other programs kept busy between two readings."""
        (t0, own0, busy0), (t1, own1, busy1) = previous, now
        if busy0 is None or busy1 is None or t1 <= t0:
            return None
        return max(0.0, (busy1 - busy0) - (own1 - own0)) / (t1 - t0)

    def adjust(self) -> None:
        """Called between training steps; cheap until ``interval_s`` has passed."""
        if time.monotonic() - self._last[0] < self.interval_s:
            return
        now = self._reading()
        others = self.others(self._last, now)
        self._last = now
        if others is None:
            return
        target = max(1, min(self.max_threads, int(len(self.cpus) - others + 0.5)))
        if target < self.threads or target == self._pending != self.threads:
            self.threads, self._pending = target, None
            self._torch.set_num_threads(target)
        else:
            self._pending = target if target > self.threads else None


@contextmanager
def governed(max_threads: int):
    """Inside, :func:`adjust` keeps the thread count in step with the machine's load."""
    global _governor
    import torch

    previous, outer = torch.get_num_threads(), _governor
    _governor = ThreadGovernor(max_threads) if max_threads > 1 else None
    try:
        yield _governor
    finally:
        _governor = outer
        torch.set_num_threads(previous)


def adjust() -> None:
    """Between training steps: follow the load if a run is governed, else nothing."""
    if _governor is not None:
        _governor.adjust()
