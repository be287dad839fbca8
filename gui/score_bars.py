"""One typed pair scored by several runs: a bar per run for its score, a pale one for the cosine."""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QEvent
from PySide6.QtGui import QColor

from transfer_explorer.gui.plots import PALETTE
from transfer_explorer.gui.scorers import RunScore

BAR = 0.36  # width of one bar; a run's two bars fill 0.72 of its slot


def run_color(position: int) -> str:
    return PALETTE[position % len(PALETTE)]


class ScoreBars(pg.PlotWidget):
    """Runs along x; for each, its predicted score as a share of the run's own scale (solid,
    value above: '3.12 / 5' or the class name) and the cosine of the two sentence vectors
    (pale, beside it; absent for a cross-encoder). Runs still scoring show '…'."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setMenuEnabled(False)
        self.setMouseEnabled(x=False, y=False)
        self.hideButtons()
        self.showGrid(y=True, alpha=0.2)
        self.getAxis("left").setTicks([[(v, f"{v:g}") for v in (-1, -0.5, 0, 0.5, 1)]])
        self.getAxis("left").enableAutoSIPrefix(False)
        self.getAxis("bottom").setHeight(42)  # two lines under each run: id + experiment, model
        self.runs: list[tuple[int, str]] = []  # (run id, tick label), left to right
        self.results: dict[int, RunScore] = {}  # run id → its score of the current pair
        self.score_item: pg.BarGraphItem | None = None
        self.cosine_item: pg.BarGraphItem | None = None
        self.hint = ""  # grey text in the middle instead of bars ("type two sentences …")
        self.retranslate()

    def retranslate(self) -> None:
        """The axis and the texts over the bars in the language in use (again when it changes);
        the hint and the tick labels are the Playground's, which sets them again."""
        self.setLabel("left", self.tr("share of scale · cosine"))
        self._redraw()

    def changeEvent(self, event) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def set_runs(self, runs: list[tuple[int, str]]) -> None:
        """The ticked runs, in order; results of runs that stay are kept until replaced."""
        self.runs = list(runs)
        ids = {run_id for run_id, _ in runs}
        self.results = {k: v for k, v in self.results.items() if k in ids}
        self._redraw()

    def set_result(self, result: RunScore) -> None:
        if any(run_id == result.run_id for run_id, _ in self.runs):
            self.results[result.run_id] = result
            self._redraw()

    def clear_results(self, hint: str = "") -> None:
        self.results = {}
        self.hint = hint
        self._redraw()

    def set_hint(self, hint: str) -> None:
        if hint != self.hint:
            self.hint = hint
            self._redraw()

    def heights(self) -> tuple[list[float], list[float]]:
        """(score shares, cosines) per run, left to right; NaN where there is none."""
        nan = math.nan
        scores = [self.results[r].share if r in self.results else nan for r, _ in self.runs]
        cosines = [self.results[r].cosine if r in self.results else nan for r, _ in self.runs]
        return scores, cosines

    def _redraw(self) -> None:
        self.clear()
        self.score_item = self.cosine_item = None
        self.addItem(pg.InfiniteLine(pos=0, angle=0, pen=pg.mkPen("#888", width=1)))
        n = len(self.runs)
        self.getAxis("bottom").setTicks([[(i, label) for i, (_, label) in enumerate(self.runs)]])
        half = max(n, 3) / 2  # one or two runs: bars of the same width, centred
        self.setXRange((n - 1) / 2 - half + 0.1, (n - 1) / 2 + half - 0.1, padding=0)
        lowest = 0.0
        ink = pg.getConfigOption("foreground")  # the theme's text colour on the plot
        if self.hint:
            self._text((n - 1) / 2, 0.6, self.hint, "#888", width=420)
        xs, shares, brushes, cx, cosines, cbrushes, cpens = [], [], [], [], [], [], []
        for i, (run_id, _) in enumerate(self.runs):
            color = QColor(run_color(i))
            result = self.results.get(run_id)
            if result is None:
                if not self.hint:  # still scoring
                    self._text(i, 0.08, "…", "#999")
                continue
            if result.error:
                self._text(
                    i,
                    0.5,
                    self.tr("model cannot\nload")
                    if result.load_failed
                    else self.tr("scoring\nfailed"),
                    "#b00020",
                )
                continue
            share = min(1.0, max(0.0, result.share))
            xs.append(i - BAR / 2)
            shares.append(share)
            brushes.append(color)
            self._text(i - BAR / 2, share, result.text(), ink, bold=True)
            if math.isnan(result.cosine):
                self._text(
                    i + BAR / 2, 0.08, self.tr("no cosine"), "#777", small=True
                )  # cross-encoder
                continue
            pale = QColor(color)
            pale.setAlpha(80)
            cx.append(i + BAR / 2)
            cosines.append(result.cosine)
            cbrushes.append(pale)
            cpens.append(pg.mkPen(color, width=1.5))
            lowest = min(lowest, result.cosine)
            self._text(
                i + BAR / 2,
                max(0.0, result.cosine),
                self.tr("cos {cosine:+.2f}").format(cosine=result.cosine),
                ink,
                small=True,
            )
        if xs:
            self.score_item = pg.BarGraphItem(
                x=np.array(xs),
                height=np.array(shares),
                width=BAR,
                brushes=brushes,
                pen=pg.mkPen(pg.getConfigOption("background")),
            )
            self.addItem(self.score_item)
        if cx:
            self.cosine_item = pg.BarGraphItem(
                x=np.array(cx), height=np.array(cosines), width=BAR, brushes=cbrushes, pens=cpens
            )
            self.addItem(self.cosine_item)
        self.setYRange(lowest - 0.05 if lowest < 0 else -0.05, 1.22, padding=0)

    def _text(
        self,
        x: float,
        y: float,
        text: str,
        color: str,
        bold: bool = False,
        small: bool = False,
        width: int = 150,
    ) -> None:
        weight = "600" if bold else "400"
        size = "8pt" if small else "9pt"
        html = text.replace("\n", "<br>")
        item = pg.TextItem(
            html=f'<div style="text-align:center; color:{color}; '
            f'font-size:{size}; font-weight:{weight}">{html}</div>',
            anchor=(0.5, 1.0),
        )
        item.setTextWidth(width)  # lines centred on x (the div's text-align needs a width)
        item.setZValue(5)  # above the bars
        item.setPos(x, y)
        self.addItem(item)
