"""Lesson tab: the lecture's argument in seven steps (engine.lesson). Each step asks its
question, runs its small sweep through the same engine and store as the Matrix tab (one
EngineJob; stop and rerun resume it), and draws the answer — the data-size curve of its
arms, the layers a transfer keeps for step 2 — with a reading generated from the measured
numbers. A step whose runs are in the store (from an earlier step, an earlier session or
the Matrix tab) is shown at once."""

from __future__ import annotations

import time
from pathlib import Path

from PySide6.QtCore import QEvent, QSignalBlocker, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from transfer_explorer.engine import events as ev
from transfer_explorer.engine.errors import UserError
from transfer_explorer.engine.i18n import _
from transfer_explorer.engine.labels import status_word
from transfer_explorer.engine.lesson import LESSON_DATA, STEPS, Step, step_sweep
from transfer_explorer.engine.lesson.layers import layers_reading, step_encoder, transfer_layers
from transfer_explorer.engine.lesson.reading import reading
from transfer_explorer.engine.lesson.steps import STEP_SECONDS, step_workers
from transfer_explorer.engine.sweep.estimate import SweepEta, format_duration
from transfer_explorer.engine.sweep.grid import Sweep
from transfer_explorer.engine.sweep.report import Matrix, summarize
from transfer_explorer.gui.layers_view import LayersView
from transfer_explorer.gui.plots import PALETTE
from transfer_explorer.gui.size_curve import draw_size_curve, new_size_plot
from transfer_explorer.gui.worker import EngineJob, WorkerError, sweep_job

DONE, PARTLY, NOT_RUN = "done", "partly", "not run"
MARKS = {DONE: "✓", PARTLY: "◐", NOT_RUN: "○"}


def arm_colors() -> dict[str, str]:
    """One colour per arm for the whole tour: an arm looks the same in every step."""
    from transfer_explorer.engine.lesson.steps import tour_arms

    return {arm: PALETTE[i % len(PALETTE)] for i, arm in enumerate(tour_arms())}


