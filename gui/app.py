"""Start the Qt application; optionally render the window to a PNG and exit."""
from __future__ import annotations

import sys


def run_app(args) -> int:
    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication, QMessageBox

    from engine.config import ExperimentConfig
    from engine.errors import UserError
    from gui.main_window import TAB_NAMES, MainWindow

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("Transfer Explorer")
    try:
        window = MainWindow(db=getattr(args, "db", None), cache=getattr(args, "cache_dir", None),
                            data_root=getattr(args, "data_root", None))
    except UserError as exc:  # e.g. --db names a SQLite file of another program
        if app.platformName() not in ("offscreen", "minimal"):  # someone sees a window
            QMessageBox.critical(None, "Transfer Explorer", str(exc))
        raise  # and one line on the terminal, exit 2
    if getattr(args, "config", None):
        window.panel.set_config(ExperimentConfig.from_toml(args.config))
    window.show()
    screenshot = getattr(args, "screenshot", None)
    if not screenshot:
        return app.exec()
    if getattr(args, "run_default", False):
        loop = QEventLoop()
        window.run_finished.connect(lambda _: loop.quit())
        if window.start_run():
            loop.exec()
    tab = getattr(args, "tab", None)
    if tab:
        if tab not in TAB_NAMES:
            print(f"error: unknown tab {tab!r}; choose one of {', '.join(TAB_NAMES)}",
                  file=sys.stderr)
            return 2
        window.select_tab(tab)
        if tab == "data":
            loop = QEventLoop()
            window.data.done.connect(loop.quit)
            window.analyze_data()
            if window.data.busy():
                loop.exec()
    settle = QEventLoop()  # let layouts and the last redraw happen before grabbing
    QTimer.singleShot(200, settle.quit)
    settle.exec()
    ok = window.grab().save(screenshot)
    window.close()
    return 0 if ok else 1
