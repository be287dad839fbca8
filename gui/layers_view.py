"""What a transfer keeps, drops and adds, drawn: the upstream model's blocks on the left,
the downstream model's on the right, kept blocks joined by arrows (their weights are
copied), the dropped output layer struck through, the new head marked as new. The blocks
come from engine.lesson.layers (the real models), not from a picture."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPalette, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from transfer_explorer.engine.lesson.layers import DROPPED, KEPT, NEW, Block

FILL = {KEPT: QColor("#d6e5f7"), DROPPED: QColor("#f6d3d0"), NEW: QColor("#d4efd6")}
EDGE = {KEPT: QColor("#3b73b9"), DROPPED: QColor("#c0392b"), NEW: QColor("#2e8b46")}
ROW, GAP, TOP = 24, 5, 26


class LayersView(QWidget):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.upstream: list[Block] = []
        self.downstream: list[Block] = []
        self.setSizePolicy(QSizePolicy.Expanding, QSizePolicy.Fixed)
        self.retranslate()

    def retranslate(self) -> None:
        self.titles = (
            self.tr("Sentiment classifier (upstream)"),
            self.tr("Similarity model (downstream)"),
        )
        self.fates = {
            KEPT: self.tr("copied"),
            DROPPED: self.tr("dropped"),
            NEW: self.tr("new"),
        }
        self.update()

    def changeEvent(self, event) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def set_blocks(self, upstream: list[Block], downstream: list[Block]) -> None:
        self.upstream, self.downstream = upstream, downstream
        rows = max(len(upstream), len(downstream), 1)
        self.setFixedHeight(TOP + rows * (ROW + GAP) + 4)
        self.update()

    def _box(self, column: int, row: int) -> QRectF:
        width = self.width() * 0.42
        left = 8 if column == 0 else self.width() - width - 8
        return QRectF(left, TOP + row * (ROW + GAP), width, ROW)

    def paintEvent(self, event) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.Antialiasing)
        text = self.palette().color(QPalette.WindowText)
        bold = QFont(self.font())
        bold.setBold(True)
        painter.setFont(bold)
        painter.setPen(text)
        for column, title in enumerate(self.titles):
            box = self._box(column, 0)
            painter.drawText(QRectF(box.left(), 2, box.width(), TOP - 6), Qt.AlignCenter, title)
        painter.setFont(self.font())
        rows = {}
        for column, blocks in enumerate((self.upstream, self.downstream)):
            for row, block in enumerate(blocks):
                box = self._box(column, row)
                rows[(column, block.key)] = box
                painter.setPen(QPen(EDGE[block.fate], 1.4))
                painter.setBrush(FILL[block.fate])
                painter.drawRoundedRect(box, 4, 4)
                painter.setPen(QColor("#222"))  # on the light fills, in either theme
                label = f"{block.label} · {block.weights:,}"
                inner = box.adjusted(6, 0, -6, 0)
                painter.drawText(inner, Qt.AlignVCenter | Qt.AlignLeft, label)
                if block.fate != KEPT:  # what happens to it, at the box's right end
                    painter.setPen(EDGE[block.fate])
                    mark = ("✕ " if block.fate == DROPPED else "+ ") + self.fates[block.fate]
                    painter.drawText(inner, Qt.AlignVCenter | Qt.AlignRight, mark)
                if block.fate == DROPPED:
                    painter.setPen(QPen(EDGE[DROPPED], 1.5))
                    middle = box.center().y()
                    width = painter.fontMetrics().horizontalAdvance(label)
                    painter.drawLine(
                        QPointF(inner.left(), middle), QPointF(inner.left() + width, middle)
                    )
        painter.setPen(QPen(EDGE[KEPT], 1.2))
        for block in self.upstream:  # arrows: the kept blocks' weights are copied across
            if block.fate == KEPT and (0, block.key) in rows and (1, block.key) in rows:
                start, end = rows[(0, block.key)], rows[(1, block.key)]
                a = QPointF(start.right(), start.center().y())
                b = QPointF(end.left(), end.center().y())
                painter.drawLine(a, b)
                painter.drawLine(b, b + QPointF(-6, -4))
                painter.drawLine(b, b + QPointF(-6, 4))
        kept = next((b for b in self.upstream if b.fate == KEPT), None)
        if kept is not None:  # one word on the arrows, between the columns
            painter.setPen(EDGE[KEPT])
            first = rows[(0, kept.key)]
            painter.drawText(
                QRectF(
                    first.right(),
                    first.top() - ROW + 8,
                    self._box(1, 0).left() - first.right(),
                    ROW - 8,
                ),
                Qt.AlignCenter,
                self.fates[KEPT],
            )
        painter.end()
