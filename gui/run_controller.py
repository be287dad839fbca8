"""The one owner of a training run in the window: start, pause, stop, and its events.

The window wires it to the panel and the tabs; it never touches a widget itself. Settings
are checked once (engine.experiment.check) before the run starts, so a bad setting is a
message at once and nothing is recorded.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Signal

from transfer_explorer.engine import events as ev
from transfer_explorer.engine.config import ExperimentConfig
from transfer_explorer.engine.errors import UserError
from transfer_explorer.gui.worker import EngineJob, WorkerError


class RunController(QObject):
    started = Signal(object)  # the checked Experiment
    events = Signal(list)  # a batch of engine events (GUI thread, ≤ 25/s)
    error = Signal(str, str)  # message, details (a traceback, or "")
    finished = Signal(object)  # RunResult, or None when nothing was recorded
    state_changed = Signal(bool, bool)  # running, paused

    def __init__(self, db: str | Path, cache: str | None = None, parent=None):
        super().__init__(parent)
        self.db, self.cache = str(db), cache
        self.job: EngineJob | None = None
        self.experiment = None

    @property
    def running(self) -> bool:
        return self.job is not None and self.job.running

    @property
    def paused(self) -> bool:
        return self.running and self.job.control.paused

    @property
    def config(self) -> ExperimentConfig | None:
        return self.experiment.config if self.experiment is not None else None

    def start(self, config: ExperimentConfig) -> bool:
        from transfer_explorer.engine.experiment.checks import check

        if self.running:
            return False
        try:
            experiment = check(config)
        except UserError as exc:
            self.error.emit(str(exc), "")
            return False
        from transfer_explorer.engine.experiment.runner import run_experiment

        db, cache = self.db, self.cache
        self.experiment = experiment
        self.job = EngineJob(
            lambda emit, control: run_experiment(
                experiment, emit=emit, control=control, db=db, cache=cache
            ),
            self,
        )
        self.job.events.connect(self._on_events)
        self.job.failed.connect(self._on_failed)
        self.job.done.connect(self._on_done)
        self.started.emit(experiment)
        self.job.start()
        self.state_changed.emit(True, False)
        return True

    def toggle_pause(self) -> None:
        if not self.running:
            return
        if self.job.control.paused:
            self.job.resume()
        else:
            self.job.pause()
        self.state_changed.emit(True, self.job.control.paused)

    def stop(self) -> None:
        if self.running:
            self.job.stop()

    def shutdown(self) -> None:
        """The window closes: stop the run and wait for its thread (nothing half-written)."""
        if self.job is not None:
            self.job.stop_and_wait()

    # ---- from the job ---------------------------------------------------------------------
    def _on_events(self, batch: list) -> None:
        self.events.emit(batch)
        for event in batch:  # a failure inside a recorded run: the same banner
            if isinstance(event, ev.RunFailed):
                message = self.tr("Run {run} failed: {error}").format(
                    run=event.run_id, error=event.error
                )
                self.error.emit(message, event.traceback)

    def _on_failed(self, error: WorkerError) -> None:
        self.error.emit(error.message, error.details)

    def _on_done(self, result) -> None:
        self.state_changed.emit(False, False)
        self.finished.emit(result)
