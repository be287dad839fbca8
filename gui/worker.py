"""One way to run engine work off the GUI thread: :class:`EngineJob`.

The engine call runs on a QThread and reports through a plain ``emit`` that appends to a
deque; a timer on the GUI thread drains it and hands each batch of events to whoever
listens (≤ 25 batches/s), so no widget is touched off the GUI thread. A single run and a
sweep both use it; their errors arrive the same way, as a :class:`WorkerError`.
"""

from __future__ import annotations

import traceback
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject, QThread, QTimer, Signal

from transfer_explorer.engine import RunControl, UserError

DRAIN_INTERVAL_MS = 40


@dataclass(frozen=True)
class WorkerError:
    """A failure before anything was recorded (bad file, impossible settings) or a crash."""

    message: str
    details: str = ""
    user_error: bool = True


class _Thread(QThread):
    def __init__(
        self,
        call: Callable[[Callable, RunControl], Any],
        control: RunControl,
        events: deque,
        parent=None,
    ):
        super().__init__(parent)
        self.call, self.control, self.events = call, control, events
        self.result: Any = None
        self.error: WorkerError | None = None

    def run(self) -> None:  # on the worker thread
        try:
            self.result = self.call(self.events.append, self.control)
        except UserError as exc:
            self.error = WorkerError(str(exc))
        except Exception as exc:  # never let an exception escape a QThread silently
            self.error = WorkerError(
                str(exc) or type(exc).__name__, traceback.format_exc(), user_error=False
            )


class EngineJob(QObject):
    """``call(emit, control)`` on a worker thread; its events reach the GUI thread in batches.

    Signals (all on the GUI thread): ``events(list)`` per timer tick with something new,
    ``failed(WorkerError)`` when the call raised, ``done(result)`` once at the very end
    (None when it failed). Pause, resume and stop are cooperative (:class:`RunControl`).
    """

    events = Signal(list)
    failed = Signal(object)
    done = Signal(object)

    def __init__(
        self,
        call: Callable[[Callable, RunControl], Any],
        parent=None,
        interval_ms: int = DRAIN_INTERVAL_MS,
    ):
        super().__init__(parent)
        self.control = RunControl()
        self._queue: deque = deque()  # deque.append / popleft are thread-safe
        self._thread = _Thread(call, self.control, self._queue)
        self._thread.finished.connect(self._finished)
        self._timer = QTimer(self, interval=interval_ms)
        self._timer.timeout.connect(self.drain)
        self._ended = False

    def start(self) -> None:
        self._thread.start()
        self._timer.start()

    @property
    def running(self) -> bool:
        return self._thread.isRunning()

    @property
    def result(self) -> Any:
        return self._thread.result

    def pause(self) -> None:
        self.control.pause()

    def resume(self) -> None:
        self.control.resume()

    def stop(self) -> None:
        self.control.stop()

    def stop_and_wait(self) -> None:
        """Stop and wait for the thread, without reporting anything more (closing)."""
        self._ended = True
        self._timer.stop()
        if self._thread.isRunning():
            self.control.stop()
            self._thread.wait()

    def drain(self, limit: int = 10_000) -> None:
        batch = []
        while self._queue and len(batch) < limit:
            batch.append(self._queue.popleft())
        if batch and not self._ended:
            self.events.emit(batch)

    def _finished(self) -> None:
        self._timer.stop()
        if self._ended:
            return
        while self._queue:  # whatever arrived after the last tick
            self.drain()
        self._ended = True
        if self._thread.error is not None:
            self.failed.emit(self._thread.error)
        self.done.emit(self._thread.result)


def sweep_job(
    sweep, db, cache: str | None, data_root: str | None, workers: int, parent
) -> EngineJob:
    """``engine.sweep.run_sweep`` on a worker thread: the Matrix tab's sweeps and the
    Lesson's steps."""
    from transfer_explorer.engine.sweep.execute import run_sweep

    return EngineJob(
        lambda emit, control: run_sweep(
            sweep,
            db=str(db),
            cache=cache,
            data_root=data_root,
            workers=workers,
            emit=emit,
            control=control,
        ),
        parent,
    )
