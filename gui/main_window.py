"""The explorer window: experiment panel on the left, tabs on the right, status at the bottom.

The window owns the worker thread. A 40 ms timer drains the worker's event queue and
updates widgets in one batch (≤ 25 redraws/s); nothing else crosses threads.
"""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (QFileDialog, QLabel, QMainWindow, QScrollArea, QSplitter,
                               QTabWidget, QVBoxLayout, QWidget)

from engine import events as ev
from engine.config import ExperimentConfig
from engine.errors import UserError
from engine.paths import default_db
from engine.store import Store
from gui import gc_guard
from gui.banner import ErrorBanner
from gui.column_dialog import ColumnMappingDialog
from gui.panel import ExperimentPanel
from gui.tabs.compare import CompareTab
from gui.tabs.data import DataTab
from gui.tabs.history import HistoryTab
from gui.tabs.matrix import MatrixTab
from gui.tabs.playground import PlaygroundTab
from gui.tabs.predictions import PredictionsTab
from gui.tabs.training import TrainingTab
from gui.worker import ExperimentThread, WorkerError

DRAIN_INTERVAL_MS = 40
TAB_NAMES = ("training", "predictions", "data", "compare", "playground", "history", "matrix")


class MainWindow(QMainWindow):
    run_finished = Signal(object)  # RunResult or WorkerError

    def __init__(self, db: str | Path | None = None, cache: str | None = None,
                 data_root: str | None = None):
        super().__init__()
        gc_guard.hold()
        self._gc_held = True
        self.setWindowTitle("Transfer Explorer")
        self.db_path = Path(db) if db else default_db()
        self.cache = cache
        self._store = Store(self.db_path)
        interrupted = self._store.mark_interrupted()
        self.thread: ExperimentThread | None = None
        self._config: ExperimentConfig | None = None
        self.first_point_ms: float | None = None

        self.panel = ExperimentPanel()
        if data_root:
            self.panel.data_root.setText(data_root)
        scroll = QScrollArea()
        scroll.setWidget(self.panel)
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        scroll.setMinimumWidth(360)

        self.tabs = QTabWidget()
        self.training = TrainingTab()
        self.predictions = PredictionsTab()
        self.data = DataTab()
        self.compare = CompareTab(self.store)
        self.playground = PlaygroundTab()
        self.history = HistoryTab(self.store)
        self.matrix = MatrixTab(self.store, self.db_path, cache,
                                lambda: self.panel.data_root.text().strip() or None)
        for widget, title in ((self.training, "Training"), (self.predictions, "Predictions"),
                              (self.data, "Data"), (self.compare, "Compare"),
                              (self.playground, "Playground"), (self.history, "History"),
                              (self.matrix, "Matrix")):
            self.tabs.addTab(widget, title)
        self.banner = ErrorBanner()
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.banner)
        right_layout.addWidget(self.tabs, 1)
        splitter = QSplitter(Qt.Horizontal)
        splitter.addWidget(scroll)
        splitter.addWidget(right)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([380, 1020])
        self.setCentralWidget(splitter)

        self.status_stage = QLabel("Ready")
        self.status_speed = QLabel("")
        self.status_device = QLabel("")
        self.status_cache = QLabel("")
        bar = self.statusBar()
        bar.addWidget(self.status_stage, 1)
        for label in (self.status_speed, self.status_device, self.status_cache):
            bar.addPermanentWidget(label)
        bar.addPermanentWidget(QLabel(f"store: {self.db_path}"))

        self.timer = QTimer(self, interval=DRAIN_INTERVAL_MS)
        self.timer.timeout.connect(self.drain)
        self.panel.run_clicked.connect(self.start_run)
        self.panel.pause_clicked.connect(self.toggle_pause)
        self.panel.stop_clicked.connect(self.stop_run)
        self.panel.open_local_downstream.connect(lambda: self.open_local(pairs=True))
        self.panel.open_local_upstream.connect(lambda: self.open_local(pairs=False))
        self.history.reopen_requested.connect(self.reopen)
        self.history.rerun_requested.connect(self.rerun)
        self.history.png_requested.connect(self.export_png)
        self.history.changed.connect(self.refresh_runs)
        self.data.analyze_button.clicked.connect(lambda: self.analyze_data(force=True))
        self.tabs.currentChanged.connect(self._tab_changed)
        self.playground.error_sink = self.show_error
        self.matrix.error.connect(self.show_error)
        self.matrix.running_changed.connect(self._sweep_running)
        self.sweep_timer = QTimer(self, interval=DRAIN_INTERVAL_MS)
        self.sweep_timer.timeout.connect(self.matrix.drain)
        self.refresh_runs()
        self.matrix.show_latest()
        if interrupted:
            self.training.log.appendPlainText(
                f"Runs {', '.join(map(str, interrupted))} were cut off when the app last ended "
                "and are marked 'interrupted'.")
        self.resize(1400, 900)

    def store(self) -> Store:
        return self._store

    def _sweep_running(self, running: bool) -> None:
        """One thing trains at a time: a sweep and a single run would share the CPU."""
        self.panel.run_button.setEnabled(not running and not self.running)
        if running:
            self.sweep_timer.start()
        else:
            self.sweep_timer.stop()
            self.refresh_runs()

    # ---- running ----------------------------------------------------------------------------
    @property
    def running(self) -> bool:
        return self.thread is not None and self.thread.isRunning()

    def start_run(self, config: ExperimentConfig | None = None) -> bool:
        if self.running or self.matrix.running:
            return False
        config = config or self.panel.config()
        from engine.runner import check_settings

        try:
            check_settings(config)
        except UserError as exc:
            self.show_error(str(exc))
            return False
        self.banner.hide()
        trains_upstream = config.upstream.task in ("sentiment", "word2vec", "mlm") \
            and config.method != "scratch"
        self.training.reset(upstream_note=None if trains_upstream else
                            "pre-trained elsewhere — loaded, not trained here"
                            if config.upstream.task in ("hf", "glove") else
                            "no upstream training in this run")
        self._config = config
        self.status_cache.setText("")
        self.status_speed.setText("")
        self.first_point_ms = None
        import time
        self._started = time.perf_counter()
        self.thread = ExperimentThread(config, str(self.db_path), self.cache, self)
        self.thread.finished.connect(self._thread_finished)
        self.panel.set_running(True)
        self.matrix.run_button.setEnabled(False)
        self.status_stage.setText(f"Running {config.describe()}…")
        self.tabs.setCurrentWidget(self.training)
        self.thread.start()
        self.timer.start()
        return True

    def toggle_pause(self) -> None:
        if not self.running:
            return
        control = self.thread.control
        if control.paused:
            control.resume()
            self.status_stage.setText("Resumed")
        else:
            control.pause()
            self.status_stage.setText("Paused — press Resume to continue, Stop to end the run")
        self.panel.set_running(True, paused=control.paused)

    def stop_run(self) -> None:
        if self.running:
            self.thread.control.stop()
            self.status_stage.setText("Stopping at the next step…")

    def drain(self) -> None:
        """Timer tick on the GUI thread: apply every queued event, then redraw once."""
        if self.thread is None:
            return
        for event in self.thread.drain():
            self.dispatch(event)
        self.training.redraw()
        self.predictions.redraw()

    def dispatch(self, event) -> None:
        if isinstance(event, WorkerError):
            self.show_error(event.message, event.details, self._fix_for(event.message))
            return
        self.training.handle(event)
        self.predictions.handle(event)
        if isinstance(event, ev.RunStarted):
            self.status_device.setText(f"device: {event.device}")
        elif isinstance(event, ev.Step):
            memory = (f" · GPU memory {event.device_memory_mb:,.0f} MiB"
                      if event.device_memory_mb else "")
            self.status_speed.setText(f"{event.examples_per_s:,.0f} examples/s{memory}")
            if self.first_point_ms is None and event.stage in ("downstream", "upstream"):
                import time
                self.first_point_ms = 1000 * (time.perf_counter() - self._started)
        elif isinstance(event, ev.StageStarted) and event.stage == "upstream":
            self.status_cache.setText("upstream: from cache" if event.cached
                                      else "upstream: training")
        elif isinstance(event, ev.StageFinished) and event.stage == "upstream" \
                and not event.cached:
            if self._config is not None and self._config.upstream.task in ("hf", "glove"):
                self.status_cache.setText(f"upstream: pre-trained, loaded in {event.seconds:.1f} s")
            else:
                self.status_cache.setText(f"upstream: trained in {event.seconds:.0f} s "
                                          "(now cached)")
        elif isinstance(event, ev.RunFailed):
            self.show_error(f"Run {event.run_id} failed: {event.error}", event.traceback)

    def _thread_finished(self) -> None:
        thread = self.thread
        self.timer.stop()
        self.drain()  # whatever arrived after the last tick
        self.panel.set_running(False)
        self.matrix.run_button.setEnabled(True)
        result = thread.result if thread else None
        if result is not None:
            self.status_stage.setText(f"Run {result.run_id} {result.status} "
                                      f"({result.seconds:.1f} s)")
        else:
            self.status_stage.setText("Ready")
        self.refresh_runs()
        if result is not None and result.status == "finished":
            self.playground.select_run(result.run_id)
            self.compare_latest(result.run_id)
        self.run_finished.emit(result)

    def closeEvent(self, event) -> None:
        # Closing during a run stops it and waits for the thread: nothing is left half-written.
        if self.thread is not None:
            self.thread.finished.disconnect(self._thread_finished)  # no late refresh
            if self.thread.isRunning():
                self.thread.control.stop()
                self.thread.wait()
        sweep = self.matrix.thread
        if sweep is not None:
            sweep.finished.disconnect(self.matrix._finished)
            if sweep.isRunning():
                sweep.control.stop()
                sweep.wait()
        self.playground.stop_batch(wait=True)
        self.timer.stop()
        self.sweep_timer.stop()
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

    def compare_latest(self, run_id: int) -> None:
        checked = self.compare.checked_ids()
        if run_id not in checked:
            self.compare.set_checked((checked + [run_id])[-6:])

    def reopen(self, run_id: int) -> None:
        run = self._store.get_run(run_id)
        self.training.load_curves(self._store.curves(run_id), self._store.logs(run_id))
        self.training.stage_label.setText(f"Run {run_id}: {run['status']} — reopened from the store")
        rows = self._store.predictions(run_id, "downstream", "dev")
        if rows:
            self.predictions.load_rows(rows, f"Run {run_id}, dev, best model")
        self.playground.select_run(run_id)
        self.tabs.setCurrentWidget(self.training)

    def rerun(self, run_id: int) -> None:
        config = ExperimentConfig.from_dict(self._store.get_run(run_id)["config"])
        self.panel.set_config(config)
        self.start_run(config)

    def export_png(self, run_id: int, path: str) -> None:
        self.reopen(run_id)
        self.training.redraw()
        if not self.training.grab().save(path):
            self.show_error(f"could not write {path}")

    # ---- data -------------------------------------------------------------------------------
    def open_local(self, pairs: bool, path: str | None = None) -> None:
        if path is None:
            path, _ = QFileDialog.getOpenFileName(
                self, "Open a dataset", "", "Tables (*.tsv *.csv *.jsonl *.json *.txt);;All (*)")
            if not path:
                return
        from engine.data.files import read_table

        try:
            table = read_table(path)
        except UserError as exc:
            self.show_error(str(exc))
            return
        dialog = ColumnMappingDialog(table, pairs=pairs, parent=self)
        if dialog.exec():
            combo = self.panel.downstream if pairs else self.panel.upstream_data
            combo.add_local(path, dialog.mapping())

    def _tab_changed(self, index: int) -> None:
        if self.tabs.widget(index) is self.data:
            self.analyze_data()

    def analyze_data(self, force: bool = False) -> None:
        config = self.panel.config()
        upstream = config.upstream.data if config.upstream.task != "none" else None
        if force:
            self.data._request = None
        self.data.analyze(config.downstream.data, config.downstream.columns, upstream,
                          config.data_root, on_error=self.show_error)

    # ---- messages ------------------------------------------------------------------------------
    def _fix_for(self, message: str):
        """A button that fixes the problem, where there is one: map a local file's columns."""
        if "give a mapping" not in message or self._config is None:
            return None
        for source, pairs in ((self._config.downstream.data, True),
                              (self._config.upstream.data, False)):
            if source and Path(source).is_file() and source in message:
                return ("Map columns…", lambda: self.open_local(pairs, source))
        return None

    def show_error(self, message: str, details: str = "", action=None) -> None:
        self.banner.show_error(message, details, action)
        self.status_stage.setText("Error: " + message.splitlines()[0][:120])

    def select_tab(self, name: str) -> None:
        self.tabs.setCurrentIndex(TAB_NAMES.index(name))
