"""Matrix tab: run a sweep in the background and read the map of when pre-training helps.

Rows are upstream/method arms, columns the share of labelled data; each cell shows the mean
dev (and test) metric over seeds with its spread, coloured by the dev mean, and a verdict
against the scratch control whose tooltip names the test. Below, the data-size curve.
"""

from __future__ import annotations

import math
import time
from pathlib import Path

import numpy as np
from PySide6.QtCore import QEvent, QSignalBlocker, Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from transfer_explorer.engine import events as ev
from transfer_explorer.engine.errors import UserError
from transfer_explorer.engine.labels import METHOD_LABELS
from transfer_explorer.engine.sweep.estimate import SweepEta, format_duration
from transfer_explorer.engine.sweep.grid import PRESETS, Sweep, load_sweep, shown_name
from transfer_explorer.engine.sweep.report import Matrix, summarize, to_csv, to_markdown
from transfer_explorer.engine.sweep.story import story
from transfer_explorer.engine.upstream.registry import get_task
from transfer_explorer.gui.save_file import save_png, save_text
from transfer_explorer.gui.size_curve import draw_size_curve, new_size_plot
from transfer_explorer.gui.table_model import RowsModel, status_text
from transfer_explorer.gui.worker import EngineJob, WorkerError, sweep_job

VERDICT_COLOURS = {
    "helps": "#1b7f3b",
    "hurts": "#b00020",
    "within noise": "#555555",
    "control": "#1f4e99",
}

NAME_ROLE = Qt.UserRole + 1  # a sweep chooser item's sweep name (its text is "preset: name")


def heat(value: float, low: float, high: float) -> QColor:
    """A light blue→amber scale that keeps black text readable."""
    if math.isnan(value) or high <= low:
        return QColor("#f2f2f2")
    t = min(1.0, max(0.0, (value - low) / (high - low)))
    cold, warm = np.array([214, 229, 247]), np.array([255, 214, 140])
    r, g, b = (cold + t * (warm - cold)).astype(int)
    return QColor(int(r), int(g), int(b))


def arm_tooltip(arm: str) -> str:
    """What an arm means, in the registry's words."""
    task_name, _, method = arm.partition("/")
    try:
        task = get_task(task_name)
    except UserError:  # a sweep recorded by another version
        return arm
    return (
        f"{task.label} / {METHOD_LABELS.get(method, method)}: {task.explanation} "
        f"{task.method_note(method)}".strip()
    )


