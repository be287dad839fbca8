"""Render the Lesson page at every step into docs/lesson/<data>-<n>-<step>.png.

Usage: QT_QPA_PLATFORM=offscreen python docs/make_lesson_screenshots.py --db DB
       [--data demo|stsb|korsts] [--lang en|ko] [--seeds N] [--data-root ../shared/data]

Steps whose runs are not in DB are run first, in the window, through its Run button (the
demo's whole tour takes a few minutes on 2 cores); ``transfer-explorer lesson --data stsb
--db DB`` fills a store for the real data from a terminal.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication  # noqa: E402

from docs.make_screenshots import settle, wait_for  # noqa: E402
from transfer_explorer.engine.lesson import STEPS  # noqa: E402
from transfer_explorer.gui.main_window import MainWindow  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True)
    parser.add_argument("--data", default="demo", choices=("demo", "stsb", "korsts"))
    parser.add_argument("--lang", default="en", choices=("en", "ko"))
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--data-root")
    parser.add_argument("--out", default=str(ROOT / "docs" / "lesson"))
    args = parser.parse_args()
    app = QApplication.instance() or QApplication([])
    from transfer_explorer.gui import language

    language.ensure_hangul_font(app)
    if args.lang != "en":
        language.switch(args.lang)
    window = MainWindow(db=args.db, data_root=args.data_root)
    window.resize(1400, 900)
    window.show()
    lesson = window.lesson
    lesson.select(data=args.data)
    lesson.seeds.setValue(args.seeds)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    for step in STEPS:
        lesson.select(step.key)
        if lesson.step_state.get(step.key, ("",))[0] != "done":
            lesson.start()
            wait_for(lambda: not lesson.running, timeout=7200)
        settle(400)
        suffix = "" if args.lang == "en" else f"-{args.lang}"
        path = out / f"{args.data}-{step.number}-{step.key}{suffix}.png"
        lesson.grab().save(str(path))
        print(f"{time.monotonic() - started:6.0f} s  wrote {path}", flush=True)
        print("   ", lesson.status.text(), "\n   ", lesson.reading.text(), flush=True)
    window.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
