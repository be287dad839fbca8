"""The data-size curve: each arm's mean dev score (± std over seeds) against the share of
labelled pairs, on a log axis, with dotted lines to where the control reaches the same
score — what the arm's pre-training was worth in labelled pairs. Drawn by the Matrix tab
and the Lesson page."""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt

from transfer_explorer.engine.sweep.report import Matrix
from transfer_explorer.gui.plots import PALETTE


def new_size_plot() -> pg.PlotWidget:
    plot = pg.PlotWidget()
    plot.setLogMode(x=True, y=False)
    plot.getAxis("bottom").enableAutoSIPrefix(False)
    plot.showGrid(x=True, y=True, alpha=0.25)
    plot.addLegend(offset=(60, 30))  # top left: the curves rise to the right
    return plot


def share_text(fraction: float) -> str:
    return f"{fraction:.0%}" if fraction >= 0.01 else f"{fraction:.1%}"


def draw_size_curve(
    plot: pg.PlotWidget,
    matrix: Matrix | None,
    arms: list[str],
    fractions: list[float],
    hint: str,
    colors: dict[str, str] | None = None,
) -> None:
    """Redraw ``plot`` with ``arms`` of ``matrix`` (``hint`` while nothing is measured).
    ``colors``: arm → colour, so an arm keeps its colour from one figure to the next."""
    plot.clear()
    fractions = sorted(fractions)
    # the measured shares as ticks (log10 space): "1%", "10%", "100%"
    plot.getAxis("bottom").setTicks([[(math.log10(f), share_text(f)) for f in fractions], []])
    if plot.plotItem.legend is not None:
        plot.plotItem.legend.clear()
    # the x axis spans the sweep's shares from the start, so it neither jumps as cells
    # finish nor zooms into one share (log10 space)
    low, high = math.log10(fractions[0]), math.log10(fractions[-1])
    plot.setXRange(low - 0.1, high + 0.1, padding=0)
    if matrix is None or not any(c.n for c in matrix.cells if c.arm in arms):
        plot.setYRange(0, 100, padding=0)
        text = pg.TextItem(hint, color="#777", anchor=(0.5, 0.5))
        text.setPos((low + high) / 2, 50)
        plot.addItem(text)
        return
    plot.enableAutoRange(axis="y")
    for n, arm in enumerate(arms):
        points = [(c.fraction, *c.dev_mean_std) for c in matrix.cells if c.arm == arm and c.n]
        if not points:
            continue
        x, y, sd = (np.asarray(v, float) for v in zip(*sorted(points)))
        color = (colors or {}).get(arm) or PALETTE[n % len(PALETTE)]
        plot.plot(
            x,
            y,
            pen=pg.mkPen(color, width=2),
            symbol="o",
            symbolSize=7,
            symbolBrush=color,
            name=arm,
        )
        # in log-x mode items live in log10 space
        plot.addItem(
            pg.ErrorBarItem(x=np.log10(x), y=y, height=2 * sd, beam=0.03, pen=pg.mkPen(color))
        )
        _draw_worth(plot, matrix, arm, color)


def _draw_worth(plot: pg.PlotWidget, matrix: Matrix, arm: str, color: str) -> None:
    """Dotted lines: from an arm's point across to where the control's curve reaches the
    same score — the labelled data its pre-training was worth (an arrow's end at 100% when
    the control never gets there)."""
    for cell in matrix.cells:
        if cell.arm != arm or cell.worth is None or cell.worth.below:
            continue
        reach = min(1.0, cell.fraction * cell.worth.multiple)
        if reach <= cell.fraction * 1.0001:
            continue
        mean = cell.dev_mean_std[0]
        plot.plot(
            [cell.fraction, reach], [mean, mean], pen=pg.mkPen(color, width=1.5, style=Qt.DotLine)
        )
        plot.plot(
            [reach],
            [mean],
            pen=None,
            symbolSize=8,
            symbolBrush=color,
            symbol="t2" if cell.worth.beyond else "d",
        )  # t2: a ▶
