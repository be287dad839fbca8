"""An inline message bar for errors: readable, dismissable, never blocks the app."""

from __future__ import annotations

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPlainTextEdit, QPushButton, QVBoxLayout


class ErrorBanner(QFrame):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("errorBanner")
        self.setStyleSheet(
            "QFrame#errorBanner { background: #fdecea; border: 1px solid #f5c2c0;"
            " border-radius: 4px; } QLabel { color: #611a15; }"
        )
        layout = QVBoxLayout(self)
        row = QHBoxLayout()
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.action_button = QPushButton()
        self.action_button.hide()
        self._action = None
        self.action_button.clicked.connect(lambda: self._action and self._action())
        self.details_button = QPushButton()
        close = QPushButton("✕")
        close.setFixedWidth(28)
        close.setFlat(True)
        row.addWidget(self.message, 1)
        row.addWidget(self.action_button)
        row.addWidget(self.details_button)
        row.addWidget(close)
        layout.addLayout(row)
        self.details = QPlainTextEdit(readOnly=True)
        self.details.setMaximumHeight(160)
        self.details.hide()
        layout.addWidget(self.details)
        self.details_button.clicked.connect(
            lambda: self.details.setVisible(not self.details.isVisible())
        )
        close.clicked.connect(self.hide)
        self.close_button = close
        self.retranslate()
        self.hide()

    def retranslate(self) -> None:
        """The banner's own words; a message shown stays as it was written."""
        self.details_button.setText(self.tr("Details"))
        self.close_button.setToolTip(self.tr("Close"))

    def changeEvent(self, event) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def show_error(self, message: str, details: str = "", action=None) -> None:
        """``action``: (button text, callable) offering a fix, e.g. a column mapping."""
        self._action = action[1] if action else None
        self.action_button.setText(action[0] if action else "")
        self.action_button.setVisible(bool(action))
        self.message.setText(message)
        self.details.setPlainText(details)
        self.details.hide()
        self.details_button.setVisible(bool(details))
        self.show()

    def text(self) -> str:
        return self.message.text() if self.isVisible() else ""
