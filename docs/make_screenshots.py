"""Render every tab during and after real runs on STS-B (../shared/data) into docs/*.png.

Usage: QT_QPA_PLATFORM=offscreen python docs/make_screenshots.py [--data-root ../shared/data]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QEventLoop, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from transfer_explorer.engine.config import (  # noqa: E402
    DownstreamConfig,
    ExperimentConfig,
    TrainingConfig,  # noqa: E402
    UpstreamConfig,
)
from transfer_explorer.gui.main_window import MainWindow  # noqa: E402

OUT = ROOT / "docs"


def wait_for(predicate, timeout: float = 1800.0) -> None:
    loop = QEventLoop()
    deadline = time.monotonic() + timeout
    poll = QTimer(interval=50)
    poll.timeout.connect(
        lambda: loop.quit() if predicate() or time.monotonic() > deadline else None
    )
    poll.start()
    if not predicate():
        loop.exec()
    poll.stop()


def settle(ms: int = 300) -> None:
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def shot(window: MainWindow, tab: str, name: str) -> None:
    window.select_tab(tab)
    settle()
    path = OUT / f"{name}.png"
    window.grab().save(str(path))
    print(
        f"{time.strftime('%H:%M:%S')} wrote {path.relative_to(ROOT)} "
        f"(downstream dev points: {window.training.point_count('downstream', 'dev_spearman')}, "
        f"running: {window.running})",
        flush=True,
    )


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--data-root", default=str(ROOT.parent / "shared" / "data"))
    args = p.parse_args()
    if not (Path(args.data_root) / "stsb").is_dir():
        sys.exit(f"{args.data_root}/stsb is absent")
    app = QApplication([])  # noqa: F841 (kept alive for the whole script)
    with tempfile.TemporaryDirectory() as tmp:
        window = MainWindow(db=Path(tmp) / "runs.sqlite", data_root=args.data_root)
        window.resize(1400, 900)
        window.show()

        def config(task, method, multiplier=1.0):
            return ExperimentConfig(
                upstream=UpstreamConfig(task=task, data="sst2"),
                method=method,
                downstream=DownstreamConfig(data="stsb"),
                data_root=args.data_root,
                training=TrainingConfig(epochs=5, log_every=5, encoder_lr_multiplier=multiplier),
            )

        # two quick controls first, so Compare has something to compare
        for task, method in (("none", "scratch"), ("none", "feature")):
            window.panel.set_config(config(task, method))
            window.start_run()
            wait_for(lambda: not window.running)

        # the main run: sentiment on SST-2, fine-tuned on STS-B — screenshots while it trains
        window.panel.set_config(config("sentiment", "finetune"))
        window.start_run()
        wait_for(lambda: window.training.point_count("downstream", "dev_spearman") >= 2)
        shot(window, "training", "training-during")
        shot(window, "predictions", "predictions-during")
        window.select_tab("training")
        wait_for(lambda: not window.running)

        shot(window, "training", "training")
        shot(window, "predictions", "predictions")
        window.select_tab("data")
        wait_for(lambda: window.data.stats is not None and not window.data.busy())
        shot(window, "data", "data")
        shot(window, "compare", "compare")
        window.select_tab("playground")
        window.playground.sentence1.setText("A man is playing a guitar on the street.")
        window.playground.sentence2.setText("Someone plays the guitar outside.")
        window.playground.batch_input.setPlainText(
            "A dog runs in the park.\tA puppy is running on the grass.\n"
            "A woman slices an onion.\tA woman is cutting an onion.\n"
            "The stock market fell sharply.\tA child is eating an apple.\n"
            "Two men are playing chess.\tTwo people play a board game."
        )
        window.playground.score_batch()
        wait_for(lambda: window.playground.score_label.text() not in ("–", ""), 5)
        shot(window, "playground", "playground")
        shot(window, "history", "history")
        window.close()


if __name__ == "__main__":
    main()
