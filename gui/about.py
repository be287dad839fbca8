"""The app's identity: its icon, and Help → About with the versions a bug report needs."""

from __future__ import annotations

import html
import os
import platform
from importlib import metadata, resources

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QGuiApplication, QIcon
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QHBoxLayout, QLabel, QVBoxLayout

ICON_FILE = "transfer-explorer.svg"


def icon_path() -> str:
    return str(resources.files("transfer_explorer.resources").joinpath("icons", ICON_FILE))


def app_icon() -> QIcon:
    return QIcon(icon_path())


def _version(distribution: str) -> str:
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return QCoreApplication.translate("AboutDialog", "not installed")


def device_description() -> str:
    """The device a run with ``device = auto`` trains on."""
    import torch  # already loaded by the panel; imported here, not at module level

    if torch.cuda.is_available():
        count = torch.cuda.device_count()
        more = (
            QCoreApplication.translate("AboutDialog", " (+{count} more)").format(count=count - 1)
            if count > 1
            else ""
        )
        return f"CUDA: {torch.cuda.get_device_name(0)}{more}, CUDA {torch.version.cuda}"
    mps = getattr(torch.backends, "mps", None)
    if mps is not None and mps.is_available():
        return "Apple GPU (MPS)"
    return QCoreApplication.translate(
        "AboutDialog", "CPU ({cores} cores; no CUDA GPU found)"
    ).format(cores=os.cpu_count() or "?")


def versions() -> list[tuple[str, str]]:
    import pyqtgraph
    import PySide6
    import torch
    from PySide6.QtCore import qVersion

    return [
        ("Transfer Explorer", _version("transfer-explorer")),
        ("PyTorch", torch.__version__),
        ("transformers", _version("transformers")),
        ("Qt", f"{qVersion()} (PySide6 {PySide6.__version__})"),
        ("pyqtgraph", pyqtgraph.__version__),
        ("Python", f"{platform.python_version()} on {platform.system()} {platform.machine()}"),
        (QCoreApplication.translate("AboutDialog", "Device"), device_description()),
    ]


class AboutDialog(QDialog):
    def __init__(self, store: str = "", settings: str = "", parent=None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("About Transfer Explorer"))
        self.rows = versions()
        if store:
            self.rows.append((self.tr("Run store"), store))
        if settings:
            self.rows.append((self.tr("Settings"), settings))
        icon = QLabel()
        icon.setPixmap(app_icon().pixmap(72, 72))
        icon.setAlignment(Qt.AlignTop)
        question = self.tr(
            "How much does pre-training help a text-similarity model, and which way of transferring it helps most?"  # noqa: E501
        )
        title = QLabel(f"<h2>Transfer Explorer</h2><p>{html.escape(question)}</p>")
        title.setWordWrap(True)
        table = "".join(
            f"<tr><td style='padding-right:12px'><b>{html.escape(k)}</b></td>"
            f"<td>{html.escape(v)}</td></tr>"
            for k, v in self.rows
        )
        self.details = QLabel(f"<table>{table}</table>")
        self.details.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.details.setWordWrap(True)
        text = QVBoxLayout()
        text.addWidget(title)
        text.addWidget(self.details)
        top = QHBoxLayout()
        top.addWidget(icon)
        top.addLayout(text, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.Ok)
        copy = buttons.addButton(self.tr("Copy"), QDialogButtonBox.ActionRole)
        copy.setToolTip(self.tr("Copy these versions, e.g. for a bug report"))
        copy.clicked.connect(lambda: QGuiApplication.clipboard().setText(self.text()))
        buttons.accepted.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(buttons)
        self.setMinimumWidth(520)

    def text(self) -> str:
        return "\n".join(f"{k}: {v}" for k, v in self.rows)
