"""Training tab: live curves per stage, progress with ETA, and the run's log."""

from __future__ import annotations

import time

from PySide6.QtCore import QT_TRANSLATE_NOOP, QEvent, Qt
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QProgressBar,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from transfer_explorer.engine import events as ev
from transfer_explorer.engine.labels import final_scores, metric_word, shown, split_word, stage_word
from transfer_explorer.gui.plots import (
    PALETTE,
    CurveBuffer,
    Placeholder,
    curve,
    live_plot,
    rename_curve,
)
from transfer_explorer.gui.table_model import status_text

# (stage, metric name as stored) -> (plot key, legend, colour, symbol)
SERIES = {
    ("upstream", "loss"): (
        "up_loss",
        QT_TRANSLATE_NOOP("TrainingTab", "train loss"),
        PALETTE[0],
        None,
    ),
    ("upstream", "dev_accuracy"): (
        "up_dev",
        QT_TRANSLATE_NOOP("TrainingTab", "dev accuracy"),
        PALETTE[2],
        "o",
    ),
    ("upstream", "dev_masked_accuracy"): (
        "up_dev",
        QT_TRANSLATE_NOOP("TrainingTab", "dev masked-token accuracy"),
        PALETTE[4],
        "o",
    ),
    ("upstream", "dev_next_token_accuracy"): (
        "up_dev",
        QT_TRANSLATE_NOOP("TrainingTab", "dev next-token accuracy"),
        PALETTE[5],
        "o",
    ),
    ("downstream", "loss"): (
        "down_loss",
        QT_TRANSLATE_NOOP("TrainingTab", "train loss"),
        PALETTE[1],
        None,
    ),
    ("downstream", "dev_spearman"): (
        "down_dev",
        QT_TRANSLATE_NOOP("TrainingTab", "dev Spearman"),
        PALETTE[3],
        "o",
    ),
    ("downstream", "dev_pearson"): (
        "down_dev",
        QT_TRANSLATE_NOOP("TrainingTab", "dev Pearson"),
        PALETTE[0],
        "t",
    ),
    ("downstream", "dev_accuracy"): (
        "down_dev",
        QT_TRANSLATE_NOOP("TrainingTab", "dev accuracy"),
        PALETTE[3],
        "o",
    ),
    ("downstream", "dev_f1"): (
        "down_dev",
        QT_TRANSLATE_NOOP("TrainingTab", "dev F1"),
        PALETTE[0],
        "t",
    ),
}


def format_eta(seconds: float) -> str:
    seconds = max(0, int(seconds))
    return f"{seconds // 60}:{seconds % 60:02d}"


