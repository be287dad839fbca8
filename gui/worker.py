"""Runs one experiment in a QThread. The engine's ``emit`` only appends to a deque; the
window drains it from a timer on the GUI thread, so no widget is touched off that thread."""
from __future__ import annotations

import traceback
from collections import deque
from dataclasses import dataclass

from PySide6.QtCore import QThread

from engine import RunControl, UserError
from engine.config import ExperimentConfig


@dataclass(frozen=True)
class WorkerError:
    """A failure before the run was recorded (bad file, impossible settings) or a crash."""
    message: str
    details: str = ""
    user_error: bool = True


class ExperimentThread(QThread):
    def __init__(self, config: ExperimentConfig, db: str, cache: str | None = None,
                 parent=None):
        super().__init__(parent)
        self.config, self.db, self.cache = config, db, cache
        self.control = RunControl()
        self.events: deque = deque()  # deque.append/popleft are thread-safe
        self.result = None

    def run(self) -> None:  # runs on the worker thread
        from engine.runner import run_experiment

        try:
            self.result = run_experiment(self.config, emit=self.events.append,
                                         control=self.control, db=self.db, cache=self.cache)
        except UserError as exc:
            self.events.append(WorkerError(str(exc)))
        except Exception as exc:  # never let an exception escape a QThread silently
            self.events.append(WorkerError(str(exc) or type(exc).__name__,
                                           traceback.format_exc(), user_error=False))

    def drain(self, limit: int = 10_000) -> list:
        out = []
        while self.events and len(out) < limit:
            out.append(self.events.popleft())
        return out