class MatrixTab(QWidget):
    error = Signal(str)
    running_changed = Signal(bool)

    def __init__(self, store_getter, db: Path, cache: str | None, data_root_getter, parent=None):
        super().__init__(parent)
        self.store, self.db, self.cache, self.data_root = store_getter, db, cache, data_root_getter
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        self.choice = QComboBox()
        for name in PRESETS:  # texts and tooltips: retranslate()
            self.choice.addItem("", name)
            self.choice.setItemData(self.choice.count() - 1, Sweep.preset(name).name, NAME_ROLE)
        # a long preset name must not make the window wider than a laptop's screen
        self.choice.setSizeAdjustPolicy(QComboBox.AdjustToMinimumContentsLengthWithIcon)
        self.choice.setMinimumContentsLength(30)
        self.open_button = QPushButton()
        self.workers = QSpinBox(minimum=1, maximum=64, value=1)
        self.run_button = QPushButton()
        self.stop_button = QPushButton()
        self.stop_button.setEnabled(False)
        for widget in (
            self.choice,
            self.open_button,
            self.workers,
            self.run_button,
            self.stop_button,
        ):
            top.addWidget(widget)
        top.addStretch(1)
        layout.addLayout(top)
        status = QHBoxLayout()
        self.progress = QProgressBar()
        self.status = QLabel()
        self.status.setWordWrap(True)
        status.addWidget(self.progress)
        status.addWidget(self.status, 1)
        self.exports = {}
        for key in ("csv", "markdown", "png"):
            self.exports[key] = QPushButton()
            self.exports[key].setEnabled(False)
            status.addWidget(self.exports[key])
        layout.addLayout(status)

        self.cells = RowsModel([""] * 8, display={5: status_text})  # headers: retranslate()
        self.cells_view = QTableView()
        self.cells_view.setModel(self.cells)
        self.cells_view.setSortingEnabled(True)
        self.cells_view.sortByColumn(-1, Qt.AscendingOrder)
        self.cells_view.verticalHeader().hide()
        self.cells_view.verticalHeader().setDefaultSectionSize(22)
        self.cells_view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeToContents)

        self.grid = QTableWidget()
        self.grid.setEditTriggers(QTableWidget.NoEditTriggers)
        self.grid.setWordWrap(True)
        self.grid.horizontalHeader().setSectionResizeMode(QHeaderView.Stretch)
        self.grid.verticalHeader().setSectionResizeMode(QHeaderView.ResizeToContents)
        self.curve = new_size_plot()
        self.story = QLabel()
        self.story.setWordWrap(True)
        self.story.setObjectName("story")
        self.story.setStyleSheet(
            "QLabel#story { background: palette(alternate-base); border: "
            "1px solid palette(mid); border-radius: 4px; padding: 6px; "
            "color: palette(text); }"
        )
        self.story.hide()
        self.results = QSplitter(Qt.Vertical)
        self.results.addWidget(self.grid)
        self.results.addWidget(self.story)
        self.results.addWidget(self.curve)
        self.results.setSizes([400, 90, 340])
        splitter = QSplitter(Qt.Horizontal)
        splitter.addWidget(self.cells_view)
        splitter.addWidget(self.results)
        splitter.setSizes([560, 760])
        layout.addWidget(splitter, 1)

        self.open_button.clicked.connect(self._open_dialog)
        self.run_button.clicked.connect(self.start)
        self.stop_button.clicked.connect(self.stop)
        self.exports["csv"].clicked.connect(lambda: self._export_dialog("csv"))
        self.exports["markdown"].clicked.connect(lambda: self._export_dialog("markdown"))
        self.exports["png"].clicked.connect(lambda: self._export_dialog("png"))
        self.choice.currentIndexChanged.connect(self.preview)
        self.job: EngineJob | None = None
        self._running = False
        self.sweep: Sweep | None = None
        self.sweep_id: int | None = None
        self.matrix: Matrix | None = None
        self._rows: dict[int, list] = {}
        self._last_refresh = 0.0
        self._dirty = False
        self.eta = SweepEta()
        self._status_head = ""  # "running": the status line ends with the time left
        # what the status line says, to say it again in another language: (kind, values)
        self._status_state: tuple[str, dict] = ("pick", {"rerun": True})
        self.retranslate()

    # ---- words --------------------------------------------------------------------------------
    def retranslate(self) -> None:
        """Every word of the tab in the language in use (again when it changes): the shown
        sweep's map, verdicts and paragraph are drawn again from its summary (not the store,
        which a closed window no longer has open)."""
        for i in range(self.choice.count()):
            text = self._choice_text(self.choice.itemData(i), self.choice.itemData(i, NAME_ROLE))
            self.choice.setItemText(i, text)
            self.choice.setItemData(i, text, Qt.ToolTipRole)
        self.open_button.setText(self.tr("Open sweep file…"))
        self.workers.setPrefix(self.tr("workers "))
        self.workers.setToolTip(
            self.tr(
                "Cells trained at once, each in its own process (with cpu_count ÷ workers threads on the CPU; each needs up to ~1.7 GB of memory for the stsb-cpu cells).\nOn a GPU, use several: one worker leaves it idle most of the time — stsb-cpu on one H200 took ~490 s with 1 worker, 92 s with 8."  # noqa: E501
            )
        )
        self.run_button.setText(self.tr("▶ Run sweep"))
        self.stop_button.setText(self.tr("■ Stop"))
        self.exports["csv"].setText(self.tr("Export CSV…"))
        self.exports["markdown"].setText(self.tr("Export Markdown…"))
        self.exports["png"].setText(self.tr("Export PNG…"))
        self.cells.set_headers(
            [
                "#",
                self.tr("arm"),
                self.tr("data"),
                self.tr("share"),
                self.tr("seed"),
                self.tr("status"),
                self.tr("dev"),
                self.tr("run"),
            ]
        )
        self.cells.redisplay()
        self.curve.setTitle(self.tr("Data-size curve: dev metric vs labelled data"))
        self.curve.setLabel("bottom", self.tr("share of the training set (log scale)"))
        self.curve.setLabel("left", self.tr("dev ×100"))
        self._show_status()
        if self.sweep is not None and self.matrix is not None:
            self._draw_matrix()

    def changeEvent(self, event) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def _choice_text(self, data: str, name: str) -> str:
        if data.startswith("file:"):
            return self.tr("file: {name}").format(name=name)
        return self.tr("preset: {name}").format(name=shown_name(name))

    def verdict_text(self, label: str) -> str:
        """A verdict's word (as the engine names it, in English) in the reader's language."""
        words = {
            "helps": self.tr("helps"),
            "hurts": self.tr("hurts"),
            "within noise": self.tr("within noise"),
            "control": self.tr("control"),
        }
        return words.get(label, label)

    def _set_status(self, kind: str, **values) -> None:
        self._status_state = (kind, values)
        self._show_status()

    def _show_status(self) -> None:
        self.status.setText(self._status_text(*self._status_state))

    def _status_text(self, kind: str, v: dict) -> str:  # one sentence per state
        if "name" in v:  # a bundled preset's name in the reader's language
            v = {**v, "name": shown_name(v["name"])}
        if kind == "pick":
            if v["rerun"]:
                return self.tr(
                    "Pick a preset or a sweep file and press Run sweep. A rerun skips finished cells."  # noqa: E501
                )
            return self.tr("Pick a preset or a sweep file and press Run sweep.")
        if kind == "checking":
            return self.tr("Checking the settings and data of {name}…").format(**v)
        if kind == "stopping":
            return self.tr("Stopping after the cells in flight…")
        if kind == "running":
            if v["skipped"]:
                head = self.tr(
                    "Sweep {sweep}: {total} cells, {workers} worker(s); {skipped} cells already done (resumed)"  # noqa: E501
                ).format(**v)
            else:
                head = self.tr("Sweep {sweep}: {total} cells, {workers} worker(s)").format(**v)
            left = self.eta.remaining()
            return (
                head
                + " · "
                + (
                    self.tr("{duration} left").format(duration=format_duration(left))
                    if left is not None
                    else self.tr("estimating the time left…")
                )
            )
        if kind == "ended":
            return self.tr(
                "Sweep {sweep} {status} in {seconds:.0f} s: {finished} cells run, {failed} failed; the upstream cache saved {saved:.0f} s"  # noqa: E501
            ).format(**{**v, "status": status_text(v["status"])})
        if kind == "failed":
            return self.tr("The sweep could not run: {message}").format(**v)
        if kind == "latest":
            return self.tr("Sweep {sweep} ({name}): {status}. Run it again to resume.").format(
                **{**v, "status": status_text(v["status"])}
            )
        if kind == "all done":
            return self.tr("Sweep {sweep} ({name}): all {total} cells finished.").format(**v)
        if kind == "partly done":
            return self.tr(
                "Sweep {sweep} ({name}): {done} of {total} cells finished; Run sweep resumes it (finished cells are skipped)."  # noqa: E501
            ).format(**v)
        # "plan": what the chosen sweep would run
        if v["encoders"] > 1 and v["datasets"] > 1:
            text = self.tr(
                "{cells} cells: {arms} arms × {shares} shares of the training set × {seeds} seeds × {encoders} encoders × {datasets} datasets. Press Run sweep."  # noqa: E501
            )
        elif v["encoders"] > 1:
            text = self.tr(
                "{cells} cells: {arms} arms × {shares} shares of the training set × {seeds} seeds × {encoders} encoders. Press Run sweep."  # noqa: E501
            )
        elif v["datasets"] > 1:
            text = self.tr(
                "{cells} cells: {arms} arms × {shares} shares of the training set × {seeds} seeds × {datasets} datasets. Press Run sweep."  # noqa: E501
            )
        else:
            text = self.tr(
                "{cells} cells: {arms} arms × {shares} shares of the training set × {seeds} seeds. Press Run sweep."  # noqa: E501
            )
        return text.format(**v)

    # ---- choosing and running ---------------------------------------------------------------
    def selected_sweep(self) -> Sweep:
        data = self.choice.currentData()
        return load_sweep(file=data[5:]) if data.startswith("file:") else load_sweep(preset=data)

    def open_file(self, path: str) -> None:
        try:
            sweep = load_sweep(file=path)
        except UserError as exc:
            self.error.emit(str(exc))
            return
        data = f"file:{path}"
        self.choice.addItem(self._choice_text(data, sweep.name), data)
        self.choice.setItemData(self.choice.count() - 1, sweep.name, NAME_ROLE)
        self.choice.setCurrentIndex(self.choice.count() - 1)

    def _open_dialog(self) -> None:
        path, _unused = QFileDialog.getOpenFileName(
            self, self.tr("Sweep file"), "", "TOML (*.toml)"
        )
        if path:
            self.open_file(path)

    @property
    def running(self) -> bool:
        """From start() until the sweep's end has been shown (not the thread's own state,
        which ends before its last events reach this tab)."""
        return self._running

    def set_run_allowed(self, allowed: bool) -> None:
        """A single run holds the CPU: a sweep waits for it."""
        self.run_button.setEnabled(allowed and not self.running)

    def start(self) -> bool:
        if self.running:
            return False
        try:
            sweep = self.selected_sweep()
        except UserError as exc:
            self.error.emit(str(exc))
            return False
        self.sweep, self.sweep_id, self._rows = sweep, None, {}
        cells = sweep.cells()
        self.cells.set_rows([])
        self._rows = {
            i: [i + 1, c.arm, c.downstream, f"{c.fraction:.0%}", c.seed, "queued", None, None]
            for i, c in enumerate(cells)
        }
        self.progress.setRange(0, len(cells))
        self.progress.setValue(0)
        self._set_status("checking", name=sweep.name)
        self.job = sweep_job(
            sweep, self.db, self.cache, self.data_root(), self.workers.value(), self
        )
        self.job.events.connect(self._on_events)
        self.job.failed.connect(self._failed)
        self.job.done.connect(self._finished)
        self._running = True
        self._set_idle_controls(False)
        self.running_changed.emit(True)
        self.job.start()
        return True

    def stop(self) -> None:
        if self.running:
            self.job.stop()
            self._status_head = ""
            self._set_status("stopping")

    def shutdown(self) -> None:
        """The window closes: stop the sweep and wait for it (cells in flight end cleanly)."""
        if self.job is not None:
            self.job.stop_and_wait()

    def _on_events(self, batch: list) -> None:
        """A batch of sweep events, on the GUI thread."""
        for event in batch:
            self.eta.update(event)
            self._handle(event)
        if self._status_head:
            self._show_status()  # with the time left
        if self._dirty:
            self.cells.set_rows([tuple(r) for _, r in sorted(self._rows.items())])
            self._dirty = False
        if (
            self.sweep_id is not None
            and time.monotonic() - self._last_refresh > 1.0
            and self._pending_matrix
        ):
            self.refresh_matrix()

    _pending_matrix = False

    def _handle(self, event) -> None:
        if isinstance(event, ev.SweepStarted):
            self.sweep_id = event.sweep_id
            self.progress.setValue(event.skipped)
            self._status_head = "running"
            self._status_state = (
                "running",
                {
                    "sweep": event.sweep_id,
                    "total": event.total,
                    "workers": event.workers,
                    "skipped": event.skipped,
                },
            )
            if event.skipped:  # mark the finished cells
                done = {
                    r["cell_key"]
                    for r in self.store().sweep_cells(event.sweep_id)
                    if r["status"] == "finished"
                }
                for i, cell in enumerate(self.sweep.cells()):
                    if cell.key in done:
                        self._rows[i][5] = "done earlier"
                self._pending_matrix = True
            self._dirty = True
        elif isinstance(event, ev.CellStarted):
            self._rows[event.index][5] = "running"
            self._dirty = True
        elif isinstance(event, ev.CellProgress) and event.total:
            self._rows[event.index][5] = f"{event.stage} {100 * event.done // event.total}%"
            self._dirty = True
        elif isinstance(event, ev.CellFinished):
            row = self._rows[event.index]
            row[5], row[6], row[7] = event.status, event.dev, event.run_id
            self.progress.setValue(self.progress.value() + 1)
            self._dirty = self._pending_matrix = True
        elif isinstance(event, ev.SweepFinished):
            self._status_head = ""
            self._set_status(
                "ended",
                sweep=event.sweep_id,
                status=event.status,
                seconds=event.seconds,
                finished=event.finished,
                failed=event.failed,
                saved=event.upstream_seconds_saved,
            )

    def _failed(self, error: WorkerError) -> None:
        self._status_head = ""
        self.error.emit(error.message)
        self._set_status("failed", message=error.message)

    def _finished(self, _result) -> None:
        if self.sweep_id is not None:
            self.refresh_matrix()
        self._running = False
        self._set_idle_controls(True)
        self.running_changed.emit(False)

    def _set_idle_controls(self, idle: bool) -> None:
        """While a sweep runs its view stays on it: no other sweep can be picked."""
        for widget in (self.run_button, self.choice, self.open_button):
            widget.setEnabled(idle)
        self.stop_button.setEnabled(not idle)

    # ---- the matrix and the curve -------------------------------------------------------------
    def refresh_matrix(self) -> None:
        self._last_refresh = time.monotonic()
        self._pending_matrix = False
        rows = self.store().sweep_cells(self.sweep_id) if self.sweep_id is not None else []
        self.matrix = summarize(rows, self.sweep.arms, self.sweep.control_arm(), self.sweep.name)
        self._draw_matrix()

    def _draw_matrix(self) -> None:
        """The map, the curve and the paragraph of ``self.matrix``, in the language in use."""
        self._draw_grid(self.matrix)
        self._draw_curve(self.matrix)
        text = story(self.matrix)
        self.story.setText(text)
        self.story.setVisible(bool(text))
        self._fit_grid()
        for button in self.exports.values():
            button.setEnabled(bool(self.matrix.cells))

    def _draw_grid(self, matrix: Matrix) -> None:
        arms, fractions = self.sweep.arms, sorted(self.sweep.fractions)
        groups = [(e, d) for e in self.sweep.encoders for d in self.sweep.downstreams]
        labels = [
            arm if len(groups) == 1 else f"{arm} · {e} · {d}" for e, d in groups for arm in arms
        ]
        self.grid.clear()
        self.grid.setRowCount(len(labels))
        self.grid.setColumnCount(len(fractions))
        self.grid.setHorizontalHeaderLabels(
            [self.tr("{share} of train").format(share=f"{f:.0%}") for f in fractions]
        )
        self.grid.setVerticalHeaderLabels(labels)
        for row, (_, arm) in enumerate((g, arm) for g in groups for arm in arms):
            self.grid.verticalHeaderItem(row).setToolTip(arm_tooltip(arm))
        means = [c.dev_mean_std[0] for c in matrix.cells if c.n]
        low, high = (min(means), max(means)) if means else (0.0, 1.0)
        for g, (encoder, downstream) in enumerate(groups):
            for r, arm in enumerate(arms):
                for col, fraction in enumerate(fractions):
                    cell = matrix.cell(arm, fraction, encoder, downstream)
                    item = QTableWidgetItem("–")
                    item.setTextAlignment(Qt.AlignCenter)
                    if cell is not None and cell.n:
                        dev, dev_sd = cell.dev_mean_std
                        test, test_sd = cell.test_mean_std
                        verdict = cell.verdict.label if cell.verdict else ""
                        worth = (
                            "\n" + self.tr("worth {worth}").format(worth=cell.worth_text())
                            if cell.worth
                            else ""
                        )
                        scores = self.tr(
                            "dev {dev:.1f} ± {dev_sd:.1f}\ntest {test:.1f} ± {test_sd:.1f} · n={n}"
                        ).format(dev=dev, dev_sd=dev_sd, test=test, test_sd=test_sd, n=cell.n)
                        item.setText(f"{scores}\n{self.verdict_text(verdict)}{worth}")
                        item.setBackground(QBrush(heat(dev, low, high)))
                        if cell.verdict:
                            item.setForeground(QBrush(QColor(VERDICT_COLOURS.get(verdict, "#000"))))
                            tip = cell.verdict.explain(matrix.control or self.tr("control"))
                            if cell.worth is not None:
                                tip += "\n" + self.tr(
                                    "worth {worth}: the labelled pairs {control} needs for the same dev score, read off its data-size curve (the arm used {pairs:,})"  # noqa: E501
                                ).format(
                                    worth=cell.worth_text(),
                                    control=matrix.control,
                                    pairs=cell.pairs,
                                )
                            item.setToolTip(tip)
                    self.grid.setItem(g * len(arms) + r, col, item)
        self.grid.resizeRowsToContents()
        self._fit_grid()

    def _fit_grid(self) -> None:
        """Give the matrix the height its rows need and the paragraph its lines; the curve
        takes the rest (at least a third)."""
        needed = (
            self.grid.horizontalHeader().height()
            + 2 * self.grid.frameWidth()
            + sum(self.grid.rowHeight(r) for r in range(self.grid.rowCount()))
            + 4
        )
        total = sum(self.results.sizes()) or 800
        width = self.results.width() or 760
        text = self.story.heightForWidth(width) + 8 if self.story.isVisibleTo(self) else 0
        grid = min(needed, int(0.55 * total))
        text = min(text, int(0.66 * total) - grid)
        self.results.setSizes([grid, max(text, 0), total - grid - max(text, 0)])

    def _draw_curve(self, matrix: Matrix) -> None:
        draw_size_curve(
            self.curve,
            matrix,
            self.sweep.arms,
            self.sweep.fractions,
            self.tr("each arm's mean dev score appears here\nas its cells finish"),
        )

    # ---- exports ----------------------------------------------------------------------------
    def export(self, kind: str, path: str) -> None:
        if self.matrix is None:
            return
        if kind == "csv":
            save_text(path, to_csv(self.matrix), "csv", self.db)
        elif kind == "markdown":
            save_text(
                path,
                f"# {self.matrix.name}\n\n"
                + to_markdown(self.matrix)
                + "\n"
                + story(self.matrix)
                + "\n",
                "markdown",
                self.db,
            )
        else:
            save_png(self.results, path, self.db)

    def _export_dialog(self, kind: str) -> None:
        suffix = {"csv": "csv", "markdown": "md", "png": "png"}[kind]
        path, _unused = QFileDialog.getSaveFileName(
            self, self.tr("Export {kind}").format(kind=kind), f"matrix.{suffix}"
        )
        if path:
            self.export(kind, path)

    def showEvent(self, event) -> None:  # the final size is known only once shown
        super().showEvent(event)
        if self.grid.rowCount():
            self._fit_grid()

    def open_store(self, db: Path) -> None:
        """Another run store is open (no sweep runs): forget the shown sweep, show its latest."""
        self.db = db
        self.sweep = self.sweep_id = self.matrix = None
        self._rows = {}
        self.cells.set_rows([])
        self.grid.clear()
        self.grid.setRowCount(0)
        self.grid.setColumnCount(0)
        self.curve.clear()
        self.story.hide()
        for button in self.exports.values():
            button.setEnabled(False)
        self.progress.setValue(0)
        self._set_status("pick", rerun=False)
        self.show_latest()

    def show_latest(self) -> None:
        """On opening the app: the map of the most recent sweep in the store, if any; else
        the plan of the chosen preset."""
        sweeps = self.store().list_sweeps()
        if sweeps:
            latest = sweeps[-1]
            try:
                sweep = Sweep.from_dict(latest["definition"])
                for i in range(self.choice.count()):  # select its preset when it is one
                    if (
                        not self.choice.itemData(i).startswith("file:")
                        and self.choice.itemData(i, NAME_ROLE) == sweep.name
                    ):
                        with QSignalBlocker(self.choice):
                            self.choice.setCurrentIndex(i)
                self.show_sweep(sweep, latest["id"])
                self._set_status(
                    "latest", sweep=latest["id"], name=latest["name"], status=latest["status"]
                )
                return
            except Exception:  # an old or foreign definition: show the chosen preset's plan
                pass
        self.preview()

    def preview(self) -> None:
        """The chosen sweep before it runs: its cells, the empty map and the curve's axes —
        or, when the store holds a sweep of the same definition, how far that one got."""
        if self.running:
            return
        try:
            sweep = self.selected_sweep()
        except UserError as exc:
            self.error.emit(str(exc))
            return
        earlier = next((s for s in self.store().list_sweeps() if s["key"] == sweep.key), None)
        if earlier is not None:
            self.show_sweep(sweep, earlier["id"])
            done, total = sum(r[5] == "finished" for r in self.cells.rows), self.cells.rowCount()
            self._set_status(
                "all done" if done == total else "partly done",
                sweep=earlier["id"],
                name=sweep.name,
                done=done,
                total=total,
            )
            return
        self.show_sweep(sweep, None)
        self._set_status(
            "plan",
            cells=self.cells.rowCount(),
            arms=len(sweep.arms),
            shares=len(sweep.fractions),
            seeds=len(sweep.seeds),
            encoders=len(sweep.encoders),
            datasets=len(sweep.downstreams),
        )

    def show_sweep(self, sweep: Sweep, sweep_id: int | None) -> None:
        """Show a sweep without running it: every cell of its definition, with the latest
        run of each in the store, and cells never run (all of them without ``sweep_id``)
        as such."""
        self.sweep, self.sweep_id = sweep, sweep_id
        runs = (
            {r["cell_key"]: r for r in self.store().sweep_cells(sweep_id)}
            if sweep_id is not None
            else {}
        )  # newest attempt last: it wins
        try:
            planned = sweep.cells()
        except UserError:  # a definition this version cannot build: what was recorded
            planned = []
        rows = []
        for cell in planned:
            run = runs.pop(cell.key, None)
            rows.append(
                (
                    cell.arm,
                    cell.downstream,
                    cell.fraction,
                    cell.seed,
                    run["status"] if run else "not run",
                    run["dev_metric"] if run else None,
                    run["run_id"] if run else None,
                )
            )
        rows += [
            (
                r["arm"],
                r["downstream"],
                r["fraction"],
                r["seed"],
                r["status"],
                r["dev_metric"],
                r["run_id"],
            )
            for r in runs.values()
        ]
        self.cells.set_rows(
            [
                (i + 1, arm, data, f"{fraction:.0%}", seed, status, dev, run)
                for i, (arm, data, fraction, seed, status, dev, run) in enumerate(rows)
            ]
        )
        self.progress.setRange(0, max(len(rows), 1))
        self.progress.setValue(sum(r[4] == "finished" for r in rows))
        self.refresh_matrix()
