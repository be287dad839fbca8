"""History tab: every run in the store — reopen, rename, delete, rerun, export the model (a
folder sentence-transformers or load_model reads), the metrics as CSV, the curves as PNG."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)
from superqt.utils import create_worker

from transfer_explorer.engine.errors import UserError
from transfer_explorer.engine.labels import describe_run, model_label, shown
from transfer_explorer.gui.save_file import save_text
from transfer_explorer.gui.table_model import RowsModel, status_text

STATUS_MARK = {
    "finished": "✓ finished",
    "stopped": "■ stopped",
    "failed": "✗ failed",
    "running": "… running",
    "interrupted": "⚡ interrupted",
}  # the rows hold these (English); the table shows them in the reader's language


def status_mark_text(mark: str) -> str:
    """A status as the table holds it ("✓ finished") in the reader's language."""
    symbol, _space, status = mark.partition(" ")
    if STATUS_MARK.get(status) == mark:
        return f"{symbol} {status_text(status)}"
    return status_text(mark)


class HistoryTab(QWidget):
    reopen_requested = Signal(int)
    rerun_requested = Signal(int)
    png_requested = Signal(int, str)
    changed = Signal()
    deleted = Signal(int)  # the run and its model are gone
    exported = Signal(object)  # engine.export.ExportResult, once the folder is written
    export_failed = Signal(str)

    def __init__(self, store_getter, parent=None):
        super().__init__(parent)
        self.store = store_getter
        layout = QVBoxLayout(self)
        buttons = QHBoxLayout()
        self.buttons = {}
        for key in ("reopen", "rename", "rerun", "model", "csv", "png", "delete"):
            button = QPushButton()
            buttons.addWidget(button)
            self.buttons[key] = button
        buttons.addStretch(1)
        self.count = QLabel("")
        buttons.addWidget(self.count)
        layout.addLayout(buttons)
        self.model = RowsModel([""] * 13, display={2: status_mark_text})  # headers: retranslate
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.DescendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SingleSelection)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeToContents)
        self.table.doubleClicked.connect(lambda _: self._with_selected(self.reopen_requested.emit))
        layout.addWidget(self.table, 1)
        self.export_status = QLabel("")
        self.export_status.setWordWrap(True)
        self.export_status.setTextInteractionFlags(Qt.TextSelectableByMouse)
        layout.addWidget(self.export_status)
        self.buttons["reopen"].clicked.connect(
            lambda: self._with_selected(self.reopen_requested.emit)
        )
        self.buttons["rerun"].clicked.connect(
            lambda: self._with_selected(self.rerun_requested.emit)
        )
        self.buttons["rename"].clicked.connect(lambda: self._with_selected(self._rename_dialog))
        self.buttons["delete"].clicked.connect(lambda: self._with_selected(self._delete_dialog))
        self.buttons["csv"].clicked.connect(lambda: self._with_selected(self._csv_dialog))
        self.buttons["model"].clicked.connect(lambda: self._with_selected(self._model_dialog))
        self._export_worker = None
        self.buttons["png"].clicked.connect(lambda: self._with_selected(self._png_dialog))
        self.runs: list[dict] = []
        self._export_state: tuple[str, dict] | None = None  # what export_status says
        self._counted = False  # the count shows once the runs are known
        self.retranslate()

    def retranslate(self) -> None:
        """Every word of the tab in the language in use (again when it changes)."""
        for key, text in (
            ("reopen", self.tr("Reopen")),
            ("rename", self.tr("Rename…")),
            ("rerun", self.tr("Rerun")),
            ("model", self.tr("Export model…")),
            ("csv", self.tr("Export CSV…")),
            ("png", self.tr("Export PNG…")),
            ("delete", self.tr("Delete…")),
        ):
            self.buttons[key].setText(text)
        self.buttons["model"].setToolTip(
            self.tr(
                "Write the run's model to a new folder: a sentence-transformers folder for checkpoint runs, safetensors + tokenizer for our own encoders, with a model card"  # noqa: E501
            )
        )
        self.model.set_headers(
            [
                self.tr("id"),
                self.tr("name"),
                self.tr("status"),
                self.tr("upstream"),
                self.tr("method"),
                self.tr("downstream"),
                self.tr("encoder"),
                self.tr("fraction"),
                self.tr("seed"),
                self.tr("dev"),
                self.tr("test"),
                self.tr("seconds"),
                self.tr("created"),
            ]
        )
        self.model.redisplay()
        if self._counted:
            self.count.setText(self.tr("%n runs", "", len(self.runs)))
        self._show_export_state()

    def changeEvent(self, event) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def _set_export_state(self, state: str, **values) -> None:
        self._export_state = (state, values)
        self._show_export_state()

    def _show_export_state(self) -> None:
        if self._export_state is None:
            return
        state, v = self._export_state
        if state == "exporting":
            text = self.tr("Exporting run {run} to {folder}…").format(**v)
        elif state == "exported":
            notes = "".join(self.tr(" Note: {note}.").format(note=n) for n in v["notes"])
            text = self.tr(
                "Exported as a {kind} folder to {folder} ({files} files, model card README.md).{notes}"  # noqa: E501
            ).format(kind=v["kind"], folder=v["folder"], files=v["files"], notes=notes)
        else:
            text = self.tr("Export failed: {error}").format(**v)
        self.export_status.setText(text)

    def set_read_only(self, read_only: bool) -> None:
        """A store open for reading only: what would write into it is switched off."""
        for key in ("rename", "rerun", "delete"):
            self.buttons[key].setEnabled(not read_only)

    def refresh(self, runs: list[dict]) -> None:
        selected = self.selected_id()
        self.runs = runs
        self.model.set_rows(
            [
                (
                    r["id"],
                    shown(r["name"] or ""),
                    STATUS_MARK.get(r["status"], r["status"]),
                    f"{r['upstream']}" + (f"({r['upstream_data']})" if r["upstream_data"] else ""),
                    r["method"],
                    r["downstream"],
                    model_label(r),
                    r["train_fraction"],
                    r["seed"],
                    r.get("dev_metric"),
                    r.get("test_metric"),
                    r.get("seconds"),
                    (r["created_at"] or "").replace("T", " ")[:19],
                )
                for r in runs
            ]
        )
        self.count.setText(self.tr("%n runs", "", len(runs)))
        self._counted = True
        if selected is not None:
            self.select(selected)

    def select(self, run_id: int) -> None:
        for row in range(self.model.rowCount()):
            if self.model.index(row, 0).data(Qt.UserRole) == run_id:
                self.table.selectRow(row)
                return

    def selected_id(self) -> int | None:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        return rows[0].data(Qt.UserRole) if rows else None

    def _with_selected(self, action) -> None:
        run_id = self.selected_id()
        if run_id is not None:
            action(run_id)

    # ---- actions (also called directly by tests) ------------------------------------------
    def rename(self, run_id: int, name: str) -> None:
        self.store().rename_run(run_id, name)
        self.changed.emit()

    def delete(self, run_id: int) -> None:
        self.store().delete_run(run_id)
        self.deleted.emit(run_id)
        self.changed.emit()

    def export_csv(self, run_id: int, path: str) -> None:
        text = io.StringIO(newline="")
        writer = csv.DictWriter(
            text, ["stage", "step", "epoch", "name", "value"], extrasaction="ignore"
        )
        writer.writeheader()
        writer.writerows(self.store().metrics(run_id))
        save_text(path, text.getvalue(), "csv", self.store().path)

    def export_model(self, run_id: int, folder: str, onnx: bool = False) -> None:
        """Write the model off the GUI thread (a checkpoint takes seconds); ``exported`` or
        ``export_failed`` says how it went. The store is read here, on the GUI thread."""
        from transfer_explorer.engine.saved.export import export_model  # torch: on first use

        store = self.store()
        run, curves = store.get_run(run_id), store.curves(run_id)
        self.buttons["model"].setEnabled(False)
        self._set_export_state("exporting", run=run_id, folder=folder)
        worker = create_worker(export_model, run, curves, folder, onnx)
        worker.returned.connect(self._exported)
        worker.errored.connect(self._export_failed)
        worker.finished.connect(self._export_finished)
        self._export_worker = worker
        worker.start()

    def _exported(self, result) -> None:
        self._set_export_state(
            "exported",
            kind=result.kind,
            folder=result.folder,
            files=len(result.files),
            notes=list(result.notes),
        )
        self.exported.emit(result)

    def _export_failed(self, exc: BaseException) -> None:
        self._set_export_state("failed", error=exc)
        self.export_failed.emit(str(exc))

    def _export_finished(self) -> None:
        self._export_worker = None
        self.buttons["model"].setEnabled(True)

    def _model_dialog(self, run_id: int) -> None:
        run = next((r for r in self.runs if r["id"] == run_id), None)
        if run is not None and run["status"] != "finished":
            QMessageBox.information(
                self,
                self.tr("Export model"),
                self.tr("Run {run} is {status}; only a finished run has a model to export.").format(
                    run=run_id, status=status_text(run["status"])
                ),
            )
            return
        path, _unused = QFileDialog.getSaveFileName(
            self,
            self.tr("Export model to a new folder"),
            f"run{run_id}-model",
            self.tr("Folder (*)"),
        )
        if not path:
            return
        from transfer_explorer.engine.saved.export import check_target

        try:
            check_target(Path(path))
        except UserError as exc:  # a folder with files in it: say so, write nothing
            QMessageBox.warning(self, self.tr("Export model"), str(exc))
            return
        self.export_model(run_id, path)

    def _rename_dialog(self, run_id: int) -> None:
        current = next((r["name"] for r in self.runs if r["id"] == run_id), "") or ""
        name, ok = QInputDialog.getText(
            self,
            self.tr("Rename run"),
            self.tr("Name of run {run}:").format(run=run_id),
            text=current,
        )
        if ok:
            self.rename(run_id, name.strip())

    def _delete_dialog(self, run_id: int) -> None:
        run = next((r for r in self.runs if r["id"] == run_id), None)
        if run and run["status"] == "running":
            self._running_dialog(run)
            return
        answer = QMessageBox.question(
            self,
            self.tr("Delete run"),
            self.tr("Delete run {run} ({description}) and its model?").format(
                run=run_id, description=describe_run(run)
            ),
        )
        if answer == QMessageBox.Yes:
            self.delete(run_id)

    def _running_dialog(self, run: dict) -> None:
        """A run that says 'running' cannot be deleted; when its process is gone in a way
        its lock could not tell (an older version wrote it), the user can say so."""
        answer = QMessageBox.question(
            self,
            self.tr("Delete run"),
            self.tr(
                "Run {run} is running (process {pid} on {host}). Stop it before deleting it.\n\nIf that process is gone, mark the run 'interrupted'?"  # noqa: E501
            ).format(run=run["id"], pid=run["pid"], host=run["host"]),
            QMessageBox.Yes | QMessageBox.No,
            QMessageBox.No,
        )
        if answer == QMessageBox.Yes:
            self.mark_interrupted(run["id"])

    def mark_interrupted(self, run_id: int) -> None:
        """Refused (UserError, shown in the banner) while the run's process holds it."""
        self.store().mark_run_interrupted(run_id)
        self.changed.emit()

    def _csv_dialog(self, run_id: int) -> None:
        path, _unused = QFileDialog.getSaveFileName(
            self, self.tr("Export metrics"), f"run{run_id}.csv", "CSV (*.csv)"
        )
        if path:
            self.export_csv(run_id, path)

    def _png_dialog(self, run_id: int) -> None:
        path, _unused = QFileDialog.getSaveFileName(
            self, self.tr("Export curves"), f"run{run_id}.png", "PNG (*.png)"
        )
        if path:
            self.png_requested.emit(run_id, path)
