"""Map a local file's columns to sentence1 / sentence2 / score-or-label (or sentence / label),
and for sentence pairs the column that says each row's split (train/dev/test)."""

from __future__ import annotations

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

NONE = "— none —"
SPLIT_OFF = "— none: split at random —"


class ColumnMappingDialog(QDialog):
    def __init__(self, table: Table, pairs: bool = True, parent=None):
        super().__init__(parent)
        self.setWindowTitle(f"Columns of {table.path.name}")
        self.fields = (
            ("sentence1", "sentence2", "score", "label") if pairs else ("sentence", "label")
        )
        detected = detect_columns(table.columns, self.fields, None, table.path)
        if pairs and "score" in detected and "label" in detected:
            detected.pop("label")
        layout = QVBoxLayout(self)
        size = f"{table.size / 2**20:.1f} MB" if table.size > 2**20 else f"{table.size:,} bytes"
        layout.addWidget(QLabel(f"{size}, encoding {table.encoding}. Which column holds what?"))
        form = QFormLayout()
        self.combos: dict[str, QComboBox] = {}
        for field in self.fields:
            combo = QComboBox()
            combo.addItem(NONE, None)
            for column in table.columns:
                combo.addItem(column, column)
            if field in detected:
                combo.setCurrentIndex(combo.findData(detected[field]))
            self.combos[field] = combo
            form.addRow(field, combo)
        if pairs:  # the text corpus of an upstream reads no mapping
            self.combos[SPLIT_FIELD] = self._split_combo(table, detected)
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

    @staticmethod
    def _split_combo(table: Table, detected: dict[str, str]) -> QComboBox:
        """Detect (the default: by name, checked when the file is read), none, or a column."""
        found = [c for c in table.columns if is_split_name(c) and c not in detected.values()]
        combo = QComboBox()
        combo.addItem(
            f"— detect ({', '.join(found)}) —" if found else "— detect (none found by name) —", None
        )
        combo.addItem(SPLIT_OFF, NO_SPLIT_COLUMN)
        for column in table.columns:
            combo.addItem(column, column)
        combo.setToolTip(
            "A column whose values are train, dev (valid, validation, trial) or "
            "test puts each row in that split; otherwise dev and test are split "
            "off at random"
        )
        return combo

    def mapping(self) -> dict[str, str]:
        return {f: c.currentData() for f, c in self.combos.items() if c.currentData()}

    def _accept(self) -> None:
        mapping = self.mapping()
        if "sentence1" in self.fields:
            needed = ["sentence1", "sentence2"]
            if not any(f in mapping for f in ("score", "label")):
                self.problem.setText("choose a score or a label column")
                return
        else:
            needed = ["sentence"]
        missing = [f for f in needed if f not in mapping]
        if missing:
            self.problem.setText(f"choose a column for {', '.join(missing)}")
            return
        if len(set(mapping.values())) != len(mapping):
            self.problem.setText("each column can be used once")
            return
        self.accept()
