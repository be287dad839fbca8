"""Growing numpy buffers for live curves and small pyqtgraph helpers."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg

# Mid-tones: each has a contrast of at least 3:1 on a white plot and on a near-black one
# (tests/test_app_shell.py checks), so curves read in the light and the dark theme alike.
PALETTE = [
    "#2f7fd0",
    "#e0700f",
    "#2e9a3e",
    "#e0403a",
    "#9a6ad6",
    "#b07a4a",
    "#d9569f",
    "#8a8a8a",
    "#968a10",
    "#139aab",
]

pg.setConfigOptions(antialias=True, background="w", foreground="#333")


class CurveBuffer:
    """x/y arrays grown by doubling; ``view()`` returns the filled part without copying."""

    def __init__(self, capacity: int = 256):
        self.x = np.empty(capacity, dtype=np.float64)
        self.y = np.empty(capacity, dtype=np.float64)
        self.size = 0
        self.dirty = False

    def append(self, x: float, y: float) -> None:
        if self.size == len(self.x):
            self.x = np.resize(self.x, 2 * len(self.x))
            self.y = np.resize(self.y, 2 * len(self.y))
        self.x[self.size], self.y[self.size] = x, y
        self.size += 1
        self.dirty = True

    def extend(self, xs, ys) -> None:
        for x, y in zip(xs, ys):
            self.append(x, y)

    def view(self) -> tuple[np.ndarray, np.ndarray]:
        return self.x[: self.size], self.y[: self.size]

    def clear(self) -> None:
        self.size = 0
        self.dirty = True


def live_plot(
    title: str,
    x_label: str = "step",
    y_label: str = "",
    legend_bottom: bool = False,
    legend: bool = True,
) -> pg.PlotWidget:
    plot = pg.PlotWidget(title=title)
    plot.setLabel("bottom", x_label)
    if y_label:
        plot.setLabel("left", y_label)
    # plain values on the axes: a loss of 0.004 reads 0.004, not 4 with "(x0.001)" aside
    for side in ("left", "bottom"):
        plot.getAxis(side).enableAutoSIPrefix(False)
    plot.showGrid(x=True, y=True, alpha=0.25)
    if legend:
        plot.addLegend(offset=(-10, -10) if legend_bottom else (-10, 10))
    # Thousands of points stay cheap: draw only what is visible, peak-preserving decimation.
    plot.setDownsampling(mode="peak")
    plot.setClipToView(True)
    return plot


def curve(
    plot: pg.PlotWidget, name: str, color: str, symbol: str | None = None, dashed: bool = False
):
    from PySide6.QtCore import Qt

    pen = pg.mkPen(color, width=2, style=Qt.DashLine if dashed else Qt.SolidLine)
    kwargs = (
        {"symbol": symbol, "symbolSize": 6, "symbolBrush": color, "symbolPen": None}
        if symbol
        else {}
    )
    return plot.plot([], [], pen=pen, name=name, **kwargs)


def rename_curve(plot: pg.PlotWidget, item, name: str) -> None:
    """A curve's name, in its legend too (the language changed)."""
    item.opts["name"] = name
    legend = plot.getPlotItem().legend
    if legend is None:
        return
    for sample, label in legend.items:
        if getattr(sample, "item", None) is item:
            label.setText(name)
    legend.updateSize()


def bars(
    plot: pg.PlotWidget,
    x,
    heights,
    color: str = PALETTE[0],
    width: float = 0.8,
    labels: bool = False,
):
    item = pg.BarGraphItem(
        x=np.asarray(x, float),
        height=np.asarray(heights, float),
        width=width,
        brush=color,
        pen=pg.mkPen(pg.getConfigOption("background")),
    )
    plot.addItem(item)
    if labels:  # the value above each bar
        for xi, h in zip(np.asarray(x, float), np.asarray(heights, float)):
            text = pg.TextItem(
                f"{h:.1f}", color=pg.getConfigOption("foreground"), anchor=(0.5, 1.0)
            )
            text.setPos(xi, h)
            plot.addItem(text)
    return item


def axis_labels(plot: pg.PlotWidget, labels: list[str], axis: str = "bottom") -> None:
    plot.getAxis(axis).setTicks([[(i, text) for i, text in enumerate(labels)]])


class Placeholder:
    """Grey text in the middle of an empty plot ("no upstream stage in this run")."""

    def __init__(self, plot: pg.PlotWidget, text: str = ""):
        self.item = pg.TextItem(text, color="#999", anchor=(0.5, 0.5))
        self.item.setParentItem(plot.getPlotItem().getViewBox())
        self.view = plot.getPlotItem().getViewBox()
        self.view.sigResized.connect(self._center)
        self._center()

    def _center(self, *_):
        rect = self.view.boundingRect()
        self.item.setPos(rect.center())

    def set(self, text: str) -> None:
        self.item.setText(text)
        self.item.setVisible(bool(text))
