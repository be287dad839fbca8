"""Playground: type two sentences and a finished run scores them as you type; paste many."""
from __future__ import annotations

import csv
import time

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (QComboBox, QFileDialog, QFormLayout, QGroupBox, QHBoxLayout,
                               QHeaderView, QLabel, QLineEdit, QPlainTextEdit, QProgressBar,
                               QPushButton, QTableView, QVBoxLayout, QWidget)

from superqt.utils import create_worker

from engine.errors import UserError
from engine.labels import run_label
from gui.table_model import RowsModel

TYPING_DELAY_MS = 120


class PlaygroundTab(QWidget):
    error = Signal(str)  # a model that cannot load, scoring that failed

    def __init__(self, parent=None):
        super().__init__(parent)
        layout = QVBoxLayout(self)
        self.run_choice = QComboBox()
        self.run_choice.currentIndexChanged.connect(self._run_changed)
        form = QFormLayout()
        form.addRow("model of run", self.run_choice)
        layout.addLayout(form)

        box = QGroupBox("Two sentences")
        inner = QVBoxLayout(box)
        self.sentence1 = QLineEdit(placeholderText="A man is playing a guitar.")
        self.sentence2 = QLineEdit(placeholderText="A guy is playing the guitar.")
        inner.addWidget(self.sentence1)
        inner.addWidget(self.sentence2)
        result = QHBoxLayout()
        self.score_label = QLabel("–")
        self.score_label.setStyleSheet("font-size: 26px; font-weight: 600;")
        self.gauge = QProgressBar()
        self.gauge.setRange(0, 1000)
        self.gauge.setTextVisible(False)
        self.cosine_label = QLabel("")
        result.addWidget(self.score_label)
        result.addWidget(self.gauge, 1)
        result.addWidget(self.cosine_label)
        inner.addLayout(result)
        layout.addWidget(box)

        batch = QGroupBox("Many pairs — paste lines of  sentence1 <Tab> sentence2")
        inner = QVBoxLayout(batch)
        self.batch_input = QPlainTextEdit()
        self.batch_input.setMaximumHeight(110)
        inner.addWidget(self.batch_input)
        row = QHBoxLayout()
        self.score_all = QPushButton("Score all")
        self.export = QPushButton("Export CSV…")
        self.batch_status = QLabel("")
        row.addWidget(self.score_all)
        row.addWidget(self.export)
        row.addWidget(self.batch_status, 1)
        inner.addLayout(row)
        self.model = RowsModel(["sentence 1", "sentence 2", "score", "cosine"])
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(-1, Qt.AscendingOrder)  # input order until a header is clicked
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.Stretch)
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.Stretch)
        inner.addWidget(self.table, 1)
        layout.addWidget(batch, 1)

        self._timer = QTimer(self, singleShot=True, interval=TYPING_DELAY_MS)
        self._timer.timeout.connect(self.score_typed)
        self.sentence1.textChanged.connect(self._timer.start)
        self.sentence2.textChanged.connect(self._timer.start)
        self.score_all.clicked.connect(self._score_all_clicked)
        self.export.clicked.connect(self._export_dialog)
        self._scorers: dict[int, object] = {}
        self._runs: dict[int, dict] = {}
        self._batch_worker = None  # scores pasted pairs off the GUI thread

    # ---- runs ----------------------------------------------------------------------------
    def refresh(self, runs: list[dict]) -> None:
        current = self.run_choice.currentData()
        finished = [r for r in reversed(runs) if r["status"] == "finished" and r.get("artifacts")]
        self._runs = {r["id"]: r for r in finished}
        self.run_choice.blockSignals(True)
        self.run_choice.clear()
        for run in finished:
            self.run_choice.addItem(run_label(run), run["id"])
        index = self.run_choice.findData(current) if current is not None else 0
        self.run_choice.setCurrentIndex(max(index, 0))
        self.run_choice.blockSignals(False)
        self._run_changed()

    def select_run(self, run_id: int) -> None:
        index = self.run_choice.findData(run_id)
        if index >= 0:
            self.run_choice.setCurrentIndex(index)

    def _run_changed(self, *_) -> None:
        self.score_typed()

    def scorer(self):
        run_id = self.run_choice.currentData()
        if run_id is None:
            return None
        if run_id not in self._scorers:
            from engine.predict import Scorer

            try:
                self._scorers[run_id] = Scorer(self._runs[run_id]["artifacts"])
            except (UserError, OSError, RuntimeError, KeyError) as exc:
                self._report(f"run {run_id}: cannot load its model ({exc})")
                return None
        return self._scorers[run_id]

    def forget(self, run_id: int) -> None:
        """A deleted run: drop its loaded model (and never score with it again)."""
        self._scorers.pop(run_id, None)
        self._runs.pop(run_id, None)
        index = self.run_choice.findData(run_id)
        if index >= 0:
            self.run_choice.removeItem(index)

    # ---- scoring ---------------------------------------------------------------------------
    def score_typed(self) -> None:
        a, b = self.sentence1.text().strip(), self.sentence2.text().strip()
        scorer = self.scorer() if a and b else None
        if scorer is None:
            self.score_label.setText("–" if self.run_choice.count() else "no finished run yet")
            self.gauge.setValue(0)
            self.cosine_label.setText("")
            return
        result = scorer.score([(a, b)])[0]
        if result.label:
            self.score_label.setText(result.label)
            self.gauge.setValue(1000 if result.score else 0)
        else:
            low, high = scorer.low, scorer.high
            self.score_label.setText(f"{result.score:.2f} / {high:g}")
            self.gauge.setValue(int(1000 * (result.score - low) / (high - low)))
        self.cosine_label.setText(f"cosine {result.cosine:+.3f}")

    def _score_all_clicked(self) -> None:
        if self.batch_running():
            self.stop_batch()
        else:
            self.score_batch()

    def score_batch(self) -> None:
        """Score the pasted pairs in a worker thread; the window stays live and can stop it."""
        lines = self.batch_input.toPlainText().splitlines()
        pairs = [tuple(line.split("\t")[:2]) for line in lines if "\t" in line]
        skipped = sum(1 for line in lines if line.strip() and "\t" not in line)
        scorer = self.scorer()
        if scorer is None or not pairs:
            self.batch_status.setText("paste lines with a tab between the two sentences"
                                      if scorer else "no finished run to score with")
            return
        note = f", {skipped} lines without a tab skipped" if skipped else ""
        started = time.perf_counter()
        worker = create_worker(scorer.iter_scores, pairs, _start_thread=False)
        worker.yielded.connect(lambda done_total: self.batch_status.setText(
            f"scoring… {done_total[0]:,} / {done_total[1]:,} pairs"))

        def show(scores) -> None:
            self.model.set_rows([(a, b, s.label or s.score, s.cosine)
                                 for (a, b), s in zip(pairs, scores)])
            seconds = time.perf_counter() - started
            self.batch_status.setText(f"{len(pairs)} pairs scored in {seconds:.1f} s" + note)

        def failed(exc) -> None:
            self.batch_status.setText("scoring failed")
            self._report(f"scoring failed: {exc}")

        worker.returned.connect(show)
        worker.aborted.connect(lambda: self.batch_status.setText("scoring stopped"))
        worker.errored.connect(failed)
        worker.finished.connect(self._batch_finished)
        self._batch_worker = worker
        self.score_all.setText("Stop scoring")
        self.export.setEnabled(False)
        self.batch_status.setText(f"scoring… 0 / {len(pairs):,} pairs")
        worker.start()

    def batch_running(self) -> bool:
        return self._batch_worker is not None

    def stop_batch(self, wait: bool = False) -> None:
        """Ask the batch worker to stop after its current batch; optionally wait for it."""
        worker = self._batch_worker
        if worker is None:
            return
        worker.quit()
        if wait:  # closing the window: let the thread end before the widgets go
            try:
                worker.await_workers(msecs=10_000)  # a batch takes well under a second
            except RuntimeError:  # still busy: its signals go nowhere once the window is gone
                pass

    def _batch_finished(self) -> None:
        self._batch_worker = None
        self.score_all.setText("Score all")
        self.export.setEnabled(True)

    def export_csv(self, path: str) -> None:
        with open(path, "w", newline="", encoding="utf-8") as f:
            writer = csv.writer(f)
            writer.writerow(["sentence1", "sentence2", "score", "cosine"])
            writer.writerows(self.model.rows)

    def _export_dialog(self) -> None:
        if not self.model.rows:
            self.batch_status.setText("nothing to export yet")
            return
        path, _ = QFileDialog.getSaveFileName(self, "Export scores", "scores.csv", "CSV (*.csv)")
        if path:
            self.export_csv(path)
            self.batch_status.setText(f"wrote {path}")

    def _report(self, message: str) -> None:
        self.error.emit(message)
