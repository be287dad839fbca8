"""The window's exports (CSV, Markdown, PNG) through the engine's checked, atomic writer.

A path chosen in a file dialog is checked like a command-line output (engine.outputs): never
the run store or any SQLite database, never a half-written file. The dialog has asked
before replacing an existing file, so that answer stands in for ``--force``.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QCoreApplication, QIODevice
from PySide6.QtWidgets import QWidget

from transfer_explorer.engine.disk.outputs import write_output


def _export() -> str:
    """What the engine's messages call the window's writer ("Export … cannot write it")."""
    return QCoreApplication.translate("save_png", "Export")


def save_text(path: str | Path, text: str, kind: str, store: str | Path | None = None) -> Path:
    """Write ``text`` (kind "csv" or "markdown"); raises the engine's OutputRefused."""
    return write_output(path, text, kind, _export(), store=store, force=True)


def save_png(widget: QWidget, path: str | Path, store: str | Path | None = None) -> Path:
    """The widget as it is drawn now, as a PNG file."""
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.WriteOnly)
    if not widget.grab().save(buffer, "PNG"):
        raise OSError(
            QCoreApplication.translate("save_png", "could not draw {path} as a PNG image").format(
                path=path
            )
        )
    buffer.close()
    return write_output(path, bytes(data.data()), "png", _export(), store=store, force=True)
