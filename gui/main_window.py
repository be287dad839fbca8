"""The explorer window: experiment panel on the left, tabs on the right, status at the bottom.

Layout and wiring only. The run controller owns a training run (its thread and event
queue); the Matrix tab owns a sweep the same way (gui.worker.EngineJob). Tabs are reached
through their signals and public methods; none imports another. Menus and shortcuts are in
gui.menus; what is remembered between starts (given ``settings``) in gui.settings.
"""

from __future__ import annotations

import sys
import threading
import traceback
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEvent, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QFileDialog,
    QLabel,
    QMainWindow,
    QScrollArea,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from transfer_explorer.engine import events as ev
from transfer_explorer.engine.config import ExperimentConfig
from transfer_explorer.engine.disk.paths import default_db
from transfer_explorer.engine.errors import UserError
from transfer_explorer.engine.store.database import DamagedDatabase, Store, describe_db_error
from transfer_explorer.gui import gc_guard, theme
from transfer_explorer.gui.about import AboutDialog, app_icon
from transfer_explorer.gui.banner import ErrorBanner
from transfer_explorer.gui.column_dialog import ColumnMappingDialog
from transfer_explorer.gui.menus import Menus
from transfer_explorer.gui.panel import ExperimentPanel
from transfer_explorer.gui.run_controller import RunController
from transfer_explorer.gui.save_file import save_png
from transfer_explorer.gui.table_model import status_text
from transfer_explorer.gui.tabs.compare import CompareTab
from transfer_explorer.gui.tabs.data import DataTab
from transfer_explorer.gui.tabs.history import HistoryTab
from transfer_explorer.gui.tabs.lesson import LessonTab
from transfer_explorer.gui.tabs.matrix import MatrixTab
from transfer_explorer.gui.tabs.playground import PlaygroundTab
from transfer_explorer.gui.tabs.predictions import PredictionsTab
from transfer_explorer.gui.tabs.training import TrainingTab

TAB_NAMES = (
    "lesson",
    "training",
    "predictions",
    "data",
    "compare",
    "playground",
    "history",
    "matrix",
)
DATA_SUFFIXES = (".tsv", ".csv", ".jsonl", ".json", ".txt")  # a dropped file: a dataset
STORE_SUFFIXES = (".sqlite", ".sqlite3", ".db")  # a dropped file: a run store


def store_filter() -> str:
    """The file dialogs' filter for run stores, in the language in use."""
    return QCoreApplication.translate(
        "MainWindow", "Run stores (*.sqlite *.sqlite3 *.db);;All files (*)"
    )


def connect(path: Path) -> tuple[Store, str]:
    """The store at ``path`` and why it is read-only ("" when it is not). Raises UserError
    for a file that is not a run store (a file of another program)."""
    try:
        return Store(path), ""
    except DamagedDatabase as exc:  # what it holds can be looked at, never written to
        return Store(path, read_only=True), str(exc)