class LessonTab(QWidget):
    error = Signal(str)
    running_changed = Signal(bool)
    compare_runs = Signal(list)  # run ids to overlay in the Compare tab
    show_sweep = Signal(object, object)  # (Sweep, sweep id or None) for the Matrix tab

    def __init__(self, store_getter, db: Path, cache: str | None, data_root_getter, parent=None):
        super().__init__(parent)
        self.store, self.db, self.cache, self.data_root = store_getter, db, cache, data_root_getter
        self.colors = arm_colors()
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        self.data_label = QLabel()
        self.data_choice = QComboBox()
        for data in LESSON_DATA:  # texts: retranslate()
            self.data_choice.addItem("", data)
        self.data_note = QLabel()
        self.data_note.setWordWrap(True)
        # more seeds tighten the verdicts; the runs of the seeds already done are kept
        self.seeds = QSpinBox(minimum=1, maximum=10, value=3)
        top.addWidget(self.data_label)
        top.addWidget(self.data_choice)
        top.addWidget(self.seeds)
        top.addWidget(self.data_note, 1)
        layout.addLayout(top)

        self.steps = QListWidget()
        self.steps.setMinimumWidth(200)
        self.steps.setWordWrap(True)
        for _step in STEPS:
            self.steps.addItem(QListWidgetItem())
        page = QWidget()
        page_layout = QVBoxLayout(page)
        page_layout.setContentsMargins(6, 0, 0, 0)
        self.title = QLabel()
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self.title.setFont(font)
        self.question = QLabel()
        self.question.setWordWrap(True)
        self.question.setTextInteractionFlags(Qt.TextSelectableByMouse)
        controls = QHBoxLayout()
        self.run_button = QPushButton()
        self.stop_button = QPushButton()
        self.stop_button.setEnabled(False)
        self.progress = QProgressBar()
        self.progress.setMaximumWidth(220)
        self.status = QLabel()
        self.status.setWordWrap(True)
        for widget in (self.run_button, self.stop_button, self.progress):
            controls.addWidget(widget)
        controls.addWidget(self.status, 1)
        self.layers = LayersView()
        self.curve = new_size_plot()
        self.curve.setMinimumHeight(220)
        self.reading = QLabel()
        self.reading.setWordWrap(True)
        self.reading.setObjectName("reading")
        self.reading.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.reading.setStyleSheet(
            "QLabel#reading { background: palette(alternate-base); border: "
            "1px solid palette(mid); border-radius: 4px; padding: 6px; color: palette(text); }"
        )
        links = QHBoxLayout()
        self.matrix_button = QPushButton()
        self.compare_button = QPushButton()
        self.previous_button = QPushButton()
        self.next_button = QPushButton()
        for widget in (self.matrix_button, self.compare_button):
            links.addWidget(widget)
        links.addStretch(1)
        links.addWidget(self.previous_button)
        links.addWidget(self.next_button)
        page_layout.addWidget(self.title)
        page_layout.addWidget(self.question)
        page_layout.addLayout(controls)
        page_layout.addWidget(self.layers)
        page_layout.addWidget(self.curve, 1)
        page_layout.addWidget(self.reading)
        page_layout.addLayout(links)
        self.splitter = QSplitter(Qt.Horizontal)
        self.splitter.addWidget(self.steps)
        self.splitter.addWidget(page)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([270, 870])
        layout.addWidget(self.splitter, 1)

        self.job: EngineJob | None = None
        self._running: Step | None = None  # the step whose sweep runs
        self._allowed = True
        self.eta = SweepEta()
        self.matrix: Matrix | None = None
        self.sweep: Sweep | None = None
        self.sweep_id: int | None = None
        self.rows: list[dict] = []  # the shown step's finished runs in the store
        self.blocks: tuple[list, list] | None = None  # step 2's layers (upstream, downstream)
        self.step_state: dict[str, tuple[str, int, int]] = {}  # key → (state, done, total)
        self._status_state: tuple[str, dict] = ("", {})
        self._last_refresh = 0.0
        self.steps.currentRowChanged.connect(lambda _row: self.refresh())
        self.data_choice.currentIndexChanged.connect(lambda _i: self.refresh_all())
        self.seeds.valueChanged.connect(lambda _n: self.refresh_all())
        self.run_button.clicked.connect(self.start)
        self.stop_button.clicked.connect(self.stop)
        self.previous_button.clicked.connect(lambda: self.go(-1))
        self.next_button.clicked.connect(lambda: self.go(1))
        self.matrix_button.clicked.connect(lambda: self.show_sweep.emit(self.sweep, self.sweep_id))
        self.compare_button.clicked.connect(self._compare)
        with QSignalBlocker(self.steps):
            self.steps.setCurrentRow(0)
        self.retranslate()

    # ---- words --------------------------------------------------------------------------------
    def retranslate(self) -> None:
        self.data_label.setText(self.tr("Data:"))
        names = {
            "demo": self.tr("Demo data (bundled, offline)"),
            "stsb": self.tr("STS-B (English, real)"),
            "korsts": self.tr("KorSTS (Korean, real)"),
        }
        for i in range(self.data_choice.count()):
            self.data_choice.setItemText(i, names[self.data_choice.itemData(i)])
        self.seeds.setPrefix(self.tr("seeds "))
        self.seeds.setToolTip(
            self.tr(
                "Each run is repeated with this many seeds; the verdicts test the differences over them. More seeds tell smaller differences from noise (the runs of seeds already done are kept)."  # noqa: E501
            )
        )
        self.run_button.setText(self.tr("▶ Run this step"))
        self.stop_button.setText(self.tr("■ Stop"))
        self.matrix_button.setText(self.tr("Show in the Matrix tab"))
        self.matrix_button.setToolTip(
            self.tr("Every run of this step, its matrix and verdicts, in the Matrix tab")
        )
        self.compare_button.setText(self.tr("Compare the runs"))
        self.compare_button.setToolTip(
            self.tr("Overlay the curves of each arm's run on all the labelled pairs (seed 0)")
        )
        self.previous_button.setText(self.tr("◀ Previous"))
        self.next_button.setText(self.tr("Next ▶"))
        self.curve.setTitle(self.tr("Dev score against the labelled pairs used"))
        self.curve.setLabel("bottom", self.tr("share of the labelled pairs (log scale)"))
        self.curve.setLabel("left", self.tr("dev ×100"))
        self.layers.retranslate()
        self._show_step_words()
        self._show_data_note()
        self._show_status()
        self._draw()

    def changeEvent(self, event) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def _show_step_words(self) -> None:
        for i, step in enumerate(STEPS):
            state = self.step_state.get(step.key, (NOT_RUN, 0, 0))
            item = self.steps.item(i)
            item.setText(f"{MARKS[state[0]]}  {step.number}. {_(step.title)}")
            item.setToolTip(self._state_text(*state))
        step = self.current_step
        self.title.setText(
            self.tr("Step {n} of {total}: {title}").format(
                n=step.number, total=len(STEPS), title=_(step.title)
            )
        )
        self.question.setText(_(step.question))

    def _state_text(self, state: str, done: int, total: int) -> str:
        if state == DONE:
            return self.tr("Done: all {total} runs are in the store").format(total=total)
        if state == PARTLY:
            return self.tr("{done} of {total} runs in the store").format(done=done, total=total)
        return self.tr("Not run yet")

    def _show_data_note(self) -> None:
        data = self.data
        if data == "demo":
            text = self.tr(
                "Synthetic pairs made so that pre-training can show: few labelled pairs, "
                "more unlabelled sentences with words the pairs rarely use."
            )
        else:
            text = self.tr(
                "Real data: read from the data folder when it has a copy, else from the "
                "Hugging Face hub. A step takes minutes here, not seconds."
            )
        self.data_note.setText(text)

    def _set_status(self, kind: str, **values) -> None:
        self._status_state = (kind, values)
        self._show_status()

    def _show_status(self) -> None:
        kind, v = self._status_state
        if kind == "plan":
            text = self.tr("{cells} runs: {arms} arms × {shares} shares × {seeds} seeds.").format(
                **v
            )
            if v.get("seconds"):
                text += " " + self.tr("Measured: about {duration} on 2 CPU cores.").format(
                    duration=format_duration(v["seconds"])
                )
        elif kind == "partly":
            text = self.tr("{done} of {cells} runs are in the store; Run trains the rest.").format(
                **v
            )
        elif kind == "done":
            text = self.tr(
                "All {cells} runs are in the store ({duration} of training in all): shown without training."  # noqa: E501
            ).format(cells=v["cells"], duration=format_duration(v["seconds"]))
        elif kind == "running":
            left = self.eta.remaining()
            text = self.tr("Training {todo} of {cells} runs ({skipped} found in the store)").format(
                **v
            ) + (
                " · " + self.tr("{duration} left").format(duration=format_duration(left))
                if left is not None
                else ""
            )
        elif kind == "stopping":
            text = self.tr("Stopping after the run in flight…")
        elif kind == "ended":
            text = self.tr("Step {status} in {duration}.").format(
                status=status_word(v["status"]), duration=format_duration(v["seconds"])
            )
        elif kind == "failed":
            text = self.tr("The step could not run: {message}").format(**v)
        else:
            text = ""
        self.status.setText(text)

    # ---- which step, on which data ------------------------------------------------------------
    @property
    def current_step(self) -> Step:
        return STEPS[max(0, self.steps.currentRow())]

    @property
    def data(self) -> str:
        return self.data_choice.currentData() or "demo"

    def step_sweep(self, step: Step) -> Sweep:
        return step_sweep(step, self.data, list(range(self.seeds.value())))

    def select(self, step: str | int | None = None, data: str | None = None) -> None:
        """Show ``step`` (key or number) on ``data``, e.g. where the user left off."""
        if data is not None and data in LESSON_DATA:
            with QSignalBlocker(self.data_choice):
                self.data_choice.setCurrentIndex(list(LESSON_DATA).index(data))
        if step is not None:
            for i, s in enumerate(STEPS):
                if step in (s.key, s.number, str(s.number)):
                    with QSignalBlocker(self.steps):
                        self.steps.setCurrentRow(i)
        self.refresh_all()

    def go(self, offset: int) -> None:
        row = self.steps.currentRow() + offset
        if 0 <= row < len(STEPS):
            self.steps.setCurrentRow(row)

    # ---- what the store holds ---------------------------------------------------------------
    def _stored(self, sweep: Sweep) -> tuple[list, list[dict]]:
        cells = sweep.cells(self.data_root())
        return cells, self.store().cell_runs([c.key for c in cells])

    @staticmethod
    def _state(cells: list, rows: list[dict]) -> tuple[str, int, int]:
        """(done | partly | not run, cells with a finished run, cells)."""
        done = len({r["cell_key"] for r in rows})
        return (DONE if done >= len(cells) else PARTLY if done else NOT_RUN), done, len(cells)

    def refresh_all(self) -> None:
        """Every step's state (done, partly, not run) from the store, then the shown step."""
        for step in STEPS:
            try:
                self.step_state[step.key] = self._state(*self._stored(self.step_sweep(step)))
            except UserError:
                continue
        self._show_data_note()
        self.refresh()

    def _load(self) -> list:
        """The shown step's runs from the store: its matrix, and for step 2 the layers
        counted with the vocabulary its runs built. Returns the step's cells."""
        assert self.sweep is not None
        cells, self.rows = self._stored(self.sweep)
        self.matrix = summarize(
            self.rows, self.sweep.arms, self.sweep.control_arm(), self.sweep.name
        )
        self.blocks = None
        if self.current_step.layers:
            encoder = step_encoder(self.store(), self.rows, self.sweep.control_arm())
            self.blocks = transfer_layers(cells[0].config, encoder)
        return cells

    def refresh(self) -> None:
        """The shown step: its words, and its answer from what the store holds."""
        step = self.current_step
        if self._running is not None and step is not self._running:
            with QSignalBlocker(self.steps):  # a running step keeps the page
                self.steps.setCurrentRow(STEPS.index(self._running))
            step = self._running
        self._show_step_words()
        self.previous_button.setEnabled(step.number > 1)
        self.next_button.setEnabled(step.number < len(STEPS))
        try:
            self.sweep = self.step_sweep(step)
            cells = self._load()
        except UserError as exc:
            self.error.emit(str(exc))
            return
        known = next((s for s in self.store().list_sweeps() if s["key"] == self.sweep.key), None)
        self.sweep_id = known["id"] if known else None
        state, done, total = self._state(cells, self.rows)
        if self._running is None:
            self.progress.setRange(0, total)
            self.progress.setValue(done)
            if state == DONE:
                latest = {r["cell_key"]: r for r in self.rows}.values()
                seconds = sum(r["seconds"] or 0.0 for r in latest)
                self._set_status("done", cells=total, seconds=seconds)
            elif state == PARTLY:
                self._set_status("partly", done=done, cells=total)
            else:
                self._set_status(
                    "plan",
                    seconds=STEP_SECONDS.get(self.data, {}).get(step.key),
                    cells=total,
                    arms=len(self.sweep.arms),
                    shares=len(self.sweep.fractions),
                    seeds=len(self.sweep.seeds),
                )
        self.compare_button.setEnabled(bool(self.rows))
        self._draw()

    def _draw(self) -> None:
        if self.sweep is None:
            return
        step = self.current_step
        draw_size_curve(
            self.curve,
            self.matrix,
            self.sweep.arms,
            self.sweep.fractions,
            self.tr("Press Run: each arm's mean dev score\nappears here as its runs finish"),
            self.colors,
        )
        self.layers.setVisible(step.layers)
        said = []
        if step.layers and self.blocks is not None:
            self.layers.set_blocks(*self.blocks)
            said.append(layers_reading(*self.blocks))
        measured = reading(step, self.matrix) if self.matrix is not None else ""
        said.append(
            measured
            or self.tr("The answer is read here from the measured numbers once the step has run.")
        )
        self.reading.setText(" ".join(said))

    # ---- running a step -------------------------------------------------------------------------
    @property
    def running(self) -> bool:
        return self._running is not None

    def set_run_allowed(self, allowed: bool) -> None:
        """Another run or sweep holds the CPU (or the store is read-only): Run waits."""
        self._allowed = allowed
        self.run_button.setEnabled(allowed and not self.running)

    def start(self) -> bool:
        if self.running or not self._allowed:
            return False
        step = self.current_step
        try:
            sweep = self.step_sweep(step)
        except UserError as exc:
            self.error.emit(str(exc))
            return False
        workers = step_workers(self.data)
        self.job = sweep_job(sweep, self.db, self.cache, self.data_root(), workers, self)
        self.job.events.connect(self._on_events)
        self.job.failed.connect(self._failed)
        self.job.done.connect(self._finished)
        self._running = step
        self._set_idle_controls(False)
        self.running_changed.emit(True)
        self.job.start()
        return True

    def stop(self) -> None:
        if self.running and self.job is not None:
            self.job.stop()
            self._set_status("stopping")

    def shutdown(self) -> None:
        """The window closes: stop the step and wait for it (the run in flight ends cleanly)."""
        if self.job is not None:
            self.job.stop_and_wait()

    def _on_events(self, batch: list) -> None:
        for event in batch:
            self.eta.update(event)
            if isinstance(event, ev.SweepStarted):
                self.sweep_id = event.sweep_id
                self.progress.setRange(0, event.total)
                self.progress.setValue(event.skipped)
                self._set_status(
                    "running",
                    todo=event.total - event.skipped,
                    cells=event.total,
                    skipped=event.skipped,
                )
            elif isinstance(event, ev.CellFinished):
                self.progress.setValue(self.progress.value() + 1)
            elif isinstance(event, ev.SweepFinished):
                self._set_status("ended", status=event.status, seconds=event.seconds)
        if self._status_state[0] == "running":
            self._show_status()  # with the time left
        if time.monotonic() - self._last_refresh > 1.0 and any(
            isinstance(e, ev.CellFinished) for e in batch
        ):
            self._last_refresh = time.monotonic()
            self._redraw_running()

    def _redraw_running(self) -> None:
        """The curve grows as runs finish (the status line keeps the running words)."""
        if self.sweep is None:
            return
        self._load()
        self._draw()

    def _failed(self, error: WorkerError) -> None:
        self.error.emit(error.message)
        self._set_status("failed", message=error.message)

    def _finished(self, _result) -> None:
        kind, values = self._status_state
        self._running = None
        self._set_idle_controls(True)
        self.refresh_all()
        if kind == "failed" or (kind == "ended" and values["status"] != "finished"):
            self._set_status(kind, **values)  # a stop or a failure stays said
        self.running_changed.emit(False)

    def _set_idle_controls(self, idle: bool) -> None:
        for widget in (
            self.data_choice,
            self.seeds,
            self.steps,
            self.previous_button,
            self.next_button,
        ):
            widget.setEnabled(idle)
        self.run_button.setEnabled(idle and self._allowed)
        self.stop_button.setEnabled(not idle)

    def _compare(self) -> None:
        """Each arm's run on all the labelled pairs, first seed, in the Compare tab."""
        if self.sweep is None:
            return
        chosen: dict[str, int] = {}
        largest, first_seed = max(self.sweep.fractions), min(self.sweep.seeds)
        for row in self.rows:
            if row["fraction"] == largest and row["seed"] == first_seed:
                chosen[row["arm"]] = row["run_id"]
        if chosen:
            self.compare_runs.emit([chosen[a] for a in self.sweep.arms if a in chosen])

    def open_store(self, db: Path) -> None:
        """Another run store is open: the tour's state is read from it."""
        self.db = db
        self.refresh_all()
