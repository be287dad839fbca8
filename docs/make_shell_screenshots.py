"""Render the desktop shell into docs/*.png: the File menu, Help → About, and a window restored
at its second start (remembered geometry, panel width, tab, settings and store).

Usage: python docs/make_shell_screenshots.py [--db runs.sqlite]
Runs offscreen on a 1920 x 1200 virtual screen; settings go to a temporary ini file, never
to the user's. With --db, the restored window opens that store (e.g. one with a few runs).
The theme screenshots come from the app itself:
TRANSFER_EXPLORER_THEME=dark transfer-explorer gui --screenshot docs/theme-dark.png
--run-default --tab training.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs"
_tmp = Path(tempfile.gettempdir()) / "transfer-explorer-docs"  # a stable name: it is shown
shutil.rmtree(_tmp, ignore_errors=True)
_tmp.mkdir(parents=True)
(_tmp / "screen.json").write_text(
    json.dumps(
        {
            "screens": [
                {
                    "name": "wide",
                    "x": 0,
                    "y": 0,
                    "width": 1920,
                    "height": 1200,
                    "logicalDpi": 96,
                    "dpr": 1,
                }
            ]
        }
    )
)
os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={_tmp / 'screen.json'}"
os.environ["TRANSFER_EXPLORER_SETTINGS"] = str(_tmp / "settings.ini")
os.environ.setdefault("TRANSFER_EXPLORER_HOME", str(_tmp / "home"))

from PySide6.QtCore import QEventLoop, QPoint, QRect, QTimer  # noqa: E402
from PySide6.QtGui import QColor, QPainter  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402


def settle(ms: int = 300) -> None:
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def with_popups(window, popups, crop: QRect | None = None, dim: bool = False):
    """The window's picture with top-level popups (menus, a dialog) painted where they are."""
    picture = window.grab()
    painter = QPainter(picture)
    if dim:
        painter.fillRect(picture.rect(), QColor(0, 0, 0, 70))
    origin = window.mapToGlobal(QPoint(0, 0))
    for popup in popups:
        painter.drawPixmap(popup.mapToGlobal(QPoint(0, 0)) - origin, popup.grab())
    painter.end()
    return picture.copy(crop) if crop is not None else picture


def save(picture, name: str) -> None:
    path = OUT / name
    picture.save(str(path))
    print(f"wrote {path.relative_to(ROOT)} ({picture.width()} x {picture.height()})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", help="the run store the windows open")
    args = parser.parse_args()
    app = QApplication([sys.argv[0]])
    from transfer_explorer.engine.disk.paths import default_db
    from transfer_explorer.gui import theme
    from transfer_explorer.gui.about import app_icon
    from transfer_explorer.gui.main_window import MainWindow
    from transfer_explorer.gui.settings import AppSettings

    app.setWindowIcon(app_icon())
    theme.apply_theme(app, "light")
    db = Path(args.db) if args.db else default_db()
    settings = AppSettings.open()
    for name in ("lesson-korsts", "matrix-stsb", "stsb-small"):  # a few stores in Open recent
        path = _tmp / "stores" / f"{name}.sqlite"
        path.parent.mkdir(exist_ok=True)
        path.touch()
        settings.add_recent_store(path)

    # 1. first start: the File menu open, Open recent beside it
    window = MainWindow(db=db, settings=settings)
    window.setGeometry(60, 40, 1400, 900)
    window.show()
    settle()
    menus = window.menus
    file_menu = menus.menus["file"]
    bar = window.menuBar()
    file_menu.popup(bar.mapToGlobal(bar.actionGeometry(file_menu.menuAction()).bottomLeft()))
    settle()
    file_menu.setActiveAction(menus.recent.menuAction())
    menus.recent.popup(
        file_menu.mapToGlobal(file_menu.actionGeometry(menus.recent.menuAction()).topRight())
    )
    settle()
    right = (
        menus.recent.mapToGlobal(QPoint(menus.recent.width(), 0)).x()
        - window.mapToGlobal(QPoint(0, 0)).x()
    )
    save(
        with_popups(window, [file_menu, menus.recent], QRect(0, 0, right + 40, 330)),
        "menu-file.png",
    )
    menus.recent.hide()
    file_menu.hide()

    # 2. Help → About over the window
    help_menu = menus.menus["help"]
    dialog = window.show_about()
    settle()
    center = window.geometry().center()
    dialog.move(center.x() - dialog.width() // 2, window.geometry().top() + 150)
    help_menu.popup(bar.mapToGlobal(bar.actionGeometry(help_menu.menuAction()).bottomLeft()))
    help_menu.setActiveAction(menus.about)
    settle()
    save(with_popups(window, [help_menu, dialog], dim=True), "menu-help-about.png")
    help_menu.hide()
    dialog.accept()

    # 3. a non-default session, closed; the second start restores it
    window.setGeometry(200, 120, 1240, 800)
    settle()
    window.splitter.setSizes([470, 1240 - 475])
    window.select_tab("history")
    panel = window.panel
    for combo, value in ((panel.upstream, "mlm"), (panel.method, "finetune")):
        combo.setCurrentIndex(combo.findData(value))
    panel.epochs.setValue(3)
    panel.lr.setText("0.0005")
    settle()
    window.close()
    second = MainWindow(settings=AppSettings.open())
    second.show()
    settle(500)
    g = second.geometry()
    print(
        f"restored: {g.width()} x {g.height()} at {g.x()},{g.y()}, panel "
        f"{second.splitter.sizes()[0]} px, tab {second.tabs.tabText(second.tabs.currentIndex())},"
        f" store {second.db_path}"
    )
    save(second.grab(), "restored-window.png")
    second.close()


if __name__ == "__main__":
    main()