class MainWindow(QMainWindow):
    run_finished = Signal(object)  # RunResult, or None when nothing was recorded
    store_changed = Signal(str)  # the path of the run store now open

    def __init__(
        self,
        db: str | Path | None = None,
        cache: str | None = None,
        data_root: str | None = None,
        settings=None,
    ):
        """``db``: the run store (default: the remembered one, else the user's default).
        ``settings`` (gui.settings.AppSettings): restore the last session and remember
        this one; None for a window that remembers nothing (tests, screenshots)."""
        super().__init__()
        gc_guard.hold()
        self._gc_held = True
        self.settings = settings
        self.setWindowIcon(app_icon())
        self._renders: dict[QLabel, object] = {}  # a status label → what writes its words
        notes = []
        remembered = None if db or settings is None else settings.remembered_store()
        if remembered and not Path(remembered).is_file():
            notes.append(
                self.tr("The last run store, {path}, is gone: the default one is open.").format(
                    path=remembered
                )
            )
            remembered = None
        self.db_path = Path(db or remembered or default_db())
        try:  # a file of another program is refused here
            self._store, self.read_only = connect(self.db_path)
        except UserError as exc:
            if not remembered:  # --db named it: say so and exit (app.run_app)
                raise
            notes.append(
                self.tr(
                    "The last run store cannot be opened ({reason}): the default one is open."
                ).format(reason=exc)
            )
            self.db_path = default_db()
            self._store, self.read_only = connect(self.db_path)
        # read_only: why the store is open for reading only ("" when it is not)
        interrupted = [] if self.read_only else self._store.mark_interrupted()
        self.runs = RunController(self.db_path, cache, self)

        self.panel = ExperimentPanel()
        self._restore_panel()
        if data_root:
            self.panel.set_data_root(data_root)
        self.training = TrainingTab()
        self.predictions = PredictionsTab()
        self.data = DataTab()
        self.compare = CompareTab(self.store)
        self.playground = PlaygroundTab()
        self.history = HistoryTab(self.store)
        self.matrix = MatrixTab(self.store, self.db_path, cache, self.panel.data_root)
        self.lesson = LessonTab(self.store, self.db_path, cache, self.panel.data_root)
        self.banner = ErrorBanner()
        self._layout()
        self._status_bar()
        self._wire()
        self.menus = Menus(self)
        self.setAcceptDrops(True)
        self.refresh_runs()
        self.matrix.show_latest()
        self.lesson.refresh_all()
        # an exception in any slot (a store that fails, a file that is gone) reaches the banner
        self._previous_hook = sys.excepthook
        sys.excepthook = self._slot_exception
        self._apply_read_only()
        for note in notes:
            self.training.append_log(note)
            self._status(self.status_stage, lambda note=note: note)
        if interrupted:
            self.training.append_log(
                self.tr(
                    "Runs {runs} were cut off when the app last ended and are marked 'interrupted'."  # noqa: E501
                ).format(runs=", ".join(map(str, interrupted)))
            )
        self.retranslate()
        self._show_store()
        self.resize(1400, 900)
        self._restore_window()

    def _layout(self) -> None:
        scroll = QScrollArea()
        scroll.setWidget(self.panel)
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        scroll.setMinimumWidth(360)
        self.tabs = QTabWidget()
        widgets = (
            self.lesson,
            self.training,
            self.predictions,
            self.data,
            self.compare,
            self.playground,
            self.history,
            self.matrix,
        )
        for widget, title in zip(widgets, self.tab_titles()):  # again in retranslate
            self.tabs.addTab(widget, title)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.banner)
        right_layout.addWidget(self.tabs, 1)
        self.splitter = QSplitter(Qt.Horizontal)
        self.splitter.addWidget(scroll)
        self.splitter.addWidget(right)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([380, 1020])
        self.setCentralWidget(self.splitter)

    def tab_titles(self) -> list[str]:
        """The tabs' titles in the language in use, in the order of TAB_NAMES."""
        return [
            self.tr("Lesson"),
            self.tr("Training"),
            self.tr("Predictions"),
            self.tr("Data"),
            self.tr("Compare"),
            self.tr("Playground"),
            self.tr("History"),
            self.tr("Matrix"),
        ]

    def retranslate(self) -> None:
        """The window's own words again: tab titles, the status bar (from its state)."""
        for index, title in enumerate(self.tab_titles()):
            self.tabs.setTabText(index, title)
        for label, render in self._renders.items():
            label.setText(render())
        self._show_store_words()
        # the menus repeat the tab titles and the panel's Pause / Resume: words set in the
        # same turn (Qt may deliver the window's LanguageChange before its children's)
        self.panel.retranslate()
        self.menus.retranslate()

    def _status(self, label: QLabel, render) -> None:
        """Show ``render()`` in a status bar label, and again whenever the language changes."""
        self._renders[label] = render
        label.setText(render())

    def _status_bar(self) -> None:
        self.status_stage = QLabel()
        self._status(self.status_stage, lambda: self.tr("Ready"))
        self.status_speed = QLabel("")
        self.status_device = QLabel("")
        self.status_cache = QLabel("")
        bar = self.statusBar()
        bar.addWidget(self.status_stage, 1)
        for label in (self.status_speed, self.status_device, self.status_cache):
            bar.addPermanentWidget(label)
        self.status_store = QLabel()
        bar.addPermanentWidget(self.status_store)

    def _wire(self) -> None:
        self.panel.run_clicked.connect(self.start_run)
        self.panel.pause_clicked.connect(self.runs.toggle_pause)
        self.panel.stop_clicked.connect(self.stop_run)
        self.panel.open_local_downstream.connect(lambda: self.open_local(pairs=True))
        self.panel.open_local_upstream.connect(lambda: self.open_local(pairs=False))
        self.runs.started.connect(self._run_started)
        self.runs.events.connect(self._run_events)
        self.runs.error.connect(
            lambda message, details: self.show_error(message, details, self._fix_for(message))
        )
        self.runs.state_changed.connect(self._run_state)
        self.runs.finished.connect(self._run_finished)
        self.history.reopen_requested.connect(self.reopen)
        self.history.rerun_requested.connect(self.rerun)
        self.history.png_requested.connect(self.export_png)
        self.history.deleted.connect(self.playground.forget)
        self.history.changed.connect(self.refresh_runs)
        self.data.analyze_requested.connect(lambda: self.analyze_data(force=True))
        self.data.error.connect(self.show_error)
        self.playground.error.connect(self.show_error)
        self.matrix.error.connect(self.show_error)
        self.matrix.running_changed.connect(self._sweep_running)
        self.lesson.error.connect(self.show_error)
        self.lesson.running_changed.connect(self._sweep_running)
        self.lesson.compare_runs.connect(self._compare_runs)
        self.lesson.show_sweep.connect(self._show_in_matrix)
        self.tabs.currentChanged.connect(self._tab_changed)

    def store(self) -> Store:
        return self._store

    # ---- a training run -------------------------------------------------------------------
    @property
    def running(self) -> bool:
        return self.runs.running

    def start_run(self, config: ExperimentConfig | None = None) -> bool:
        """Run ``config`` (default: the panel's settings); False if it cannot start now."""
        if self.running or self.sweeping or self.read_only:
            return False
        try:
            config = config or self.panel.config()
        except UserError as exc:  # a field that does not hold a number
            self.show_error(str(exc))
            return False
        return self.runs.start(config)

    def stop_run(self) -> None:
        if self.running:
            self.runs.stop()
            self._status(self.status_stage, lambda: self.tr("Stopping at the next step…"))

    def _run_started(self, experiment) -> None:
        config, task = experiment.config, experiment.task
        self.banner.hide()
        trains = task.trains and config.method != "scratch"  # else the upstream plots stay empty
        self.training.reset(
            upstream_note=None
            if trains
            else self.tr("pre-trained elsewhere — loaded, not trained here")
            if task.pretrained
            else self.tr("no upstream training in this run")
        )
        for label in (self.status_cache, self.status_speed):
            self._status(label, str)
        self.tabs.setCurrentWidget(self.training)

    def _run_state(self, running: bool, paused: bool) -> None:
        self.panel.set_running(running, paused)
        self.matrix.set_run_allowed(not running)
        self.lesson.set_run_allowed(not running)
        self.menus.sync()
        config = self.runs.config
        if running and config is not None:
            self._status(
                self.status_stage,
                lambda: (
                    self.tr("Paused — press Resume to continue, Stop to end the run")
                    if paused
                    else self.tr("Running {experiment}…").format(experiment=config.describe())
                ),
            )

    def _run_events(self, batch: list) -> None:
        self.training.show_events(batch)
        self.predictions.show_events(batch)
        for event in batch:
            self._status_from(event)

    def _status_from(self, event) -> None:
        if isinstance(event, ev.RunStarted):
            device = event.device
            self._status(
                self.status_device, lambda: self.tr("device: {device}").format(device=device)
            )
        elif isinstance(event, ev.Step):
            speed, memory = event.examples_per_s, event.device_memory_mb
            self._status(
                self.status_speed,
                lambda: (
                    self.tr("{speed:,.0f} examples/s · GPU memory {memory:,.0f} MiB").format(
                        speed=speed, memory=memory
                    )
                    if memory
                    else self.tr("{speed:,.0f} examples/s").format(speed=speed)
                ),
            )
        elif isinstance(event, ev.StageStarted) and event.stage == "upstream":
            cached = event.cached
            self._status(
                self.status_cache,
                lambda: (
                    self.tr("upstream: from cache") if cached else self.tr("upstream: training")
                ),
            )
        elif isinstance(event, ev.StageFinished) and event.stage == "upstream" and not event.cached:
            seconds = event.seconds
            if self.runs.experiment is not None and self.runs.experiment.task.pretrained:
                self._status(
                    self.status_cache,
                    lambda: self.tr("upstream: pre-trained, loaded in {seconds:.1f} s").format(
                        seconds=seconds
                    ),
                )
            else:
                self._status(
                    self.status_cache,
                    lambda: self.tr("upstream: trained in {seconds:.0f} s (now cached)").format(
                        seconds=seconds
                    ),
                )

    def _run_finished(self, result) -> None:
        if result is not None:
            run_id, status, seconds = result.run_id, result.status, result.seconds
            self._status(
                self.status_stage,
                lambda: self.tr("Run {run} {status} ({seconds:.1f} s)").format(
                    run=run_id, status=status_text(status), seconds=seconds
                ),
            )
        elif not self.banner.isVisible():
            self._status(self.status_stage, lambda: self.tr("Ready"))
        self.refresh_runs()
        if result is not None and result.status == "finished":
            self.playground.select_run(result.run_id)
            self.compare.add_checked(result.run_id)
        self.run_finished.emit(result)

    @property
    def sweeping(self) -> bool:
        """A sweep runs: the Matrix tab's, or a lesson step's."""
        return self.matrix.running or self.lesson.running

    def _sweep_running(self, running: bool) -> None:
        """One thing trains at a time: a sweep and a single run would share the CPU."""
        self.panel.set_run_allowed(not running)
        allowed = not running and not self.read_only
        self.matrix.set_run_allowed(allowed and not self.lesson.running)
        self.lesson.set_run_allowed(allowed and not self.matrix.running)
        self.menus.sync()
        if not running:
            self.refresh_runs()

    def closeEvent(self, event) -> None:
        # Closing stops what runs and waits for its thread: nothing is left half-written.
        # Every long step of a run has stop points, so this wait is short.
        if sys.excepthook == self._slot_exception:
            sys.excepthook = self._previous_hook
        self.remember()
        self.runs.shutdown()
        self.matrix.shutdown()
        self.lesson.shutdown()
        self.playground.stop_batch(wait=True)
        self._store.close()
        if self._gc_held:  # every thread of this window has ended
            self._gc_held = False
            gc_guard.release()
        super().closeEvent(event)

    # ---- runs in the store ------------------------------------------------------------------
    def refresh_runs(self) -> None:
        runs = self._store.list_runs()
        self.history.refresh(runs)
        self.compare.refresh(runs)
        self.playground.refresh(runs)

    def reopen(self, run_id: int) -> None:
        """Show a recorded run: its curves, predictions, model and settings."""
        run = self._store.get_run(run_id)
        self.training.load_curves(self._store.curves(run_id), self._store.logs(run_id))
        self.training.set_status(
            self.tr("Run {run}: {status} — reopened from the store").format(
                run=run_id, status=status_text(run["status"])
            )
        )
        rows = self._store.predictions(run_id, "downstream", "dev")
        if rows:
            self.predictions.load_rows(
                rows, self.tr("Run {run}, dev, best model").format(run=run_id)
            )
        self.playground.select_run(run_id)
        self._show_settings(run)
        self.tabs.setCurrentWidget(self.training)

    def rerun(self, run_id: int) -> None:
        run = self._store.get_run(run_id)
        if self._show_settings(run):
            self.start_run(self.panel.config())

    def _show_settings(self, run: dict) -> bool:
        try:
            self.panel.set_config(ExperimentConfig.from_dict(run["config"]))
            return True
        except UserError as exc:  # settings of an older version, or a task that is gone
            self.show_error(
                self.tr("run {run}: its settings cannot be shown ({reason})").format(
                    run=run["id"], reason=exc
                )
            )
            return False

    def export_png(self, run_id: int, path: str) -> None:
        self.reopen(run_id)
        self.training.redraw()
        try:
            save_png(self.training, path, self.db_path)
        except (UserError, OSError) as exc:
            self.show_error(str(exc))

    # ---- run stores ---------------------------------------------------------------------------
    def open_store(self, path: str | Path, create: bool = False) -> bool:
        """Show another run store (``create``: a new one) in the whole window. Refused, with
        a message, while a run or a sweep writes into the one open now."""
        path = Path(path).expanduser().absolute()
        if self.running or self.sweeping:
            self.show_error(
                self.tr("A run is in progress: stop it before opening another run store.")
                if self.running
                else self.tr("A sweep is in progress: stop it before opening another run store.")
            )
            return False
        if path == self.db_path.absolute():
            return True
        if create and path.exists():
            self.show_error(
                self.tr("{path} already exists: open it with File → Open run store.").format(
                    path=path
                )
            )
            return False
        if not create and not path.is_file():
            self.show_error(self.tr("{path}: no such file").format(path=path))
            return False
        try:
            store, read_only = connect(path)
        except UserError as exc:  # not a run store: the one open stays
            self.show_error(str(exc))
            return False
        self.playground.stop_batch(wait=True)
        self._store.close()
        self._store, self.read_only, self.db_path = store, read_only, path
        self.runs.db = str(path)
        self.banner.hide()
        self._apply_read_only()
        interrupted = [] if read_only else store.mark_interrupted()
        self.training.clear(
            self.tr("Run store {name} opened. Press Run, or reopen a run from History.").format(
                name=path.name
            )
        )
        self.predictions.show_predictions(
            [], self.tr("Predictions on the dev set appear after the first evaluation.")
        )
        self.playground.forget_all()
        self.compare.forget_all()
        self.refresh_runs()
        self.matrix.open_store(path)
        self.lesson.open_store(path)
        if interrupted:
            self.training.append_log(
                self.tr("Runs {runs} were cut off and are marked 'interrupted'.").format(
                    runs=", ".join(map(str, interrupted))
                )
            )
        self._show_store()
        self._status(self.status_stage, lambda: self.tr("Opened {path}").format(path=path))
        self.store_changed.emit(str(path))
        return True

    def open_store_dialog(self) -> None:
        path, _unused = QFileDialog.getOpenFileName(
            self, self.tr("Open run store"), str(self.db_path.parent), store_filter()
        )
        if path:
            self.open_store(path)

    def new_store_dialog(self) -> None:
        path, _unused = QFileDialog.getSaveFileName(
            self,
            self.tr("New run store"),
            str(self.db_path.parent / "runs.sqlite"),
            store_filter(),
            options=QFileDialog.DontConfirmOverwrite,
        )  # an existing file is never replaced
        if path:
            self.open_store(path if Path(path).suffix else path + ".sqlite", create=True)

    def _apply_read_only(self) -> None:
        read_only = bool(self.read_only)
        self.panel.set_run_allowed(not read_only)
        self.matrix.set_run_allowed(not read_only)
        self.lesson.set_run_allowed(not read_only)
        self.history.set_read_only(read_only)
        self.menus.sync()
        if read_only:
            self.show_error(
                self.tr(
                    "{reason}. It is open here for reading only: runs and sweeps cannot start."
                ).format(reason=self.read_only)
            )

    def _show_store_words(self) -> None:
        self.status_store.setText(self.tr("store: {path}").format(path=self.db_path))
        self.setWindowTitle(f"Transfer Explorer — {self.db_path.name}")

    def _show_store(self) -> None:
        self._show_store_words()
        if self.settings is not None:
            self.settings.add_recent_store(self.db_path)
            self.settings.set_last_store(self.db_path)

    # ---- remembered between starts -------------------------------------------------------------
    def _restore_panel(self) -> None:
        config = self.settings.experiment() if self.settings is not None else None
        if config is None:
            return
        try:
            self.panel.set_config(config)
        except Exception:  # noqa: BLE001 — settings the panel cannot show: start from defaults
            self.panel.set_config(ExperimentConfig())

    def _splitters(self) -> dict[str, QSplitter]:
        splitters = {"main": self.splitter}
        for index, name in enumerate(TAB_NAMES):
            for n, splitter in enumerate(self.tabs.widget(index).findChildren(QSplitter)):
                splitters[f"{name}-{n}"] = splitter
        return splitters

    def _restore_window(self) -> None:
        if self.settings is None:
            return
        geometry = self.settings.geometry()
        if geometry is not None:
            self.restoreGeometry(geometry)
        for name, splitter in self._splitters().items():
            state = self.settings.splitter(name)
            if state is not None:
                splitter.restoreState(state)
        if self.settings.tab() in TAB_NAMES:
            self.select_tab(self.settings.tab())
        self.lesson.select(*self.settings.lesson())  # where the tour was left

    def remember(self) -> None:
        """Write what the next start restores (on closing)."""
        settings = self.settings
        if settings is None:
            return
        settings.set_geometry(self.saveGeometry())
        for name, splitter in self._splitters().items():
            settings.set_splitter(name, splitter.saveState())
        settings.set_tab(TAB_NAMES[self.tabs.currentIndex()])
        settings.set_lesson(self.lesson.current_step.key, self.lesson.data)
        try:
            settings.set_experiment(self.panel.config())
        except UserError:  # a half-typed number: the settings remembered before stay
            pass
        settings.set_last_store(self.db_path)
        settings.sync()

    # ---- menus, keys, drops, the theme ----------------------------------------------------------
    def show_about(self) -> AboutDialog:
        dialog = AboutDialog(
            str(self.db_path), self.settings.file_name() if self.settings is not None else "", self
        )
        dialog.setAttribute(Qt.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def keyPressEvent(self, event) -> None:
        """Space pauses or resumes a run — only when no widget took the key (text fields,
        buttons and lists keep their own use of the space bar)."""
        if (
            event.key() == Qt.Key_Space
            and event.modifiers() == Qt.NoModifier
            and self.menus.pause.isEnabled()
        ):
            self.runs.toggle_pause()
            event.accept()
            return
        super().keyPressEvent(event)

    @staticmethod
    def _dropped_file(event) -> Path | None:
        urls = event.mimeData().urls() if event.mimeData().hasUrls() else []
        if len(urls) != 1 or not urls[0].isLocalFile():
            return None
        path = Path(urls[0].toLocalFile())
        return path if path.suffix.lower() in DATA_SUFFIXES + STORE_SUFFIXES else None

    def dragEnterEvent(self, event) -> None:
        if self._dropped_file(event) is not None:
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event) -> None:
        self.dragEnterEvent(event)

    def dropEvent(self, event) -> None:
        """A dataset file becomes the downstream data (after its column mapping); a
        .sqlite file is opened as the run store."""
        path = self._dropped_file(event)
        if path is None:
            event.ignore()
            return
        event.acceptProposedAction()
        # after the drop has returned: the drag source is not kept waiting on a dialog
        if path.suffix.lower() in STORE_SUFFIXES:
            QTimer.singleShot(0, lambda: self.open_store(path))
        else:
            QTimer.singleShot(0, lambda: self.open_local(pairs=True, path=str(path)))

    def changeEvent(self, event) -> None:
        """The system switched between light and dark: the plots follow the palette. The
        language changed: the window's words again (each widget retranslates its own)."""
        if event.type() in (QEvent.ApplicationPaletteChange, QEvent.PaletteChange):
            theme.configure_plots(self.palette())
            theme.restyle_plots(self)
        elif event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    # ---- data -------------------------------------------------------------------------------
    def open_local(self, pairs: bool, path: str | None = None) -> None:
        if self.running:
            self.show_error(self.tr("A run is in progress: stop it before choosing other data."))
            return
        if path is None:
            path, _unused = QFileDialog.getOpenFileName(
                self,
                self.tr("Open a dataset"),
                "",
                self.tr("Tables (*.tsv *.csv *.jsonl *.json *.txt);;All (*)"),
            )
            if not path:
                return
        from transfer_explorer.engine.data.files import read_table

        try:
            table = read_table(path)
        except UserError as exc:
            self.show_error(str(exc))
            return
        dialog = ColumnMappingDialog(table, pairs=pairs, parent=self)
        if dialog.exec():
            self.panel.add_local_dataset(pairs, path, dialog.mapping())

    def _tab_changed(self, index: int) -> None:
        if self.tabs.widget(index) is self.data:
            self.analyze_data()

    def analyze_data(self, force: bool = False) -> None:
        try:
            config = self.panel.config()
        except UserError as exc:
            self.show_error(str(exc))
            return
        self.data.analyze(
            config.downstream.data,
            config.downstream.columns,
            config.upstream.resolved_data,
            config.data_root,
            force=force,
        )

    # ---- messages ------------------------------------------------------------------------------
    def _fix_for(self, message: str):
        """A button that fixes the problem, where there is one: map a local file's columns."""
        config = self.runs.config
        if "give a mapping" not in message or config is None:
            return None
        for source, pairs in ((config.downstream.data, True), (config.upstream.data, False)):
            if source and Path(source).is_file() and source in message:
                return (self.tr("Map columns…"), lambda p=pairs, s=source: self.open_local(p, s))
        return None

    def _slot_exception(self, kind, exc, tb) -> None:
        """sys.excepthook while the window is open: Qt calls it for an exception that
        escapes a slot. On the GUI thread it becomes the banner, not a lost traceback."""
        if threading.current_thread() is not threading.main_thread():
            self._previous_hook(kind, exc, tb)
            return
        text = str(exc).strip()
        message = describe_db_error(exc) or (text.splitlines()[0] if text else kind.__name__)
        details = (
            "" if isinstance(exc, UserError) else "".join(traceback.format_exception(kind, exc, tb))
        )
        self.show_error(message, details)

    def show_error(self, message: str, details: str = "", action=None) -> None:
        self.banner.show_error(message, details, action)
        first = message.splitlines()[0][:120]
        self._status(self.status_stage, lambda: self.tr("Error: {message}").format(message=first))

    def _compare_runs(self, run_ids: list) -> None:
        self.compare.set_checked(run_ids)
        self.select_tab("compare")

    def _show_in_matrix(self, sweep, sweep_id) -> None:
        if not self.matrix.running:  # a running sweep keeps the Matrix tab's view
            self.matrix.show_sweep(sweep, sweep_id)
        self.select_tab("matrix")

    def select_tab(self, name: str) -> None:
        self.tabs.setCurrentIndex(TAB_NAMES.index(name))
