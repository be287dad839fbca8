"""Start the Qt application (a minimal window until the explorer window lands)."""
from __future__ import annotations

import sys


def run_app(args) -> int:
    from PySide6.QtWidgets import QApplication, QLabel, QMainWindow

    from engine.paths import default_db

    app = QApplication.instance() or QApplication(sys.argv[:1])
    window = QMainWindow()
    window.setWindowTitle("Transfer Explorer")
    label = QLabel("Transfer Explorer\n\nThe engine runs from the terminal:\n"
                   "  transfer-explorer run --upstream sentiment --method finetune\n\n"
                   f"Runs are stored in {getattr(args, 'db', None) or default_db()}")
    label.setMargin(24)
    window.setCentralWidget(label)
    window.resize(640, 300)
    window.show()
    if getattr(args, "screenshot", None):
        app.processEvents()
        return 0 if window.grab().save(args.screenshot) else 1
    return app.exec()
