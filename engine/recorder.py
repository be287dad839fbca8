"""Writes engine events into the store; metric rows are buffered and flushed about once a second."""
from __future__ import annotations

import time

from engine import events as ev
from engine.store import Store, now

FLUSH_SECONDS = 1.0


class Recorder:
    def __init__(self, store: Store, run_id: int):
        self.store, self.run_id = store, run_id
        self.buffer: list[dict] = []
        self.last_flush = time.monotonic()
        self.stages: dict[str, dict] = {}

    def __call__(self, event: ev.Event) -> None:
        if isinstance(event, ev.Step):
            self._metric(event.stage, event.step, event.epoch, "loss", event.loss)
            self._metric(event.stage, event.step, event.epoch, "lr", event.lr)
            self._metric(event.stage, event.step, event.epoch, "examples_per_s",
                         event.examples_per_s)
            if time.monotonic() - self.last_flush > FLUSH_SECONDS:
                self.flush()
            return
        if isinstance(event, ev.Eval):
            prefix = f"{event.split}_" + ("final_" if event.final else "")
            for name, value in event.metrics.items():
                self._metric(event.stage, event.step, event.epoch, prefix + name, value)
            self.flush()
            if event.predictions:
                self.store.replace_predictions(self.run_id, event.stage, event.split, event.step,
                                               event.predictions)
        elif isinstance(event, ev.StageStarted):
            self.stages[event.stage] = {"total_steps": event.total_steps,
                                        "cached": event.cached}
        elif isinstance(event, ev.StageFinished):
            self.flush()
            self.stages.setdefault(event.stage, {}).update(
                seconds=round(event.seconds, 3), cached=event.cached, metrics=event.metrics)
            self.store.update_run(self.run_id, stages=self.stages)
        elif isinstance(event, ev.Log):
            self.store.add_log(self.run_id, event.level, event.message)
        elif isinstance(event, (ev.RunFinished, ev.RunFailed)):
            self.flush()

    def _metric(self, stage: str, step: int, epoch: int, name: str, value: float) -> None:
        self.buffer.append({"run_id": self.run_id, "stage": stage, "step": step, "epoch": epoch,
                            "name": name, "value": float(value)})

    def flush(self) -> None:
        if self.buffer:
            self.store.add_metrics(self.buffer)
            self.buffer = []
        self.last_flush = time.monotonic()

    def close(self, status: str, **fields) -> None:
        """Record the run's final state; always called, whatever ended the run."""
        self.flush()
        self.store.update_run(self.run_id, status=status, finished_at=now(),
                              stages=self.stages, **fields)
