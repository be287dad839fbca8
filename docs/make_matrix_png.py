"""Render the heat-map and data-size curve of a sweep in a store to a PNG (offscreen).

Usage: QT_QPA_PLATFORM=offscreen python docs/make_matrix_png.py DB OUT.png [--sweep ID]
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QEventLoop, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from transfer_explorer.engine.sweep.grid import Sweep  # noqa: E402
from transfer_explorer.gui.main_window import MainWindow  # noqa: E402


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("db")
    p.add_argument("out")
    p.add_argument("--sweep", type=int, help="sweep id (default: the latest)")
    p.add_argument("--window", action="store_true", help="the whole window, not just the map")
    p.add_argument("--size", default="1400x900", help="window size WIDTHxHEIGHT")
    args = p.parse_args()
    width, height = (int(x) for x in args.size.split("x"))
    app = QApplication([])
    window = MainWindow(db=args.db)
    window.resize(width, height)
    window.show()
    window.select_tab("matrix")
    if args.sweep:
        row = next(s for s in window.store().list_sweeps() if s["id"] == args.sweep)
        window.matrix.show_sweep(Sweep.from_dict(row["definition"]), row["id"])
    settle = QEventLoop()
    QTimer.singleShot(400, settle.quit)
    settle.exec()
    (window.grab() if args.window else window.matrix.results.grab()).save(args.out)
    print("wrote", args.out)
    window.close()
    del app


if __name__ == "__main__":
    main()
