"""Playground: tick finished runs; a typed pair is scored by each of them side by side (bars
with the cosine), and pasted pairs get one score column per run.

Models load on demand into a small LRU cache (gui.scorers) and all scoring runs off the GUI
thread: a typed pair in one short worker (its results arrive run by run; typing meanwhile
queues one more request), pasted pairs in another that shows progress and can stop.
"""

from __future__ import annotations

import csv
import io
import math
import time
from dataclasses import dataclass, field

from PySide6.QtCore import QEvent, QSignalBlocker, Qt, QThreadPool, QTimer, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)
from superqt.utils import create_worker

from transfer_explorer.engine.errors import UserError
from transfer_explorer.engine.labels import model_label, run_label
from transfer_explorer.gui.save_file import save_text
from transfer_explorer.gui.score_bars import ScoreBars, run_color
from transfer_explorer.gui.scorers import (
    KEEP_MODELS,
    Progress,
    RunScore,
    RunScores,
    ScorerCache,
    score_pair,
    score_pairs,
)
from transfer_explorer.gui.table_model import RowsModel

TYPING_DELAY_MS = 120
AUTO_TICKED = KEEP_MODELS  # select_run (a run just finished, reopened) keeps this many ticked


def short_label(run: dict) -> str:
    """'#3 sentiment/finetune' — names a bar or a score column."""
    return f"#{run['id']} {run['upstream']}/{run['method']}"


def tick_label(run: dict) -> str:
    """Two lines under a bar: id + upstream/method, then the model."""
    model = model_label(run)
    return f"{short_label(run)}\n{model if len(model) <= 24 else model[:23] + '…'}"


class RunChecklist(QListWidget):
    """Finished runs, newest first, each with a tick box. Ticked runs are kept in the order
    they were ticked; ``select`` puts a run first. ``currentData()`` — the first ticked run —
    and ``findData()`` keep the calls of the single-run chooser this replaced working."""

    ticks_changed = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self._ticked: list[int] = []
        self._runs: dict[int, dict] = {}  # run id → run, to name it again in another language
        self.setWordWrap(True)  # a long experiment wraps instead of hiding behind a scrollbar
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        self.setResizeMode(QListWidget.Adjust)
        self.itemChanged.connect(self._item_changed)

    def set_runs(self, runs: list[dict]) -> None:
        ids = [r["id"] for r in runs]
        self._runs = {r["id"]: r for r in runs}
        had_runs, had_ticks = self.count() > 0, bool(self._ticked)
        self._ticked = [i for i in self._ticked if i in ids]
        if ids and not self._ticked and (not had_runs or had_ticks):
            self._ticked = [ids[0]]  # first fill, or every ticked run is gone: the newest
        self.blockSignals(True)
        self.clear()
        for run in runs:
            item = QListWidgetItem(run_label(run))
            item.setData(Qt.UserRole, run["id"])
            item.setFlags(item.flags() | Qt.ItemIsUserCheckable)
            item.setToolTip(run_label(run))
            self.addItem(item)
        self.blockSignals(False)
        self._show_ticks()

    def retranslate(self) -> None:
        """The runs' names, in the engine's words of the language in use."""
        with QSignalBlocker(self):
            for i in range(self.count()):
                item = self.item(i)
                run = self._runs.get(item.data(Qt.UserRole))
                if run is not None:
                    item.setText(run_label(run))
                    item.setToolTip(run_label(run))

    def changeEvent(self, event) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def ticked(self) -> list[int]:
        return list(self._ticked)

    def set_ticked(self, run_ids: list[int]) -> None:
        present = {self.item(i).data(Qt.UserRole) for i in range(self.count())}
        self._ticked = [i for i in dict.fromkeys(run_ids) if i in present]
        self._show_ticks()
        self.ticks_changed.emit()

    def select(self, run_id: int, keep: int = AUTO_TICKED) -> None:
        """Tick ``run_id`` and put it first; keep at most ``keep`` ticked."""
        if self.findData(run_id) >= 0:
            self.set_ticked(([run_id] + [i for i in self._ticked if i != run_id])[:keep])

    def remove(self, run_id: int) -> None:
        row = self.findData(run_id)
        if row >= 0:
            self.blockSignals(True)
            self.takeItem(row)
            self.blockSignals(False)
        if run_id in self._ticked:
            self._ticked.remove(run_id)
            self._show_ticks()
            self.ticks_changed.emit()

    def currentData(self):
        return self._ticked[0] if self._ticked else None

    def findData(self, run_id) -> int:
        return next(
            (i for i in range(self.count()) if self.item(i).data(Qt.UserRole) == run_id), -1
        )

    def _item_changed(self, item: QListWidgetItem) -> None:
        run_id = item.data(Qt.UserRole)
        if item.checkState() == Qt.Checked and run_id not in self._ticked:
            self._ticked.append(run_id)
        elif item.checkState() != Qt.Checked and run_id in self._ticked:
            self._ticked.remove(run_id)
        else:
            return
        self._show_ticks()
        self.ticks_changed.emit()

    def _show_ticks(self) -> None:
        """Tick boxes, and each ticked run's bar colour as a swatch beside its name."""
        self.blockSignals(True)
        for i in range(self.count()):
            item = self.item(i)
            run_id = item.data(Qt.UserRole)
            ticked = run_id in self._ticked
            item.setCheckState(Qt.Checked if ticked else Qt.Unchecked)
            item.setData(
                Qt.DecorationRole,  # an empty swatch keeps the names aligned
                QColor(run_color(self._ticked.index(run_id)) if ticked else Qt.transparent),
            )
        self.blockSignals(False)


