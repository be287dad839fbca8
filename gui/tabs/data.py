"""Data tab: sizes, sentence lengths, score/label distribution, upstream/downstream overlap.

Loading a dataset can take seconds (or a download), so statistics are computed on a worker
thread (superqt) and drawn when they arrive.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QEvent, Signal
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
        self.caption = QLabel()
        self.caption.setWordWrap(True)
        self.analyze_button = QPushButton()
        self.analyze_button.clicked.connect(self.analyze_requested)
        top.addWidget(self.caption, 1)
        top.addWidget(self.analyze_button)
        layout.addLayout(top)
        grid = QGridLayout()
        self.sizes = self._plot()  # titles and axes: retranslate()
        self.lengths = self._plot()
        self.targets = self._plot()
        self.overlap = self._plot()
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
        self._caption: tuple = ("intro",)  # what the caption says, shown by _show_caption
        self.retranslate()

    @staticmethod
    def _plot() -> pg.PlotWidget:
        plot = pg.PlotWidget()
        plot.showGrid(y=True, alpha=0.25)
        plot.addLegend(offset=(-10, 10))
        return plot

    # ---- words ---------------------------------------------------------------------------------
    def retranslate(self) -> None:
        """Every word of the tab in the language in use (again when it changes)."""
        self.analyze_button.setText(self.tr("Analyze"))
        self.lengths.setLabel("bottom", self.tr("words"))
        self.lengths.setLabel("left", self.tr("share %"))
        self.targets.setLabel("bottom", self.tr("score"))
        self.targets.setLabel("left", self.tr("pairs"))
        self.overlap.setLabel("left", "%")
        self.lengths.setTitle(self.tr("Sentence length (words, train)"))
        if self.stats is not None:
            self._draw(self.stats)
        else:
            self.sizes.setTitle(self.tr("Examples per split"))
            self.targets.setTitle(self.tr("Gold scores (train)"))
            self.overlap.setTitle(self.tr("Downstream words seen upstream"))
        self._show_caption()

    def changeEvent(self, event) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def _set_caption(self, *state) -> None:
        self._caption = state
        self._show_caption()

    def _show_caption(self) -> None:
        kind, *values = self._caption
        if kind == "loading":
            downstream, upstream = values
            text = (
                self.tr("Loading {downstream} and {upstream}…").format(
                    downstream=downstream, upstream=upstream
                )
                if upstream
                else self.tr("Loading {downstream}…").format(downstream=downstream)
            )
        elif kind == "failed":
            text = self.tr("Could not analyze: {error}").format(error=values[0])
        elif kind == "stats" and self.stats is not None:
            down, up = self.stats["downstream"], self.stats.get("upstream")
            text = self.tr("Downstream {name} ({language}, {task}, {source})").format(
                name=down["name"],
                language=down["language"],
                task=down["task"],
                source=down["source"],
            )
            if up:
                text += self.tr(" · upstream {name} ({language}, {source})").format(
                    name=up["name"], language=up["language"], source=up["source"]
                )
        else:
            text = self.tr("Statistics of the chosen datasets.")
        self.caption.setText(text)

    # ---- analysis ------------------------------------------------------------------------------
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
        self._set_caption("loading", downstream, upstream)
        self.analyze_button.setEnabled(False)
        worker = create_worker(compute_stats, downstream, columns, upstream, root)
        worker.returned.connect(self.show_stats)

        def failed(exc):
            self._request = None
            self._set_caption("failed", str(exc))
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
        self._draw(stats)
        self._set_caption("stats")

    def _draw(self, stats: dict) -> None:
        """Plots, their titles and keys, and the notes, in the language in use."""
        down, up, overlap = stats["downstream"], stats.get("upstream"), stats.get("overlap")
        for plot in (self.sizes, self.lengths, self.targets, self.overlap):
            plot.clear()
        splits = ["train", "dev", "test"]
        split_names = [self.tr("train"), self.tr("dev"), self.tr("test")]
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
        axis_labels(self.sizes, split_names)
        column = down.get("split_column")
        self.sizes.setTitle(
            self.tr("Examples per split (from the column '{column}')").format(column=column)
            if column
            else self.tr("Examples per split")
        )
        self._legend(
            self.sizes,
            [(self.tr("downstream: {name}").format(name=down["name"]), PALETTE[0])]
            + ([(self.tr("upstream: {name}").format(name=up["name"]), PALETTE[1])] if up else []),
        )

        stages = ((down, PALETTE[0], self.tr("downstream")), (up, PALETTE[1], self.tr("upstream")))
        for data, color, name in stages:
            if data is None or not data["lengths"]["counts"]:
                continue
            counts = np.asarray(data["lengths"]["counts"], float)
            edges = np.asarray(data["lengths"]["edges"])
            self.lengths.plot(
                edges,
                100 * counts / counts.sum(),
                stepMode="center",
                pen=pg.mkPen(color, width=2),
                name=self.tr("{stage} (mean {mean:.1f})").format(
                    stage=name, mean=data["lengths"]["mean"]
                ),
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
            self.targets.setTitle(self.tr("Gold scores (train)"))
        else:
            names = down["labels"]["names"]
            bars(self.targets, np.arange(len(names)), down["labels"]["counts"], PALETTE[0])
            axis_labels(self.targets, names)
            self.targets.setTitle(self.tr("Labels (train)"))

        if overlap:
            values = [overlap["type_overlap"], overlap["token_coverage"]]
            bars(self.overlap, [0, 1], values, PALETTE[2], labels=True)
            axis_labels(self.overlap, [self.tr("word types"), self.tr("running words")])
            self.overlap.setYRange(0, 100)
            missing = ", ".join(overlap["most_common_missing"][:12])
            self.overlap.setTitle(
                self.tr("Downstream words seen upstream ({shared:,} of {total:,} types)").format(
                    shared=overlap["shared_types"], total=overlap["downstream_types"]
                )
            )
        else:
            self.overlap.setTitle(self.tr("Downstream words seen upstream (no upstream corpus)"))
            missing = ""
        notes = down["notes"] + (up["notes"] if up else [])
        self.notes.setText(
            (
                self.tr("Not seen upstream (most common): {words}").format(words=missing) + "\n"
                if missing
                else ""
            )
            + (self.tr("Notes: {notes}").format(notes="; ".join(notes)) if notes else "")
        )

    @staticmethod
    def _legend(plot: pg.PlotWidget, entries: list[tuple[str, str]]) -> None:
        legend = plot.plotItem.legend
        if legend is None:
            return
        legend.clear()
        for name, color in entries:
            legend.addItem(pg.BarGraphItem(x=[0], height=[0], width=0, brush=color), name)
