"""Predictions tab: predicted vs gold on dev (refreshed at each evaluation) and the pairs."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import QHeaderView, QLabel, QSplitter, QTableView, QVBoxLayout, QWidget

from transfer_explorer.engine import events as ev
from transfer_explorer.engine.labels import metric_word
from transfer_explorer.gui.plots import PALETTE
from transfer_explorer.gui.table_model import RowsModel


class PredictionsTab(QWidget):
    def __init__(self, parent=None):
        super().__init__(parent)
        layout = QVBoxLayout(self)
        self.caption = QLabel()
        layout.addWidget(self.caption)
        self.plot = pg.PlotWidget()  # title and axes: retranslate()
        self.plot.showGrid(x=True, y=True, alpha=0.25)
        self.plot.setAspectLocked(False)
        self.identity = self.plot.plot(
            [0, 5], [0, 5], pen=pg.mkPen("#888", width=1, style=Qt.DashLine)
        )
        self.scatter = pg.ScatterPlotItem(size=5, pen=None, brush=pg.mkBrush(PALETTE[0] + "90"))
        self.plot.addItem(self.scatter)
        self.model = RowsModel([""] * 5)  # headers: retranslate()
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSortingEnabled(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(22)
        self.table.sortByColumn(4, Qt.DescendingOrder)  # worst predictions first
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.Stretch)
        header.setSectionResizeMode(1, QHeaderView.Stretch)
        splitter = QSplitter(Qt.Horizontal)
        splitter.addWidget(self.plot)
        splitter.addWidget(self.table)
        splitter.setSizes([450, 650])
        layout.addWidget(splitter, 1)
        self._pending: ev.Eval | None = None
        self.classification = False
        self._caption: tuple = ("waiting",)  # what the caption says, shown by _show_caption
        self.retranslate()

    def retranslate(self) -> None:
        """Every word of the tab in the language in use (again when it changes)."""
        self.plot.setTitle(self.tr("Predicted vs gold (dev)"))
        self.plot.setLabel("bottom", self.tr("gold"))
        self.plot.setLabel("left", self.tr("predicted"))
        self.model.set_headers(
            [
                self.tr("sentence 1"),
                self.tr("sentence 2"),
                self.tr("gold"),
                self.tr("predicted"),
                self.tr("error"),
            ]
        )
        self._show_caption()

    def changeEvent(self, event) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def _show_caption(self) -> None:
        kind, *values = self._caption
        if kind == "waiting":
            text = self.tr("Predictions on the dev set appear after the first evaluation.")
        elif kind == "eval":
            final, epoch, step, metrics = values
            shown = ("pearson", "spearman", "accuracy", "f1")
            scores = ", ".join(
                f"{metric_word(k)} {v:.1f}" for k, v in metrics.items() if k in shown
            )
            text = (
                self.tr("Dev, best model: {scores}").format(scores=scores)
                if final
                else self.tr("Dev, epoch {epoch}, step {step}: {scores}").format(
                    epoch=epoch, step=step, scores=scores
                )
            )
        else:  # "text": said by the window, as it said it
            text = values[0]
        self.caption.setText(text)

    def handle(self, event) -> None:
        # Only the latest evaluation matters: keep it, draw it on the next tick.
        if (
            isinstance(event, ev.Eval)
            and event.stage == "downstream"
            and event.split == "dev"
            and event.predictions
        ):
            self._pending = event

    def show_events(self, batch: list) -> None:
        for event in batch:
            self.handle(event)
        self.redraw()

    def redraw(self) -> None:
        if self._pending is None:
            return
        event, self._pending = self._pending, None
        self.show_predictions(
            [(p.sentence1, p.sentence2, p.gold, p.pred) for p in event.predictions], ""
        )
        self._caption = ("eval", event.final, event.epoch, event.step, dict(event.metrics))
        self._show_caption()

    def show_predictions(self, rows: list[tuple], caption: str) -> None:
        gold = np.asarray([r[2] for r in rows], dtype=float)
        pred = np.asarray([r[3] for r in rows], dtype=float)
        self.classification = (
            bool(len(gold))
            and np.all(np.mod(gold, 1) == 0)
            and np.all(np.mod(pred, 1) == 0)
            and gold.max() <= 10
        )
        x, y = gold, pred
        if self.classification:  # jitter so the classes show as clouds, not single dots
            rng = np.random.default_rng(0)
            x = gold + rng.uniform(-0.2, 0.2, len(gold))
            y = pred + rng.uniform(-0.2, 0.2, len(pred))
        self.scatter.setData(x, y)
        if len(gold):
            low = float(min(gold.min(), pred.min()))
            high = float(max(gold.max(), pred.max()))
            self.identity.setData([low, high], [low, high])
        self.model.set_rows([(a, b, g, p, abs(p - g)) for a, b, g, p in rows])
        self._caption = ("text", caption)
        self._show_caption()

    def load_rows(self, rows: list[dict], caption: str) -> None:
        self.show_predictions(
            [(r["sentence1"], r["sentence2"], r["gold"], r["pred"]) for r in rows], caption
        )