class ScoresModel(RowsModel):
    """Pasted pairs: two sentences, then one score per run; a score's tooltip has the cosine."""

    def __init__(self, parent=None):
        super().__init__(["sentence 1", "sentence 2", "score"], parent)  # PlaygroundTab names them
        self.cosines: dict[int, list[float]] = {}  # column → cosine per row (input order)

    def data(self, index, role=Qt.DisplayRole):
        if role == Qt.ToolTipRole and index.isValid() and index.column() in self.cosines:
            cosine = self.cosines[index.column()][self._order[index.row()]]
            if math.isnan(cosine):
                return None
            return self.tr("cosine of the sentence vectors {cosine:+.3f}").format(cosine=cosine)
        return super().data(index, role)


@dataclass
class _Batch:
    pairs: list[tuple[str, str]]
    runs: list[dict]
    skipped: int  # pasted lines without a tab
    started: float = field(default_factory=time.perf_counter)
    scores: dict[int, RunScores] = field(default_factory=dict)  # run id → its scores / error


class PlaygroundTab(QWidget):
    error = Signal(str)  # a model that cannot load, scoring that failed (one per run)

    def __init__(self, parent=None):
        super().__init__(parent)
        # a typed pair must not queue behind a pasted batch (or the Data tab) on a 2-core CPU
        pool = QThreadPool.globalInstance()
        pool.setMaxThreadCount(max(pool.maxThreadCount(), 4))
        layout = QVBoxLayout(self)

        self.runs_box = runs_box = QGroupBox()  # every word: retranslate()
        inner = QVBoxLayout(runs_box)
        self.runs_hint = hint = QLabel()
        hint.setWordWrap(True)
        self.run_choice = RunChecklist()
        inner.addWidget(hint)
        inner.addWidget(self.run_choice, 1)

        self.pair_box = pair_box = QGroupBox()
        inner = QVBoxLayout(pair_box)
        self.sentence1 = QLineEdit()
        self.sentence2 = QLineEdit()
        inner.addWidget(self.sentence1)
        inner.addWidget(self.sentence2)
        self.score_label = QLabel("–")  # the scores as text, first ticked run first
        self.score_label.setStyleSheet("font-size: 17px; font-weight: 600;")
        self.score_label.setTextInteractionFlags(Qt.TextSelectableByMouse)
        inner.addWidget(self.score_label)
        self.bars = ScoreBars()
        self.bars.setMinimumHeight(180)
        inner.addWidget(self.bars, 1)
        self.bars_caption = caption = QLabel()
        caption.setStyleSheet("color: palette(placeholder-text);")
        caption.setWordWrap(True)
        inner.addWidget(caption)

        top = QSplitter(Qt.Horizontal)
        top.addWidget(runs_box)
        top.addWidget(pair_box)
        top.setStretchFactor(1, 1)
        top.setSizes([320, 680])

        self.batch_box = batch = QGroupBox()
        inner = QVBoxLayout(batch)
        self.batch_input = QPlainTextEdit()
        self.batch_input.setMaximumHeight(90)
        inner.addWidget(self.batch_input)
        row = QHBoxLayout()
        self.score_all = QPushButton()
        self.export = QPushButton()
        self.batch_status = QLabel("")
        row.addWidget(self.score_all)
        row.addWidget(self.export)
        row.addWidget(self.batch_status, 1)
        inner.addLayout(row)
        self.model = ScoresModel()
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(-1, Qt.AscendingOrder)  # input order until a header is clicked
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.Stretch)
        header.setSectionResizeMode(1, QHeaderView.Stretch)
        inner.addWidget(self.table, 1)

        split = QSplitter(Qt.Vertical)
        split.addWidget(top)
        split.addWidget(batch)
        split.setStretchFactor(0, 1)
        split.setStretchFactor(1, 1)
        split.setSizes([500, 330])
        layout.addWidget(split, 1)

        self._timer = QTimer(self, singleShot=True, interval=TYPING_DELAY_MS)
        self._timer.timeout.connect(self.score_typed)
        self.sentence1.textChanged.connect(self._timer.start)
        self.sentence2.textChanged.connect(self._timer.start)
        self.run_choice.ticks_changed.connect(self._ticks_changed)
        self.score_all.clicked.connect(self._score_all_clicked)
        self.export.clicked.connect(self._export_dialog)
        self._scorers = ScorerCache()  # run id → loaded model, shared with the workers
        self._runs: dict[int, dict] = {}  # finished runs with a model, by id
        self._reported: set[int] = set()  # runs whose load failure the banner has shown
        self._pair_worker = None  # scores the typed pair off the GUI thread
        self._pair_again = False  # the pair or the ticks changed meanwhile
        self._pair_serial = 0  # which request the bars show
        self._batch_worker = None  # scores pasted pairs off the GUI thread
        self._batch: _Batch | None = None
        self._score_state = "dash"  # what the score line says without scores (_score_words)
        self._hint_state = ""  # which hint the bars show (_hint_words), "" none
        self._batch_state: tuple = ("",)  # what the batch status says (_show_batch_status)
        self.retranslate()

    # ---- words ---------------------------------------------------------------------------------
    def retranslate(self) -> None:
        """Every word of the tab in the language in use (again when it changes)."""
        self.runs_box.setTitle(self.tr("Runs to compare"))
        self.runs_hint.setText(
            self.tr("Tick finished runs: each scores the pair below, side by side.")
        )
        self.pair_box.setTitle(self.tr("Two sentences"))
        self.sentence1.setPlaceholderText(self.tr("A man is playing a guitar."))
        self.sentence2.setPlaceholderText(self.tr("A guy is playing the guitar."))
        self.bars_caption.setText(
            self.tr(
                "Solid bar: the predicted score, on the run's own scale (value above). Pale bar: cosine of the two sentence vectors (a cross-encoder has none)."  # noqa: E501
            )
        )
        self.batch_box.setTitle(
            self.tr(
                "Many pairs — paste lines of  sentence1 <Tab> sentence2; one score column per ticked run"  # noqa: E501
            )
        )
        self.score_all.setText(
            self.tr("Stop scoring") if self.batch_running() else self.tr("Score all")
        )
        self.export.setText(self.tr("Export CSV…"))
        self.model.set_headers(self._headers())
        if self._score_state != "scores":
            self.score_label.setText(self._score_words())
        runs = [self._runs[i] for i in self.ticked_runs() if i in self._runs]
        self.bars.set_runs([(r["id"], tick_label(r)) for r in runs])  # results stay
        self.bars.set_hint(self._hint_words())
        self._show_batch_status()

    def changeEvent(self, event) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def _score_words(self) -> str:
        return {
            "tick": self.tr("tick a run to score with"),
            "none": self.tr("no finished run yet"),
        }.get(self._score_state, "–")

    def _hint_words(self) -> str:
        return {
            "type": self.tr("Type two sentences above: each ticked run scores them."),
            "tick": self.tr("Tick finished runs on the left."),
            "none": self.tr("No finished run yet: press Run, and its model appears here."),
        }.get(self._hint_state, "")

    def _headers(self) -> list[str]:
        """The table's headers: the sentences, then a score column per run of the batch."""
        headers = [self.tr("sentence 1"), self.tr("sentence 2")]
        batch = self._batch
        if batch is None or not any(s.scores for s in batch.scores.values()):
            return headers + [self.tr("score")]
        for run in batch.runs:
            s = batch.scores.get(run["id"])
            failed = s is not None and s.error
            headers.append(
                self.tr("{run} (failed)").format(run=short_label(run))
                if failed
                else short_label(run)
            )
        return headers

    def _set_batch_status(self, *state) -> None:
        self._batch_state = state
        self._show_batch_status()

    def _show_batch_status(self) -> None:
        kind, *values = self._batch_state
        if kind == "paste":
            text = self.tr("paste lines with a tab between the two sentences")
        elif kind == "no_run":
            text = self.tr("no finished run to score with")
        elif kind == "tick":
            text = self.tr("tick a run to score with")
        elif kind == "progress":
            done, total, run, index, runs = values
            text = self.tr("scoring… {done:,} / {total:,} pairs").format(done=done, total=total)
            if runs > 1:
                text += self.tr(" · {run} ({index} of {runs})").format(
                    run=run, index=index, runs=runs
                )
        elif kind == "done":
            pairs, scored_by, seconds, failed, skipped = values
            text = (
                self.tr("{pairs} pairs scored by {runs} runs in {seconds:.1f} s").format(
                    pairs=pairs, runs=scored_by, seconds=seconds
                )
                if scored_by > 1
                else self.tr("{pairs} pairs scored in {seconds:.1f} s").format(
                    pairs=pairs, seconds=seconds
                )
            )
            if failed:
                text += self.tr(" ({failed} could not score)").format(failed=failed)
            if skipped:
                text += self.tr(", {skipped} lines without a tab skipped").format(skipped=skipped)
        elif kind == "failed":
            text = self.tr("scoring failed")
        elif kind == "stopped":
            done, runs = values
            text = (
                self.tr("scoring stopped — {done} of {runs} runs scored").format(
                    done=done, runs=runs
                )
                if done
                else self.tr("scoring stopped")
            )
        elif kind == "nothing":
            text = self.tr("nothing to export yet")
        elif kind == "wrote":
            text = self.tr("wrote {path}").format(path=values[0])
        else:
            text = ""
        self.batch_status.setText(text)

    # ---- runs ----------------------------------------------------------------------------
    def refresh(self, runs: list[dict]) -> None:
        finished = [r for r in reversed(runs) if r["status"] == "finished" and r.get("artifacts")]
        self._runs = {r["id"]: r for r in finished}
        self.run_choice.set_runs(finished)  # emits nothing: one rescoring below
        self._ticks_changed()

    def select_run(self, run_id: int) -> None:
        """Tick the run and make it the first one (a run just finished, or reopened)."""
        self.run_choice.select(run_id)

    def ticked_runs(self) -> list[int]:
        return self.run_choice.ticked()

    def set_ticked(self, run_ids: list[int]) -> None:
        self.run_choice.set_ticked(run_ids)

    def _ticks_changed(self) -> None:
        ticked = self.ticked_runs()
        for run_id in ticked:  # ticking a run whose model failed tries it again
            if run_id not in self._reported:
                self._scorers.retry(run_id)
        self._reported &= set(ticked)
        self._scorers.pin(len(ticked))
        self.score_typed()

    def scorer(self):
        """The first ticked run's model (loaded here if it is not yet), or None."""
        run_id = self.run_choice.currentData()
        if run_id is None or run_id not in self._runs:
            return None
        try:
            return self._scorers.get(run_id, self._runs[run_id]["artifacts"])
        except UserError as exc:
            self._report_once(run_id, str(exc))
            return None

    def forget(self, run_id: int) -> None:
        """A deleted run: drop its loaded model (and never score with it again)."""
        self._scorers.forget(run_id)
        self._runs.pop(run_id, None)
        self._reported.discard(run_id)
        self.run_choice.remove(run_id)  # rescoring follows through ticks_changed

    def forget_all(self) -> None:
        """Another run store is open: its run ids name other runs. Stop scoring, drop every
        loaded model, tick and score; ``refresh`` then fills the list anew."""
        self.stop_batch(wait=True)
        self._pair_serial += 1  # what a worker still sends is for the old store: not shown
        self._scorers = ScorerCache()
        self._runs, self._reported, self._batch = {}, set(), None
        self.run_choice.set_runs([])
        self.model.set_rows([])
        self.model.set_headers(self._headers())
        self._set_batch_status("")
        self._score_state, self._hint_state = "dash", ""
        self.score_label.setText("–")
        self.bars.clear_results()

    # ---- one typed pair ---------------------------------------------------------------------
    def score_typed(self) -> None:
        """Score the typed pair with every ticked run, in a worker; bars fill as runs answer."""
        self._pair_serial += 1  # results of an earlier request are not shown any more
        runs = [self._runs[i] for i in self.ticked_runs() if i in self._runs]
        self.bars.set_runs([(r["id"], tick_label(r)) for r in runs])
        a, b = self.sentence1.text().strip(), self.sentence2.text().strip()
        if not runs or not (a and b):
            self._pair_again = False
            if self._pair_worker is not None:
                self._pair_worker.quit()
            self._score_state = "dash" if runs else "tick" if self._runs else "none"
            self.score_label.setText(self._score_words())
            self._hint_state = "type" if runs else "tick" if self._runs else "none"
            self.bars.clear_results(self._hint_words())
            return
        self._hint_state = ""
        self.bars.set_hint("")
        if self._pair_worker is not None:  # one at a time: it stops at its next run
            self._pair_again = True
            self._pair_worker.quit()
            return
        worker = create_worker(
            score_pair,
            self._scorers,
            [(r["id"], r["artifacts"]) for r in runs],
            (a, b),
            _start_thread=False,
        )
        serial = self._pair_serial
        worker.yielded.connect(lambda result: self._pair_scored(result, serial))
        worker.errored.connect(
            lambda exc: self._report(self.tr("scoring failed: {error}").format(error=exc))
        )
        worker.finished.connect(self._pair_finished)
        self._pair_worker = worker
        worker.start()

    def pair_running(self) -> bool:
        return self._pair_worker is not None

    def _pair_scored(self, result: RunScore, serial: int) -> None:
        if serial != self._pair_serial or result.run_id not in self._runs:
            return  # for text or ticks that have changed since
        if result.error:
            self._report_once(result.run_id, result.error)
        self.bars.set_result(result)
        self._score_state = "scores"
        shown = [
            (run_id, self.bars.results[run_id])
            for run_id, _ in self.bars.runs
            if run_id in self.bars.results
        ]
        if len(self.bars.runs) == 1:
            self.score_label.setText(shown[0][1].text())
        else:
            self.score_label.setText("    ".join(f"#{run_id}  {r.text()}" for run_id, r in shown))

    def _pair_finished(self) -> None:
        self._pair_worker = None
        if self._pair_again:
            self._pair_again = False
            self.score_typed()

    # ---- pasted pairs --------------------------------------------------------------------------
    def _score_all_clicked(self) -> None:
        if self.batch_running():
            self.stop_batch()
        else:
            self.score_batch()

    def score_batch(self) -> None:
        """Score the pasted pairs with each ticked run in a worker thread; the table gets a
        column per run as its scores come in. The window stays live and can stop it."""
        lines = self.batch_input.toPlainText().splitlines()
        pairs = [tuple(line.split("\t")[:2]) for line in lines if "\t" in line]
        skipped = sum(1 for line in lines if line.strip() and "\t" not in line)
        runs = [self._runs[i] for i in self.ticked_runs() if i in self._runs]
        if not runs or not pairs:
            self._set_batch_status("paste" if runs else "no_run" if not self._runs else "tick")
            return
        self._batch = _Batch(pairs, runs, skipped)
        worker = create_worker(
            score_pairs,
            self._scorers,
            [(r["id"], r["artifacts"]) for r in runs],
            pairs,
            _start_thread=False,
        )
        worker.yielded.connect(self._batch_step)

        def failed(exc) -> None:
            self._set_batch_status("failed")
            self._report(self.tr("scoring failed: {error}").format(error=exc))

        worker.aborted.connect(self._batch_stopped)
        worker.errored.connect(failed)
        worker.finished.connect(self._batch_finished)
        self._batch_worker = worker
        self.score_all.setText(self.tr("Stop scoring"))
        self.export.setEnabled(False)
        self._set_batch_status("progress", 0, len(pairs), "", 0, 1)
        worker.start()

    def _batch_step(self, step) -> None:
        batch = self._batch
        if batch is None:
            return
        runs = len(batch.runs)
        if isinstance(step, Progress):
            self._set_batch_status(
                "progress",
                step.done,
                step.total,
                short_label(batch.runs[step.index]),
                step.index + 1,
                runs,
            )
            return
        batch.scores[step.run_id] = step
        if step.error:
            self._report(step.error)
        self._show_batch()
        if len(batch.scores) == runs:  # the last run answered: the batch is done
            failed = sum(1 for s in batch.scores.values() if s.error)
            if failed == runs:
                self._set_batch_status("failed")
                return
            seconds = time.perf_counter() - batch.started
            self._set_batch_status(
                "done", len(batch.pairs), runs - failed, seconds, failed, batch.skipped
            )

    def _show_batch(self) -> None:
        """The table: rows once a first run has scored, a column per run, blank until then."""
        batch = self._batch
        scored = [batch.scores.get(r["id"]) for r in batch.runs]
        if not any(s is not None and s.scores for s in scored):
            return
        columns, cosines = [], {}
        for n, (run, s) in enumerate(zip(batch.runs, scored)):
            if s is None or not s.scores or run["id"] not in self._runs:
                columns.append([None] * len(batch.pairs))
                continue
            columns.append([p.label or p.score for p in s.scores])
            cosines[2 + n] = [p.cosine for p in s.scores]
        self.model.headers = self._headers()
        self.model.cosines = cosines
        self.model.set_rows(
            [pair + tuple(values) for pair, values in zip(batch.pairs, zip(*columns))]
        )

    def _batch_stopped(self) -> None:
        batch = self._batch
        done = sum(1 for s in batch.scores.values() if s.scores) if batch else 0
        self._set_batch_status("stopped", done, len(batch.runs) if batch else 0)

    def batch_running(self) -> bool:
        return self._batch_worker is not None

    def stop_batch(self, wait: bool = False) -> None:
        """Ask the batch worker to stop after its current batch. ``wait`` (closing the
        window): stop the typed-pair worker too and let both threads end first."""
        if wait and self._pair_worker is not None:
            self._pair_again = False
            self._pair_worker.quit()
        worker = self._batch_worker
        if worker is not None:
            worker.quit()
        if wait and (worker is not None or self._pair_worker is not None):
            try:  # quits every worker and waits for the pool; a batch takes well under 1 s
                (worker or self._pair_worker).await_workers(msecs=10_000)
            except RuntimeError:  # still busy: its signals go nowhere once the window is gone
                pass

    def _batch_finished(self) -> None:
        self._batch_worker = None
        self.score_all.setText(self.tr("Score all"))
        self.export.setEnabled(True)

    def export_csv(self, path: str) -> None:
        """Sentences, then per run its score and cosine (one run: score, cosine)."""
        batch = self._batch
        runs = (
            [
                r
                for r in batch.runs
                if batch.scores.get(r["id"]) is not None and batch.scores[r["id"]].scores
            ]
            if batch
            else []
        )
        header = ["sentence1", "sentence2"]
        for run in runs:
            suffix = "" if len(runs) == 1 else f" {short_label(run)}"
            header += [f"score{suffix}", f"cosine{suffix}"]
        text = io.StringIO(newline="")
        writer = csv.writer(text)
        writer.writerow(header)
        for i, pair in enumerate(batch.pairs if runs else []):
            row = list(pair)
            for run in runs:
                p = batch.scores[run["id"]].scores[i]
                row += [p.label or p.score, p.cosine]
            writer.writerow(row)
        save_text(path, text.getvalue(), "csv")

    def _export_dialog(self) -> None:
        if not self.model.rows:
            self._set_batch_status("nothing")
            return
        path, _filter = QFileDialog.getSaveFileName(
            self, self.tr("Export scores"), "scores.csv", self.tr("CSV (*.csv)")
        )
        if path:
            self.export_csv(path)
            self._set_batch_status("wrote", path)

    def _report_once(self, run_id: int, message: str) -> None:
        """A run whose model cannot load: one banner per run, not one per keystroke."""
        if run_id not in self._reported:
            self._reported.add(run_id)
            self._report(message)

    def _report(self, message: str) -> None:
        self.error.emit(message)
