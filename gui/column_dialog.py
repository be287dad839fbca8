"""Map a local file's columns to sentence1 / sentence2 / score-or-label (or sentence / label),
and for sentence pairs the column that says each row's split (train/dev/test)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from transfer_explorer.engine.data.files import Table, detect_columns
from transfer_explorer.engine.data.splits import NO_SPLIT_COLUMN, SPLIT_FIELD, is_split_name

NONE = "— none —"  # English; shown through none_text() / split_off_text()
SPLIT_OFF = "— none: split at random —"


def none_text() -> str:
    return QCoreApplication.translate("ColumnMappingDialog", "— none —")


def split_off_text() -> str:
    return QCoreApplication.translate("ColumnMappingDialog", "— none: split at random —")


class ColumnMappingDialog(QDialog):
    def __init__(self, table: Table, pairs: bool = True, parent=None):
        super().__init__(parent)
        self.table = table
        self._problem = None  # what writes the problem shown (again on a language change)
        self.fields = (
            ("sentence1", "sentence2", "score", "label") if pairs else ("sentence", "label")
        )
        detected = detect_columns(table.columns, self.fields, None, table.path)
        if pairs and "score" in detected and "label" in detected:
            detected.pop("label")
        layout = QVBoxLayout(self)
        self.intro = QLabel()
        layout.addWidget(self.intro)
        form = QFormLayout()
        self.combos: dict[str, QComboBox] = {}
        for field in self.fields:
            combo = QComboBox()
            combo.addItem(none_text(), None)
            for column in table.columns:
                combo.addItem(column, column)
            if field in detected:
                combo.setCurrentIndex(combo.findData(detected[field]))
            self.combos[field] = combo
            form.addRow(field, combo)
        if pairs:  # the text corpus of an upstream reads no mapping
            self._found = [
                c for c in table.columns if is_split_name(c) and c not in detected.values()
            ]
            self.combos[SPLIT_FIELD] = self._split_combo(table)
            form.addRow(SPLIT_FIELD, self.combos[SPLIT_FIELD])
        layout.addLayout(form)
        rows = table.preview(5)
        preview = QTableWidget(len(rows), len(table.columns))
        preview.setHorizontalHeaderLabels(table.columns)
        for r, row in enumerate(rows):
            for c, column in enumerate(table.columns):
                preview.setItem(r, c, QTableWidgetItem(row[column][:80]))
        preview.setMaximumHeight(170)
        layout.addWidget(preview)
        self.problem = QLabel()
        self.problem.setStyleSheet("color: #b00020")
        layout.addWidget(self.problem)
        buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(560, 420)
        self.retranslate()

    def retranslate(self) -> None:
        """The dialog's words; the columns chosen stay."""
        table = self.table
        self.setWindowTitle(self.tr("Columns of {name}").format(name=table.path.name))
        size = (
            self.tr("{size:.1f} MB").format(size=table.size / 2**20)
            if table.size > 2**20
            else self.tr("{size:,} bytes").format(size=table.size)
        )
        self.intro.setText(
            self.tr("{size}, encoding {encoding}. Which column holds what?").format(
                size=size, encoding=table.encoding
            )
        )
        for field, combo in self.combos.items():
            if field != SPLIT_FIELD:
                combo.setItemText(0, none_text())
        split = self.combos.get(SPLIT_FIELD)
        if split is not None:
            found = self._found
            split.setItemText(
                0,
                self.tr("— detect ({columns}) —").format(columns=", ".join(found))
                if found
                else self.tr("— detect (none found by name) —"),
            )
            split.setItemText(1, split_off_text())
            split.setToolTip(
                self.tr(
                    "A column whose values are train, dev (valid, validation, trial) or test puts each row in that split; otherwise dev and test are split off at random"  # noqa: E501
                )
            )
        self._show_problem(self._problem)

    def changeEvent(self, event) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def _show_problem(self, render) -> None:
        self._problem = render
        self.problem.setText(render() if render is not None else "")

    @staticmethod
    def _split_combo(table: Table) -> QComboBox:
        """Detect (the default: by name, checked when the file is read), none, or a column;
        the words of the first two entries are set in retranslate."""
        combo = QComboBox()
        combo.addItem("", None)
        combo.addItem("", NO_SPLIT_COLUMN)
        for column in table.columns:
            combo.addItem(column, column)
        return combo

    def mapping(self) -> dict[str, str]:
        return {f: c.currentData() for f, c in self.combos.items() if c.currentData()}

    def _accept(self) -> None:
        mapping = self.mapping()
        if "sentence1" in self.fields:
            needed = ["sentence1", "sentence2"]
            if not any(f in mapping for f in ("score", "label")):
                self._show_problem(lambda: self.tr("choose a score or a label column"))
                return
        else:
            needed = ["sentence"]
        missing = [f for f in needed if f not in mapping]
        if missing:
            fields = ", ".join(missing)
            self._show_problem(
                lambda: self.tr("choose a column for {fields}").format(fields=fields)
            )
            return
        if len(set(mapping.values())) != len(mapping):
            self._show_problem(lambda: self.tr("each column can be used once"))
            return
        self.accept()
