"""The Playground's models: loaded on demand, kept in a small LRU cache, scored off the GUI thread.

No widgets here (only Qt's translations of the messages, which any thread may read).
:class:`ScorerCache` is shared by the GUI thread and the Playground's worker
threads; :func:`score_pair` and :func:`score_pairs` are the generators those workers run
(one result or progress step per ``yield``, so a worker can stop between them).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Generator
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QCoreApplication

from transfer_explorer.engine.errors import UserError

KEEP_MODELS = 4  # models kept loaded beyond the ticked ones (a MiniLM model is ~90 MB)


class ScorerCache:
    """run id → loaded :class:`engine.predict.Scorer`, least recently used evicted first.

    At most ``max(keep, pinned)`` models stay loaded, so ticking more runs than ``keep``
    does not reload a model at every keystroke. A run whose model cannot load is remembered
    (its message, not retried) until :meth:`retry`; a forgotten (deleted) run is never
    loaded again, even by a worker that was loading it at that moment.
    """

    def __init__(self, keep: int = KEEP_MODELS, load: Callable[[str], object] | None = None):
        self.keep = keep
        self.pinned = 0
        self._load = load or _load_scorer
        self._models: OrderedDict[int, object] = OrderedDict()
        self._failed: dict[int, str] = {}
        self._gone: set[int] = set()
        self._loading: dict[int, threading.Lock] = {}
        self._lock = threading.Lock()

    def get(self, run_id: int, folder: str | Path):
        """The run's scorer, loading it if needed; UserError when it cannot load."""
        with self._lock:
            found = self._lookup(run_id)
            if found is not None:
                return found
            load_lock = self._loading.setdefault(run_id, threading.Lock())
        with load_lock:  # two threads asking for one model load it once
            with self._lock:
                found = self._lookup(run_id)
                if found is not None:
                    return found
            try:
                scorer = self._load(folder)
            except Exception as exc:  # noqa: BLE001 — any failure is this run's, not the app's
                message = QCoreApplication.translate(
                    "ScorerCache", "run {run}: cannot load its model ({reason})"
                ).format(run=run_id, reason=_reason(exc))
                with self._lock:
                    self._failed[run_id] = message
                raise UserError(message) from None
            with self._lock:
                if run_id in self._gone:
                    raise UserError(
                        QCoreApplication.translate("ScorerCache", "run {run} was deleted").format(
                            run=run_id
                        )
                    )
                self._models[run_id] = scorer
                self._evict()
            return scorer

    def _lookup(self, run_id: int):
        if run_id in self._gone:
            raise UserError(
                QCoreApplication.translate("ScorerCache", "run {run} was deleted").format(
                    run=run_id
                )
            )
        if run_id in self._failed:
            raise UserError(self._failed[run_id])
        if run_id in self._models:
            self._models.move_to_end(run_id)
            return self._models[run_id]
        return None

    def _evict(self) -> None:
        while len(self._models) > max(self.keep, self.pinned):
            self._models.popitem(last=False)

    def pin(self, count: int) -> None:
        """Keep at least ``count`` models (the ticked runs) loaded."""
        with self._lock:
            self.pinned = count
            self._evict()

    def failed(self, run_id: int) -> str:
        """Why the run's model could not load ("" if it did not fail)."""
        with self._lock:
            return self._failed.get(run_id, "")

    def retry(self, run_id: int) -> None:
        """Try loading a run that failed again (its files may be back)."""
        with self._lock:
            self._failed.pop(run_id, None)

    def forget(self, run_id: int) -> None:
        """A deleted run: drop its model and never load it again."""
        with self._lock:
            self._gone.add(run_id)
            self._models.pop(run_id, None)
            self._failed.pop(run_id, None)

    def loaded(self) -> list[int]:
        """Run ids with a loaded model, least recently used first."""
        with self._lock:
            return list(self._models)

    def __contains__(self, run_id) -> bool:
        with self._lock:
            return run_id in self._models

    def __len__(self) -> int:
        with self._lock:
            return len(self._models)


def _load_scorer(folder: str | Path):
    from transfer_explorer.engine.saved.predict import (
        Scorer,
    )  # torch: imported when a model is first needed

    return Scorer(folder)


def _scoring_failed(run_id: int, exc: BaseException) -> str:
    return QCoreApplication.translate("ScorerCache", "run {run}: scoring failed ({reason})").format(
        run=run_id, reason=_reason(exc)
    )


def _reason(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0][:300] if text else type(exc).__name__


# ---- what the workers yield ----------------------------------------------------------------
@dataclass(frozen=True)
class RunScore:
    """One run's score of the typed pair (``error`` set instead when it could not score)."""

    run_id: int
    score: float = float("nan")  # on the run's own scale (class index for classification)
    share: float = float("nan")  # where the score lies on that scale, 0–1
    cosine: float = float("nan")  # NaN for a cross-encoder
    label: str = ""  # class name (classification)
    low: float = 0.0
    high: float = 1.0
    error: str = ""
    load_failed: bool = False  # the error: its model could not load

    def text(self) -> str:
        """'3.12 / 5', or the class name."""
        if self.error:
            return "–"
        return self.label or f"{self.score:.2f} / {self.high:g}"


@dataclass(frozen=True)
class Progress:
    index: int  # which run of the batch (0-based)
    run_id: int
    done: int
    total: int


@dataclass(frozen=True)
class RunScores:
    """All pasted pairs scored by one run (in input order), or why it could not score."""

    index: int
    run_id: int
    scores: list | None = None  # engine.predict.PairScore per pair
    low: float = 0.0
    high: float = 1.0
    error: str = ""


def score_pair(
    cache: ScorerCache, runs: list[tuple[int, str]], pair: tuple[str, str]
) -> Generator[RunScore, None, None]:
    """Score one pair with each run in turn, yielding each run's result as it comes."""
    for run_id, folder in runs:
        try:
            scorer = cache.get(run_id, folder)
        except UserError as exc:
            yield RunScore(run_id, error=str(exc), load_failed=bool(cache.failed(run_id)))
            continue
        try:
            result = scorer.score([pair])[0]
        except Exception as exc:  # noqa: BLE001 — reported per run; the others still score
            yield RunScore(run_id, error=_scoring_failed(run_id, exc))
            continue
        yield RunScore(
            run_id,
            result.score,
            scorer.share(result),
            result.cosine,
            result.label,
            scorer.low,
            scorer.high,
        )


def score_pairs(
    cache: ScorerCache, runs: list[tuple[int, str]], pairs: list[tuple[str, str]]
) -> Generator[Progress | RunScores, None, None]:
    """Score all pairs with each run in turn: progress after every batch, then its scores."""
    for index, (run_id, folder) in enumerate(runs):
        yield Progress(index, run_id, 0, len(pairs))
        try:
            scorer = cache.get(run_id, folder)
        except UserError as exc:
            yield RunScores(index, run_id, error=str(exc))
            continue
        scoring = scorer.iter_scores(pairs)
        try:
            while True:
                done, total = next(scoring)
                yield Progress(index, run_id, done, total)
        except StopIteration as finished:
            yield RunScores(index, run_id, finished.value, scorer.low, scorer.high)
        except Exception as exc:  # noqa: BLE001 — reported per run; the others still score
            yield RunScores(index, run_id, error=_scoring_failed(run_id, exc))
