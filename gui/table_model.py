"""A small read-only table model over a list of row tuples, sortable by clicking a header.

The rows hold the values as the engine gives them (English statuses, ids); what a column
shows can go through a ``display`` function (a status in the reader's language), and the
headers can be set again when the language changes (:meth:`RowsModel.set_headers`).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable

from PySide6.QtCore import QAbstractTableModel, QCoreApplication, QModelIndex, Qt

from transfer_explorer.engine.labels import stage_word, status_word


class RowsModel(QAbstractTableModel):
    """``rows`` stay in the order given; the view shows them through a sorted permutation.

    Sorting happens here, with one Python key per row, rather than in a
    QSortFilterProxyModel, which calls ``data()`` for every comparison: re-sorting the 1,500
    dev predictions of STS-B that way took ~0.3 s of the GUI thread at every evaluation.
    """

    def __init__(
        self,
        headers: list[str],
        parent=None,
        display: dict[int, Callable[[object], str]] | None = None,
    ):
        super().__init__(parent)
        self.headers = headers
        self.display = display or {}  # column → what a (non-blank) value shows as
        self.rows: list[tuple] = []
        self._order: list[int] = []
        self._sort_column, self._sort_order = -1, Qt.AscendingOrder

    def set_headers(self, headers: list[str]) -> None:
        """New header texts for the same columns (the language changed)."""
        self.headers = list(headers)
        if self.headers:
            self.headerDataChanged.emit(Qt.Horizontal, 0, len(self.headers) - 1)

    def redisplay(self) -> None:
        """The ``display`` functions read differently now (the language changed)."""
        if self.rows and self.headers:
            self.dataChanged.emit(
                self.index(0, 0), self.index(len(self.rows) - 1, len(self.headers) - 1)
            )

    def set_rows(self, rows: list[tuple]) -> None:
        self.beginResetModel()
        self.rows = rows
        self._order = self._sorted_order()
        self.endResetModel()

    def sort(self, column: int, order=Qt.AscendingOrder) -> None:
        self._sort_column, self._sort_order = column, order
        self.layoutAboutToBeChanged.emit()
        old = self._order
        self._order = self._sorted_order()
        # keep selections and the current cell on the same rows
        where = {source: row for row, source in enumerate(self._order)}
        for index in self.persistentIndexList():
            if index.isValid() and index.row() < len(old):
                self.changePersistentIndex(
                    index, self.index(where[old[index.row()]], index.column())
                )
        self.layoutChanged.emit()

    def _sorted_order(self) -> list[int]:
        order = list(range(len(self.rows)))
        column = self._sort_column
        if column < 0 or column >= len(self.headers):
            return order  # -1: the order the rows were given in
        blank = [i for i in order if _is_blank(self.rows[i][column])]
        filled = [i for i in order if not _is_blank(self.rows[i][column])]
        filled.sort(
            key=lambda i: _sort_key(self.rows[i][column]),
            reverse=self._sort_order == Qt.DescendingOrder,
        )
        return filled + blank  # blanks last either way

    def row(self, view_row: int) -> tuple:
        """The row shown at ``view_row``."""
        return self.rows[self._order[view_row]]

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: B008 (Qt's own signature)
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.headers)

    def data(self, index, role=Qt.DisplayRole):
        if not index.isValid():
            return None
        value = self.rows[self._order[index.row()]][index.column()]
        if role == Qt.DisplayRole:
            shown = self.display.get(index.column())
            if shown is not None and not _is_blank(value):
                return shown(value)
            if isinstance(value, float):
                return f"{value:.3f}" if abs(value) < 10 else f"{value:.1f}"
            return "" if value is None else str(value)
        if role == Qt.UserRole:  # the raw value
            return value
        if role == Qt.TextAlignmentRole and isinstance(value, (int, float)):
            return int(Qt.AlignRight | Qt.AlignVCenter)
        if role == Qt.ToolTipRole and isinstance(value, str) and len(value) > 40:
            return value
        return None

    def headerData(self, section, orientation, role=Qt.DisplayRole):
        if role == Qt.DisplayRole and orientation == Qt.Horizontal:
            return self.headers[section]
        return None


def status_text(status: str) -> str:
    """A run's or a sweep cell's status (as stored, in English) in the reader's language;
    a cell's progress ("downstream 40%") too. A run's statuses and the stages are the
    engine's words (engine.labels), as on the command line; unknown words stay as they are."""
    cell_words = {
        "queued": QCoreApplication.translate("RunStatus", "queued"),
        "not run": QCoreApplication.translate("RunStatus", "not run"),
        "done earlier": QCoreApplication.translate("RunStatus", "done earlier"),
    }
    if status in cell_words:
        return cell_words[status]
    progress = re.fullmatch(r"(\w+) (\d+)%", status)
    if progress is not None:
        stage, percent = progress.groups()
        return QCoreApplication.translate("RunStatus", "{stage} {percent}%").format(
            stage=stage_word(stage), percent=percent
        )
    return status_word(status)


def _is_blank(value) -> bool:
    return value is None or value == "" or (isinstance(value, float) and math.isnan(value))


def _sort_key(value):
    # numbers before text, so a column that mixes them still sorts without a TypeError
    return (0, value, "") if isinstance(value, (int, float)) else (1, 0, str(value).casefold())
