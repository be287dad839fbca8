"""Data tab: sizes, sentence lengths, score/label distribution, upstream/downstream overlap.

Loading a dataset can take seconds (or a download), so statistics are computed on a worker
thread (superqt) and drawn when they arrive.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Signal
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget
from superqt.utils import create_worker

from transfer_explorer.gui.plots import PALETTE, axis_labels, bars


def compute_stats(downstream: str, columns: dict, upstream: str | None, root: str | None) -> dict:
    """Runs on a worker thread: plain data only."""
    from transfer_explorer.engine.data import load_pairs, load_texts
    from transfer_explorer.engine.data.eda import pair_stats, text_stats, vocabulary_overlap

    pairs = load_pairs(downstream, root, columns or None)
    out = {"downstream": pair_stats(pairs)}
    if upstream:
        texts = load_texts(upstream, root)
        out["upstream"] = text_stats(texts)
        out["overlap"] = vocabulary_overlap(texts, pairs)
    return out


class DataTab(QWidget):
    done = Signal()  # statistics shown, or the analysis failed
    analyze_requested = Signal()  # the Analyze button: read the chosen data again
    error = Signal(str)

    def __init__(self, parent=None):
        super().__init__(parent)
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        self.caption = QLabel("Statistics of the chosen datasets.")
        self.caption.setWordWrap(True)
        self.analyze_button = QPushButton("Analyze")
        self.analyze_button.clicked.connect(self.analyze_requested)
        top.addWidget(self.caption, 1)
        top.addWidget(self.analyze_button)
        layout.addLayout(top)
        grid = QGridLayout()
        self.sizes = self._plot("Examples per split")
        self.lengths = self._plot("Sentence length (words, train)", "words", "share %")
        self.targets = self._plot("Gold scores (train)", "score", "pairs")
        self.overlap = self._plot("Downstream words seen upstream", "", "%")
        grid.addWidget(self.sizes, 0, 0)
        grid.addWidget(self.lengths, 0, 1)
        grid.addWidget(self.targets, 1, 0)
        grid.addWidget(self.overlap, 1, 1)
        layout.addLayout(grid, 1)
        self.notes = QLabel()
        self.notes.setWordWrap(True)
        layout.addWidget(self.notes)
        self.stats: dict | None = None
        self._worker = None
        self._request = None

    @staticmethod
    def _plot(title: str, x: str = "", y: str = "") -> pg.PlotWidget:
        plot = pg.PlotWidget(title=title)
        if x:
            plot.setLabel("bottom", x)
        if y:
            plot.setLabel("left", y)
        plot.showGrid(y=True, alpha=0.25)
        plot.addLegend(offset=(-10, 10))
        return plot

    def analyze(
        self,
        downstream: str,
        columns: dict,
        upstream: str | None,
        root: str | None,
        force: bool = False,
    ) -> None:
        """Statistics of these datasets (again only when ``force`` or something changed)."""
        request = (downstream, tuple(sorted(columns.items())), upstream, root)
        if (
            request == self._request
            and not force
            and (self.stats is not None or self._worker is not None)
        ):
            return
        self._request = request
        self.caption.setText(
            f"Loading {downstream}" + (f" and {upstream}" if upstream else "") + "…"
        )
        self.analyze_button.setEnabled(False)
        worker = create_worker(compute_stats, downstream, columns, upstream, root)
        worker.returned.connect(self.show_stats)

        def failed(exc):
            self._request = None
            self.caption.setText(f"Could not analyze: {exc}")
            self.error.emit(str(exc))

        worker.errored.connect(failed)
        worker.finished.connect(self._finished)
        self._worker = worker
        worker.start()

    def _finished(self) -> None:
        self._worker = None
        self.analyze_button.setEnabled(True)
        self.done.emit()

    def busy(self) -> bool:
        return self._worker is not None

    def show_stats(self, stats: dict) -> None:
        self.stats = stats
        down, up, overlap = stats["downstream"], stats.get("upstream"), stats.get("overlap")
        for plot in (self.sizes, self.lengths, self.targets, self.overlap):
            plot.clear()
        splits = ["train", "dev", "test"]
        width = 0.4 if up else 0.8
        x = np.arange(3)
        bars(
            self.sizes,
            x - (width / 2 if up else 0),
            [down["sizes"].get(s, 0) for s in splits],
            PALETTE[0],
            width,
        )
        if up:
            bars(
                self.sizes,
                x + width / 2,
                [up["sizes"].get(s, 0) for s in splits],
                PALETTE[1],
                width,
            )
        axis_labels(self.sizes, splits)
        column = down.get("split_column")
        self.sizes.setTitle(
            f"Examples per split (from the column '{column}')" if column else "Examples per split"
        )
        self._legend(
            self.sizes,
            [(f"downstream: {down['name']}", PALETTE[0])]
            + ([(f"upstream: {up['name']}", PALETTE[1])] if up else []),
        )

        for data, color, name in ((down, PALETTE[0], "downstream"), (up, PALETTE[1], "upstream")):
            if data is None or not data["lengths"]["counts"]:
                continue
            counts = np.asarray(data["lengths"]["counts"], float)
            edges = np.asarray(data["lengths"]["edges"])
            self.lengths.plot(
                edges,
                100 * counts / counts.sum(),
                stepMode="center",
                pen=pg.mkPen(color, width=2),
                name=f"{name} (mean {data['lengths']['mean']:.1f})",
            )

        if "scores" in down:
            edges = np.asarray(down["scores"]["edges"])
            self.targets.plot(
                edges,
                down["scores"]["counts"],
                stepMode="center",
                fillLevel=0,
                brush=PALETTE[0] + "80",
                pen=pg.mkPen(PALETTE[0]),
            )
            self.targets.setTitle("Gold scores (train)")
        else:
            names = down["labels"]["names"]
            bars(self.targets, np.arange(len(names)), down["labels"]["counts"], PALETTE[0])
            axis_labels(self.targets, names)
            self.targets.setTitle("Labels (train)")

        if overlap:
            values = [overlap["type_overlap"], overlap["token_coverage"]]
            bars(self.overlap, [0, 1], values, PALETTE[2], labels=True)
            axis_labels(self.overlap, ["word types", "running words"])
            self.overlap.setYRange(0, 100)
            missing = ", ".join(overlap["most_common_missing"][:12])
            self.overlap.setTitle(
                f"Downstream words seen upstream "
                f"({overlap['shared_types']:,} of {overlap['downstream_types']:,} types)"
            )
        else:
            self.overlap.setTitle("Downstream words seen upstream (no upstream corpus)")
            missing = ""
        text = (
            f"Downstream {down['name']} ({down['language']}, {down['task']}, {down['source']})"
            + (f" · upstream {up['name']} ({up['language']}, {up['source']})" if up else "")
        )
        self.caption.setText(text)
        notes = down["notes"] + (up["notes"] if up else [])
        self.notes.setText(
            ("Not seen upstream (most common): " + missing + "\n" if missing else "")
            + ("Notes: " + "; ".join(notes) if notes else "")
        )

    @staticmethod
    def _legend(plot: pg.PlotWidget, entries: list[tuple[str, str]]) -> None:
        legend = plot.plotItem.legend
        if legend is None:
            return
        legend.clear()
        for name, color in entries:
            legend.addItem(pg.BarGraphItem(x=[0], height=[0], width=0, brush=color), name)