class TrainingTab(QWidget):
    def __init__(self, parent=None):
        super().__init__(parent)
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        self.stage_label = QLabel()
        self.progress = QProgressBar()
        self.progress.setMinimumWidth(280)
        self.progress.setFormat("%p%")
        top.addWidget(self.stage_label, 1)
        top.addWidget(self.progress)
        layout.addLayout(top)

        grid_widget = QWidget()
        grid = QGridLayout(grid_widget)
        grid.setContentsMargins(0, 0, 0, 0)
        self.plots = {  # titles and axes: retranslate()
            "up_loss": live_plot(""),
            "up_dev": live_plot("", legend_bottom=True),
            "down_loss": live_plot(""),
            "down_dev": live_plot("", legend_bottom=True),
        }
        self.placeholders = {key: Placeholder(plot) for key, plot in self.plots.items()}
        grid.addWidget(self.plots["up_loss"], 0, 0)
        grid.addWidget(self.plots["up_dev"], 0, 1)
        grid.addWidget(self.plots["down_loss"], 1, 0)
        grid.addWidget(self.plots["down_dev"], 1, 1)
        self.log = QPlainTextEdit(readOnly=True)
        self.log.setMaximumBlockCount(2000)
        splitter = QSplitter(Qt.Vertical)
        splitter.addWidget(grid_widget)
        splitter.addWidget(self.log)
        splitter.setSizes([600, 110])
        layout.addWidget(splitter, 1)
        self.buffers: dict[tuple[str, str], CurveBuffer] = {}
        self.items = {}
        self._stage_total = 0
        self._stage_started = 0.0
        self._stage_name = ""
        self._progress_dirty = False
        self._progress_value = 0
        self._status: tuple = ("ready",)  # what the stage line says, shown by _show_status
        self._notes: dict[str, tuple] = {key: ("text", "") for key in self.plots}  # placeholders
        self.retranslate()

    # ---- words ---------------------------------------------------------------------------------
    def retranslate(self) -> None:
        """Every word of the tab in the language in use (again when it changes)."""
        titles = {
            "up_loss": (self.tr("Upstream · training loss"), self.tr("loss")),
            "up_dev": (self.tr("Upstream · dev metric"), "%"),
            "down_loss": (self.tr("Downstream · training loss"), self.tr("loss")),
            "down_dev": (self.tr("Downstream · dev metric"), "×100"),
        }
        for key, (title, y_label) in titles.items():
            plot = self.plots[key]
            plot.setTitle(title)
            plot.setLabel("left", y_label)
            plot.setLabel("bottom", self.tr("step"))
        for key, item in self.items.items():
            rename_curve(self.plots[SERIES[key][0]], item, self.tr(SERIES[key][1]))
        self.log.setPlaceholderText(self.tr("Log"))
        for key in self.plots:
            self._show_note(key)
        self._show_status()

    def changeEvent(self, event) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def _scores_text(self, metrics: dict, names: tuple[str, ...]) -> str:
        return ", ".join(f"{metric_word(k)} {v:.1f}" for k, v in metrics.items() if k in names)

    def _set_note(self, key: str, kind: str, text: str = "") -> None:
        self._notes[key] = (kind, text)
        self._show_note(key)

    def _show_note(self, key: str) -> None:
        kind, text = self._notes[key]
        notes = {
            "waiting": self.tr("waiting for the first points…"),
            "cached": self.tr("upstream loaded from the cache"),
            "none": self.tr("no points recorded"),
        }
        self.placeholders[key].set(notes.get(kind, text))

    def _set_status(self, *state) -> None:
        self._status = state
        self._show_status()

    def _show_status(self) -> None:
        kind, *values = self._status
        if kind == "ready":
            text = self.tr("Ready. Choose an experiment and press Run.")
        elif kind == "starting":
            text = self.tr("Starting…")
        elif kind == "stage":
            text = self._stage_line(*values)
        elif kind == "progress":
            stage, done, total, detail, eta = values
            text = self.tr("{stage}: step {done}/{total} · {detail} · ETA {eta}").format(
                stage=stage_word(stage),
                done=done,
                total=total,
                detail=self._detail_text(detail),
                eta=format_eta(eta),
            )
        elif kind == "finished":
            run_id, status, seconds = values
            text = self.tr("Run {run} {status} in {seconds:.1f} s").format(
                run=run_id, status=status_text(status), seconds=seconds
            )
        elif kind == "failed":
            run_id, error = values
            text = self.tr("Run {run} failed: {error}").format(run=run_id, error=error)
        else:  # "text": said by the window, as it said it
            text = values[0]
        self.stage_label.setText(text)

    def _stage_line(self, stage: str, cached: bool, description: str) -> str:
        name = stage_word(stage)
        text = self.tr("{stage} — from the cache").format(stage=name) if cached else name
        return f"{text} ({description})" if description else text

    def _detail_text(self, detail: tuple) -> str:
        kind, *values = detail
        if kind == "epoch":
            epoch, speed = values
            return self.tr("epoch {epoch} · {speed:.0f} ex/s").format(epoch=epoch, speed=speed)
        if kind == "download":
            message, done, total = values
            return self.tr("{message} ({done:.0f} of {total:.0f} MB)").format(
                message=message, done=done / 2**20, total=total / 2**20
            )
        return values[0]

    # ---- data in ----------------------------------------------------------------------------
    def reset(self, upstream_note: str | None = None) -> None:
        """Clear the curves; ``upstream_note`` explains empty upstream plots."""
        for buffer in self.buffers.values():
            buffer.clear()
        for key in self.plots:
            if key.startswith("up") and upstream_note:
                self._set_note(key, "text", upstream_note)
            else:
                self._set_note(key, "waiting")
        self.redraw()
        self.log.clear()
        self.progress.setValue(0)
        self._set_status("starting")

    def clear(self, status: str) -> None:
        """Empty plots, no log: another run store was opened."""
        for buffer in self.buffers.values():
            buffer.clear()
        for key in self.plots:
            self._set_note(key, "text", "")
        self.redraw()
        self.log.clear()
        self.progress.setValue(0)
        self._set_status("text", status)

    def _buffer(self, stage: str, name: str) -> CurveBuffer | None:
        key = (stage, name)
        if key not in SERIES:
            return None
        if key not in self.buffers:
            plot_key, legend, color, symbol = SERIES[key]
            self.buffers[key] = CurveBuffer()
            self.items[key] = curve(self.plots[plot_key], self.tr(legend), color, symbol)
        return self.buffers[key]

    def handle(self, event) -> None:
        """Record an event (no drawing; ``redraw`` draws once per timer tick)."""
        if isinstance(event, ev.Step):
            self._buffer(event.stage, "loss").append(event.step, event.loss)
            self._set_progress(
                event.stage,
                event.step,
                event.total_steps,
                ("epoch", event.epoch, event.examples_per_s),
            )
        elif isinstance(event, ev.Progress) and event.stage == "data":
            self._set_progress(
                "data",
                event.done,
                event.total,
                ("download", event.message, event.done, event.total),
            )
        elif isinstance(event, ev.Progress):
            self._set_progress(event.stage, event.done, event.total, ("message", event.message))
        elif isinstance(event, ev.Eval) and event.split == "dev" and not event.final:
            for name, value in event.metrics.items():
                buffer = self._buffer(event.stage, f"dev_{name}")
                if buffer is not None:
                    buffer.append(event.step, value)
            scores = self._scores_text(
                event.metrics,
                (
                    "spearman",
                    "pearson",
                    "accuracy",
                    "f1",
                    "masked_accuracy",
                    "next_token_accuracy",
                    "perplexity",
                ),
            )
            self.log.appendPlainText(
                self.tr("{stage} epoch {epoch}, step {step} dev: {scores}").format(
                    stage=stage_word(event.stage),
                    epoch=event.epoch,
                    step=event.step,
                    scores=scores,
                )
            )
        elif isinstance(event, ev.Eval) and event.final:
            scores = self._scores_text(event.metrics, ("spearman", "pearson", "accuracy", "f1"))
            self.log.appendPlainText(
                self.tr("best model on {split}: {scores}").format(
                    split=split_word(event.split), scores=scores
                )
            )
        elif isinstance(event, ev.StageStarted):
            if event.stage == "upstream" and event.cached:
                for key in ("up_loss", "up_dev"):
                    self._set_note(key, "cached")
            self._stage_name, self._stage_total = event.stage, event.total_steps
            self._stage_started = time.monotonic()
            self._set_status("stage", event.stage, event.cached, event.description)
            self.log.appendPlainText(
                f"▶ {self._stage_line(event.stage, event.cached, event.description)}"
            )
            self._progress_value, self._progress_dirty = (100 if event.cached else 0), True
        elif isinstance(event, ev.StageFinished):
            done = (
                self.tr("✓ {stage} done in {seconds:.1f} s (cached)")
                if event.cached
                else self.tr("✓ {stage} done in {seconds:.1f} s")
            )
            self.log.appendPlainText(
                done.format(stage=stage_word(event.stage), seconds=event.seconds)
            )
        elif isinstance(event, ev.Log):
            self.log.appendPlainText(("⚠ " if event.level != "info" else "") + event.message)
        elif isinstance(event, ev.RunFinished):
            self._set_status("finished", event.run_id, event.status, event.seconds)
            if event.metrics:
                self.log.appendPlainText(f"■ {final_scores(event.metrics)}")
            if event.status == "finished":
                self._progress_value, self._progress_dirty = 100, True
        elif isinstance(event, ev.RunFailed):
            self._set_status("failed", event.run_id, event.error)

    def _set_progress(self, stage: str, done: int, total: int, detail: tuple) -> None:
        if not total:
            return
        if stage != self._stage_name:
            self._stage_name, self._stage_total = stage, total
            self._stage_started = time.monotonic()
        elapsed = time.monotonic() - self._stage_started
        eta = elapsed / max(done, 1) * (total - done)
        value = int(100 * done / total)
        if value != self._progress_value:
            self._progress_value, self._progress_dirty = value, True
        self._set_status("progress", stage, done, total, detail, eta)

    def show_events(self, batch: list) -> None:
        """A batch from the run: record every event, then draw once."""
        for event in batch:
            self.handle(event)
        self.redraw()

    def append_log(self, text: str) -> None:
        self.log.appendPlainText(shown(text))  # one line per entry, whatever a name holds

    def set_status(self, text: str) -> None:
        self._set_status("text", text)

    # ---- drawing -------------------------------------------------------------------------------
    def redraw(self) -> None:
        for key, buffer in self.buffers.items():
            if buffer.dirty:
                self.items[key].setData(*buffer.view())
                buffer.dirty = False
                if buffer.size:
                    self._set_note(SERIES[key][0], "text", "")
        if self._progress_dirty:
            self.progress.setValue(self._progress_value)
            self._progress_dirty = False

    def load_curves(self, curves: dict, logs: list[dict] | None = None) -> None:
        """Show a finished run's curves from the store (History → Reopen)."""
        for buffer in self.buffers.values():
            buffer.clear()
        for key in self.plots:
            self._set_note(key, "none")
        for (stage, name), (steps, values) in curves.items():
            buffer = self._buffer(stage, name)
            if buffer is not None:
                buffer.extend(steps, values)
        self.log.clear()
        for log in logs or []:
            self.log.appendPlainText(log["message"])
        self.redraw()

    def point_count(self, stage: str = "downstream", name: str = "loss") -> int:
        buffer = self.buffers.get((stage, name))
        return buffer.size if buffer else 0
