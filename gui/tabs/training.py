"""Training tab: live curves per stage, progress with ETA, and the run's log."""

from __future__ import annotations

import time

from PySide6.QtCore import Qt
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
from transfer_explorer.engine.labels import final_scores, shown
from transfer_explorer.gui.plots import PALETTE, CurveBuffer, Placeholder, curve, live_plot

# (stage, metric name as stored) -> (plot key, legend, colour, symbol)
SERIES = {
    ("upstream", "loss"): ("up_loss", "train loss", PALETTE[0], None),
    ("upstream", "dev_accuracy"): ("up_dev", "dev accuracy", PALETTE[2], "o"),
    ("upstream", "dev_masked_accuracy"): ("up_dev", "dev masked-token accuracy", PALETTE[4], "o"),
    ("upstream", "dev_next_token_accuracy"): ("up_dev", "dev next-token accuracy", PALETTE[5], "o"),
    ("downstream", "loss"): ("down_loss", "train loss", PALETTE[1], None),
    ("downstream", "dev_spearman"): ("down_dev", "dev Spearman", PALETTE[3], "o"),
    ("downstream", "dev_pearson"): ("down_dev", "dev Pearson", PALETTE[0], "t"),
    ("downstream", "dev_accuracy"): ("down_dev", "dev accuracy", PALETTE[3], "o"),
    ("downstream", "dev_f1"): ("down_dev", "dev F1", PALETTE[0], "t"),
}


def format_eta(seconds: float) -> str:
    seconds = max(0, int(seconds))
    return f"{seconds // 60}:{seconds % 60:02d}"


