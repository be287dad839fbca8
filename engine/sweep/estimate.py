"""How long a sweep has left, from the cells it has finished.

Cells differ ~20× in cost (a frozen encoder on 10% of the data against a fine-tune on all
of it) and the longest go first, so counting cells would promise the end far too late at
the start and too early near it. Each cell's work is planned from its data's sizes
(engine.eval_plan); the seconds finished cells took (less their tokenizer's and upstream's,
which later cells find cached) are fitted as a fixed cost per cell plus a cost per unit of
work; the cells not finished are predicted with that fit, those in flight less the time
they have run, and shared among the workers (no sooner than the longest can end).
"""

from __future__ import annotations

import time
from collections.abc import Callable

from transfer_explorer.engine import events as ev
from transfer_explorer.engine.i18n import _


class SweepEta:
    """Feed it a sweep's events; ``remaining()`` gives seconds left, or None while unknown."""

    def __init__(self, clock: Callable[[], float] = time.monotonic):
        self.clock = clock
        self.work: tuple[float, ...] = ()
        self.workers = 1
        self.running: dict[int, float] = {}  # cell index -> when it started
        self.took: dict[int, float] = {}  # cell index -> its downstream's seconds
        self.ended: set[int] = set()  # finished, failed or stopped: no work left

    def update(self, event) -> None:
        if isinstance(event, ev.SweepStarted):
            self.work, self.workers = event.work, max(1, event.workers)
            self.running, self.took, self.ended = {}, {}, set()
        elif isinstance(event, ev.CellStarted):
            self.running[event.index] = self.clock()
        elif isinstance(event, ev.CellFinished):
            self.running.pop(event.index, None)
            self.ended.add(event.index)
            if event.status == "finished" and event.index < len(self.work):
                self.took[event.index] = max(0.0, event.seconds - event.setup_seconds)

    def remaining(self) -> float | None:
        if not self.took:
            return None
        fixed, per_work = self._fit()
        now, cells = self.clock(), []
        for index, work in enumerate(self.work):
            if work <= 0 or index in self.ended:
                continue
            predicted = fixed + per_work * work
            if index in self.running:
                predicted = max(0.0, predicted - (now - self.running[index]))
            cells.append(predicted)
        # shared among the workers, but no sooner than the longest cell left can end
        return max(sum(cells) / self.workers, max(cells, default=0.0))

    def _fit(self) -> tuple[float, float]:
        """(seconds per cell, seconds per unit of work): least squares over the finished
        cells, or proportional to work while their work does not vary enough to tell."""
        works = [self.work[i] for i in self.took]
        seconds = list(self.took.values())
        n = len(works)
        mean_w, mean_s = sum(works) / n, sum(seconds) / n
        spread = sum((w - mean_w) ** 2 for w in works)
        if n >= 2 and spread > 1e-9 * max(mean_w, 1.0) ** 2:
            slope = sum((w - mean_w) * (s - mean_s) for w, s in zip(works, seconds)) / spread
            fixed = mean_s - slope * mean_w
            if slope >= 0 and fixed >= 0:
                return fixed, slope
        return 0.0, sum(seconds) / max(sum(works), 1e-9)


def format_duration(seconds: float) -> str:
    """'a few seconds', 'about 40 s', 'about 12 min', 'about 1 h 05 min' — an estimate,
    said as one."""
    seconds = max(0.0, seconds)
    if seconds < 10:
        return _("a few seconds")
    if seconds < 60:
        return _("about {seconds} s").format(seconds=round(seconds / 10) * 10)
    minutes = round(seconds / 60)
    if minutes < 60:
        return _("about {minutes} min").format(minutes=minutes)
    return _("about {hours} h {minutes:02d} min").format(hours=minutes // 60, minutes=minutes % 60)
