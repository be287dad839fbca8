"""Compare tab: overlay the curves of chosen runs, their final metrics, dev metric per run."""

from __future__ import annotations

import html

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QEvent, QSignalBlocker, Qt
from PySide6.QtWidgets import (
    QGridLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from transfer_explorer.engine.labels import describe_run, model_label, run_label
from transfer_explorer.gui.plots import PALETTE, axis_labels, bars, live_plot
from transfer_explorer.gui.table_model import RowsModel


class CompareTab(QWidget):
    def __init__(self, store_getter, parent=None):
        super().__init__(parent)
        self.store = store_getter
        layout = QVBoxLayout(self)
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        layout.addWidget(self.intro)
        self.runs = QListWidget()
        self.runs.itemChanged.connect(lambda _: self.redraw())
        plots = QWidget()
        grid = QGridLayout(plots)
        grid.setContentsMargins(0, 0, 0, 0)
        # one key under both plots: a legend inside a plot covers curves wherever it sits
        self.dev_plot = live_plot("", legend=False)
        self.loss_plot = live_plot("", legend=False)
        self.key = QLabel()
        self.key.setWordWrap(True)
        self.key.setTextFormat(Qt.RichText)
        self.key.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.bar_plot = pg.PlotWidget()
        self.bar_plot.showGrid(y=True, alpha=0.25)
        grid.addWidget(self.dev_plot, 0, 0)
        grid.addWidget(self.loss_plot, 0, 1)
        grid.addWidget(self.key, 1, 0, 1, 2)
        grid.addWidget(self.bar_plot, 2, 0, 1, 2)
        self.model = RowsModel([""] * 11)  # headers: retranslate()
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(-1, Qt.AscendingOrder)  # input order until a header is clicked
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeToContents)
        left = QSplitter(Qt.Vertical)
        left.addWidget(self.runs)
        left.addWidget(self.table)
        splitter = QSplitter(Qt.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(plots)
        splitter.setSizes([420, 780])
        layout.addWidget(splitter, 1)
        self._runs: dict[int, dict] = {}
        self.key_labels: list[str] = []  # what the key under the plots names, in order
        self._key_runs: list[tuple[int, str]] = []  # the plotted runs and their colours
        self.retranslate()

    def retranslate(self) -> None:
        """Every word of the tab in the language in use (again when it changes)."""
        self.intro.setText(
            self.tr(
                "Tick runs to compare. Curves share axes and colours; the key under them names upstream / method → dataset."  # noqa: E501
            )
        )
        self.dev_plot.setTitle(self.tr("Dev metric during training"))
        self.dev_plot.setLabel("bottom", self.tr("epoch (fractional)"))
        self.dev_plot.setLabel("left", "×100")
        self.loss_plot.setTitle(self.tr("Training loss"))
        self.loss_plot.setLabel("bottom", self.tr("step"))
        self.loss_plot.setLabel("left", self.tr("loss"))
        self.bar_plot.setTitle(self.tr("Final dev metric per run (best epoch)"))
        self.bar_plot.setLabel("left", "×100")
        self.model.set_headers(
            [
                self.tr("run"),
                self.tr("upstream"),
                self.tr("method"),
                self.tr("data"),
                self.tr("encoder"),
                self.tr("fraction"),
                self.tr("seed"),
                self.tr("dev"),
                self.tr("test"),
                self.tr("metric"),
                self.tr("seconds"),
            ]
        )
        with QSignalBlocker(self.runs):  # the runs' names, in the engine's words
            for i in range(self.runs.count()):
                item = self.runs.item(i)
                run = self._runs.get(item.data(Qt.UserRole))
                if run is not None:
                    item.setText(run_label(run))
        self._draw_key()  # the runs' names under the plots (from the runs, not the store)

    def changeEvent(self, event) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def refresh(self, runs: list[dict]) -> None:
        checked = set(self.checked_ids())
        if not checked and self.runs.count() == 0:  # first fill: show the latest few runs
            checked = {r["id"] for r in runs if r["status"] == "finished"}
            checked = set(sorted(checked)[-4:])
        self.runs.blockSignals(True)
        self.runs.clear()
        self._runs = {r["id"]: r for r in runs}
        for run in reversed(runs):
            if run["status"] not in ("finished", "stopped"):
                continue
            item = QListWidgetItem(run_label(run))
            item.setData(Qt.UserRole, run["id"])
            item.setFlags(item.flags() | Qt.ItemIsUserCheckable)
            item.setCheckState(Qt.Checked if run["id"] in checked else Qt.Unchecked)
            self.runs.addItem(item)
        self.runs.blockSignals(False)
        self.redraw()

    def forget_all(self) -> None:
        """Another run store is open: the next ``refresh`` ticks its latest runs."""
        self.runs.clear()
        self._runs = {}
        self.redraw()

    def checked_ids(self) -> list[int]:
        return [
            self.runs.item(i).data(Qt.UserRole)
            for i in range(self.runs.count())
            if self.runs.item(i).checkState() == Qt.Checked
        ]

    def add_checked(self, run_id: int, keep: int = 6) -> None:
        """Tick a new run beside the latest ticked ones (at most ``keep``)."""
        checked = self.checked_ids()
        if run_id not in checked:
            self.set_checked((checked + [run_id])[-keep:])

    def set_checked(self, run_ids: list[int]) -> None:
        self.runs.blockSignals(True)
        for i in range(self.runs.count()):
            item = self.runs.item(i)
            item.setCheckState(Qt.Checked if item.data(Qt.UserRole) in run_ids else Qt.Unchecked)
        self.runs.blockSignals(False)
        self.redraw()

    def redraw(self) -> None:
        ids = sorted(self.checked_ids())
        for plot in (self.dev_plot, self.loss_plot, self.bar_plot):
            plot.clear()
        rows, finals, labels, self._key_runs = [], [], [], []
        store = self.store()
        for n, run_id in enumerate(ids):
            run = self._runs[run_id]
            color = PALETTE[n % len(PALETTE)]
            label = f"#{run_id} {describe_run(run)}"
            self._key_runs.append((run_id, color))
            metric = run.get("metric_name") or "spearman"
            dev_curve = store.metrics(run_id, "downstream")
            per_epoch = _steps_per_epoch(run)
            dev = [m for m in dev_curve if m["name"] == f"dev_{metric}"]
            # by fractional epoch: a one-epoch run evaluated five times is a curve, not a column
            epochs = [m["step"] / per_epoch if per_epoch else m["epoch"] for m in dev]
            values = [m["value"] for m in dev]
            self.dev_plot.plot(
                epochs,
                values,
                pen=pg.mkPen(color, width=2),
                symbol="o",
                symbolSize=6,
                symbolBrush=color,
                name=label,
            )
            steps = [m["step"] for m in dev_curve if m["name"] == "loss"]
            losses = [m["value"] for m in dev_curve if m["name"] == "loss"]
            self.loss_plot.plot(steps, losses, pen=pg.mkPen(color, width=1.5), name=label)
            finals.append(run.get("dev_metric") or 0.0)
            labels.append(f"#{run_id}")
            rows.append(
                (
                    run_id,
                    f"{run['upstream']}({run['upstream_data'] or '–'})",
                    run["method"],
                    run["downstream"],
                    f"{model_label(run)}",
                    run["train_fraction"],
                    run["seed"],
                    run.get("dev_metric"),
                    run.get("test_metric"),
                    metric,
                    run.get("seconds"),
                )
            )
        if ids:
            for n, value in enumerate(finals):
                bars(self.bar_plot, [n], [value], PALETTE[n % len(PALETTE)], labels=True)
            axis_labels(self.bar_plot, labels)
            self.bar_plot.setYRange(min(0.0, float(np.min(finals))), max(finals + [1.0]) * 1.1)
        self._draw_key()
        self.model.set_rows(rows)

    def _draw_key(self) -> None:
        """Name the plotted runs under the plots, each in its curve's colour."""
        key, self.key_labels = [], []
        for run_id, color in self._key_runs:
            if run_id not in self._runs:  # (the runs are being replaced: redraw() follows)
                continue
            label = f"#{run_id} {describe_run(self._runs[run_id])}"
            self.key_labels.append(label)
            unbroken = html.escape(label).replace(" ", "&nbsp;")  # wrap between runs only
            key.append(f'<span style="color:{color}">■</span>&nbsp;{unbroken}')
        self.key.setText(" &nbsp; &nbsp; ".join(key))


def _steps_per_epoch(run: dict) -> float | None:
    """Training steps in one epoch of the run (None for a run that did not train)."""
    total = (run.get("stages") or {}).get("downstream", {}).get("total_steps") or 0
    epochs = (run.get("config") or {}).get("training", {}).get("epochs") or 0
    return total / epochs if total and epochs else None