class TrainingTab(QWidget):
    def __init__(self, parent=None):
        super().__init__(parent)
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        self.stage_label = QLabel("Ready. Choose an experiment and press Run.")
        self.progress = QProgressBar()
        self.progress.setMinimumWidth(280)
        self.progress.setFormat("%p%")
        top.addWidget(self.stage_label, 1)
        top.addWidget(self.progress)
        layout.addLayout(top)

        grid_widget = QWidget()
        grid = QGridLayout(grid_widget)
        grid.setContentsMargins(0, 0, 0, 0)
        self.plots = {
            "up_loss": live_plot("Upstream · training loss", y_label="loss"),
            "up_dev": live_plot("Upstream · dev metric", y_label="%", legend_bottom=True),
            "down_loss": live_plot("Downstream · training loss", y_label="loss"),
            "down_dev": live_plot("Downstream · dev metric", y_label="×100", legend_bottom=True),
        }
        self.placeholders = {key: Placeholder(plot) for key, plot in self.plots.items()}
        grid.addWidget(self.plots["up_loss"], 0, 0)
        grid.addWidget(self.plots["up_dev"], 0, 1)
        grid.addWidget(self.plots["down_loss"], 1, 0)
        grid.addWidget(self.plots["down_dev"], 1, 1)
        self.log = QPlainTextEdit(readOnly=True)
        self.log.setMaximumBlockCount(2000)
        self.log.setPlaceholderText("Log")
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

    # ---- data in ----------------------------------------------------------------------------
    def reset(self, upstream_note: str | None = None) -> None:
        """Clear the curves; ``upstream_note`` explains empty upstream plots."""
        for buffer in self.buffers.values():
            buffer.clear()
        waiting = "waiting for the first points…"
        upstream = upstream_note or waiting
        for key in self.plots:
            self.placeholders[key].set(upstream if key.startswith("up") else waiting)
        self.redraw()
        self.log.clear()
        self.progress.setValue(0)
        self.stage_label.setText("Starting…")

    def clear(self, status: str) -> None:
        """Empty plots, no log: another run store was opened."""
        for buffer in self.buffers.values():
            buffer.clear()
        for key in self.plots:
            self.placeholders[key].set("")
        self.redraw()
        self.log.clear()
        self.progress.setValue(0)
        self.stage_label.setText(status)

    def _buffer(self, stage: str, name: str) -> CurveBuffer | None:
        key = (stage, name)
        if key not in SERIES:
            return None
        if key not in self.buffers:
            plot_key, legend, color, symbol = SERIES[key]
            self.buffers[key] = CurveBuffer()
            self.items[key] = curve(self.plots[plot_key], legend, color, symbol)
        return self.buffers[key]

    def handle(self, event) -> None:
        """Record an event (no drawing; ``redraw`` draws once per timer tick)."""
        if isinstance(event, ev.Step):
            self._buffer(event.stage, "loss").append(event.step, event.loss)
            self._set_progress(
                event.stage,
                event.step,
                event.total_steps,
                f"epoch {event.epoch} · {event.examples_per_s:.0f} ex/s",
            )
        elif isinstance(event, ev.Progress) and event.stage == "data":
            self._set_progress(
                "data",
                event.done,
                event.total,
                f"{event.message} ({event.done / 2**20:.0f} of {event.total / 2**20:.0f} MB)",
            )
        elif isinstance(event, ev.Progress):
            self._set_progress(event.stage, event.done, event.total, event.message)
        elif isinstance(event, ev.Eval) and event.split == "dev" and not event.final:
            for name, value in event.metrics.items():
                buffer = self._buffer(event.stage, f"dev_{name}")
                if buffer is not None:
                    buffer.append(event.step, value)
            shown = ", ".join(
                f"{k} {v:.1f}"
                for k, v in event.metrics.items()
                if k
                in (
                    "spearman",
                    "pearson",
                    "accuracy",
                    "f1",
                    "masked_accuracy",
                    "next_token_accuracy",
                    "perplexity",
                )
            )
            self.log.appendPlainText(
                f"{event.stage} epoch {event.epoch}, step {event.step} dev: {shown}"
            )
        elif isinstance(event, ev.Eval) and event.final:
            shown = ", ".join(
                f"{k} {v:.1f}"
                for k, v in event.metrics.items()
                if k in ("spearman", "pearson", "accuracy", "f1")
            )
            self.log.appendPlainText(f"best model on {event.split}: {shown}")
        elif isinstance(event, ev.StageStarted):
            if event.stage == "upstream" and event.cached:
                for key in ("up_loss", "up_dev"):
                    self.placeholders[key].set("upstream loaded from the cache")
            self._stage_name, self._stage_total = event.stage, event.total_steps
            self._stage_started = time.monotonic()
            text = f"{event.stage}" + (" — from the cache" if event.cached else "")
            if event.description:
                text += f" ({event.description})"
            self.stage_label.setText(text)
            self.log.appendPlainText(f"▶ {text}")
            self._progress_value, self._progress_dirty = (100 if event.cached else 0), True
        elif isinstance(event, ev.StageFinished):
            self.log.appendPlainText(
                f"✓ {event.stage} done in {event.seconds:.1f} s"
                + (" (cached)" if event.cached else "")
            )
        elif isinstance(event, ev.Log):
            self.log.appendPlainText(("⚠ " if event.level != "info" else "") + event.message)
        elif isinstance(event, ev.RunFinished):
            self.stage_label.setText(f"Run {event.run_id} {event.status} in {event.seconds:.1f} s")
            if event.metrics:
                self.log.appendPlainText(f"■ {final_scores(event.metrics)}")
            if event.status == "finished":
                self._progress_value, self._progress_dirty = 100, True
        elif isinstance(event, ev.RunFailed):
            self.stage_label.setText(f"Run {event.run_id} failed: {event.error}")

    def _set_progress(self, stage: str, done: int, total: int, detail: str) -> None:
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
        self.stage_label.setText(f"{stage}: step {done}/{total} · {detail} · ETA {format_eta(eta)}")

    def show_events(self, batch: list) -> None:
        """A batch from the run: record every event, then draw once."""
        for event in batch:
            self.handle(event)
        self.redraw()

    def append_log(self, text: str) -> None:
        self.log.appendPlainText(shown(text))  # one line per entry, whatever a name holds

    def set_status(self, text: str) -> None:
        self.stage_label.setText(text)

    # ---- drawing -------------------------------------------------------------------------------
    def redraw(self) -> None:
        for key, buffer in self.buffers.items():
            if buffer.dirty:
                self.items[key].setData(*buffer.view())
                buffer.dirty = False
                if buffer.size:
                    self.placeholders[SERIES[key][0]].set("")
        if self._progress_dirty:
            self.progress.setValue(self._progress_value)
            self._progress_dirty = False

    def load_curves(self, curves: dict, logs: list[dict] | None = None) -> None:
        """Show a finished run's curves from the store (History → Reopen)."""
        for buffer in self.buffers.values():
            buffer.clear()
        for key in self.plots:
            self.placeholders[key].set("no points recorded")
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
