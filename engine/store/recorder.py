"""Writes engine events into the store; metric rows are buffered and flushed about once a second.

A database can refuse writes in the middle of a run: another program holds its lock, or the
disk is full. Writes are kept as plain entries, in order, and tried again at the next flush;
nothing is dropped. If the database still refuses them after :data:`GIVE_UP_S` (or at once
when the disk is full) the run fails with a one-line reason, and what could not be written
is saved beside the database and applied the next time it is opened.
"""

from __future__ import annotations

import sqlite3
import time
from typing import Any

from transfer_explorer.engine import events as ev
from transfer_explorer.engine.i18n import _
from transfer_explorer.engine.store.database import (
    Store,
    StoreError,
    db_error_kind,
    describe_db_error,
    now,
)

FLUSH_SECONDS = 1.0
RETRY_SECONDS = 5.0  # between tries while the database refuses writes
RETRY_WAIT_S = 1.0  # how long a retry waits for the lock (training goes on in between)
GIVE_UP_S = 60.0  # a run whose records cannot be written for this long fails


class Recorder:
    def __init__(self, store: Store, run_id: int):
        self.store, self.run_id = store, run_id
        self.buffer: list[dict] = []  # metric rows not yet handed to the store
        self.pending: list[tuple[str, Any]] = []  # entries the store has not taken yet
        self.last_flush = time.monotonic()
        self.failing_since: float | None = None
        self.disk_full = False  # the last refusal was a full disk (no point waiting)
        self.next_try = 0.0
        self.ending = False  # once the run is ending, refused writes wait for close()
        self.stages: dict[str, dict] = {}

    def __call__(self, event: ev.Event) -> None:
        if isinstance(event, ev.Step):
            self._metric(event.stage, event.step, event.epoch, "loss", event.loss)
            self._metric(event.stage, event.step, event.epoch, "lr", event.lr)
            self._metric(
                event.stage, event.step, event.epoch, "examples_per_s", event.examples_per_s
            )
            if time.monotonic() - self.last_flush > FLUSH_SECONDS:
                self.flush()
            return
        if isinstance(event, ev.Eval):
            prefix = f"{event.split}_" + ("final_" if event.final else "")
            for name, value in event.metrics.items():
                self._metric(event.stage, event.step, event.epoch, prefix + name, value)
            if event.predictions:
                self._take_metrics()
                self.pending.append(
                    (
                        "predictions",
                        {
                            "stage": event.stage,
                            "split": event.split,
                            "step": event.step,
                            "rows": [
                                {
                                    "pair": i,
                                    "sentence1": p.sentence1,
                                    "sentence2": p.sentence2,
                                    "gold": p.gold,
                                    "pred": p.pred,
                                }
                                for i, p in enumerate(event.predictions)
                            ],
                        },
                    )
                )
            self.flush()
        elif isinstance(event, ev.StageStarted):
            self.stages[event.stage] = {"total_steps": event.total_steps, "cached": event.cached}
        elif isinstance(event, ev.StageFinished):
            self.stages.setdefault(event.stage, {}).update(
                seconds=round(event.seconds, 3), cached=event.cached, metrics=event.metrics
            )
            self._take_metrics()
            self.pending.append(("run", {"stages": dict(self.stages)}))
            self.flush()
        elif isinstance(event, ev.Log):
            self._take_metrics()
            self.pending.append(
                ("log", {"time": now(), "level": event.level, "message": event.message})
            )
            self.flush()
        # RunFinished / RunFailed: close() writes the end of the run

    def _metric(self, stage: str, step: int, epoch: int, name: str, value: float) -> None:
        self.buffer.append(
            {"stage": stage, "step": step, "epoch": epoch, "name": name, "value": float(value)}
        )

    def _take_metrics(self) -> None:
        """Metric rows join the queue here, so every write keeps its order."""
        if self.buffer:
            self.pending.append(("metrics", self.buffer))
            self.buffer = []

    def flush(self) -> None:
        """Hand what is queued to the store; raises :class:`StoreError` once it has refused
        for too long (the run then fails with that reason)."""
        self.last_flush = time.monotonic()
        self._take_metrics()
        if not self.pending or self.last_flush < self.next_try:
            return
        reason = self._try_write(wait_s=RETRY_WAIT_S if self.failing_since else None)
        if reason is None:
            return
        if self.failing_since is None:
            self.failing_since = self.last_flush
        if not self.ending and (self.disk_full or self.last_flush - self.failing_since > GIVE_UP_S):
            raise StoreError(_("{reason}; the run cannot be recorded").format(reason=reason))
        self.next_try = self.last_flush + RETRY_SECONDS

    def _try_write(self, wait_s: float | None = None) -> str | None:
        """Write every queued entry in one transaction; the reason when the store refused."""
        try:
            self.store.write(self.run_id, self.pending, wait_s)
        except (sqlite3.Error, OSError) as exc:
            reason = describe_db_error(exc)
            if reason is None:
                raise
            self.disk_full = db_error_kind(exc) in ("disk_full", "db_full")
            return reason
        self.pending = []
        self.failing_since = None
        return None

    def close(self, status: str, **fields) -> str | None:
        """Record the run's final state; always called, whatever ended the run.

        Returns None when it was written, else why not — the entries are then kept beside
        the database (see :meth:`Store.keep_unsaved`) and written at its next open."""
        self.ending = True
        self._take_metrics()
        self.pending.append(
            ("run", {"status": status, "finished_at": now(), "stages": self.stages, **fields})
        )
        reason = self._try_write()  # (a full wait for the lock: this one matters most)
        if reason is not None:
            kept = self.store.keep_unsaved(self.run_id, self.pending)
            if kept is not None:
                reason = _(
                    "{reason}; its records are kept in {path} until the database can be written"
                ).format(reason=reason, path=kept)
        return reason
