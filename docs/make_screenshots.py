"""Render every tab during and after real runs on STS-B (../shared/data) into docs/*.png.

Usage: QT_QPA_PLATFORM=offscreen python docs/make_screenshots.py [--data-root ../shared/data]

``--lang ko``: the window in Korean on KorSTS (NSMC upstream, Korean pairs in the Playground)
into docs/ko/*.png; ``--matrix-db DB`` opens that store and adds the Matrix tab showing its
latest sweep (the lesson preset: ``transfer-explorer sweep --preset lesson-korsts --db DB``).
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
    OUT.mkdir(exist_ok=True)
    path = OUT / f"{name}.png"
    window.grab().save(str(path))
    print(
        f"{time.strftime('%H:%M:%S')} wrote {path.relative_to(ROOT)} "
        f"(downstream dev points: {window.training.point_count('downstream', 'dev_spearman')}, "
        f"running: {window.running})",
        flush=True,
    )


# What each language's screenshots show: the data, the runs, the pairs typed in the Playground
SCENES = {
    "en": {
        "out": ROOT / "docs",
        "downstream": "stsb",
        "corpus": "sst2",
        "encoder_lr_multiplier": 1.0,
        "controls": (("none", "scratch"), ("none", "feature")),  # so Compare has two to compare
        "during": ("training", "predictions"),
        "pair": ("A man is playing a guitar on the street.", "Someone plays the guitar outside."),
        "pairs": "A dog runs in the park.\tA puppy is running on the grass.\n"
        "A woman slices an onion.\tA woman is cutting an onion.\n"
        "The stock market fell sharply.\tA child is eating an apple.\n"
        "Two men are playing chess.\tTwo people play a board game.",
    },
    "ko": {
        "out": ROOT / "docs" / "ko",
        "downstream": "korsts",
        "corpus": "nsmc",
        "encoder_lr_multiplier": 0.3,  # as the Korean presets fine-tune
        "controls": (("none", "scratch"),),
        "during": ("training",),
        "pair": ("남자가 거리에서 기타를 치고 있다.", "한 남성이 밖에서 기타를 연주한다."),
        "pairs": "개가 공원에서 뛰어다닌다.\t강아지가 잔디 위를 달리고 있다.\n"
        "여자가 양파를 썰고 있다.\t한 여성이 양파를 자르고 있다.\n"
        "주식 시장이 급락했다.\t아이가 사과를 먹고 있다.\n"
        "두 남자가 체스를 두고 있다.\t두 사람이 보드게임을 한다.",
    },
}


def main() -> None:
    global OUT
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--data-root", default=str(ROOT.parent / "shared" / "data"))
    p.add_argument("--lang", choices=sorted(SCENES), default="en")
    p.add_argument("--matrix-db", help="with --lang ko: a store whose latest sweep Matrix shows")
    args = p.parse_args()
    scene = SCENES[args.lang]
    if not (Path(args.data_root) / scene["downstream"]).is_dir():
        sys.exit(f"{args.data_root}/{scene['downstream']} is absent")
    app = QApplication([])
    OUT = scene["out"]
    if args.lang != "en":
        from transfer_explorer.gui import language

        language.ensure_hangul_font(app)
        language.switch(args.lang)
    with tempfile.TemporaryDirectory() as tmp:
        db = args.matrix_db or Path(tmp) / "runs.sqlite"
        window = MainWindow(db=db, data_root=args.data_root)
        window.resize(1400, 900)
        window.show()

        def config(task, method):
            return ExperimentConfig(
                upstream=UpstreamConfig(task=task, data=scene["corpus"]),
                method=method,
                downstream=DownstreamConfig(data=scene["downstream"]),
                data_root=args.data_root,
                training=TrainingConfig(
                    epochs=5, log_every=5, encoder_lr_multiplier=scene["encoder_lr_multiplier"]
                ),
            )

        for task, method in scene["controls"]:
            window.panel.set_config(config(task, method))
            window.start_run()
            wait_for(lambda: not window.running)

        # the main run: sentiment, fine-tuned — screenshots while it trains
        window.panel.set_config(config("sentiment", "finetune"))
        window.start_run()
        wait_for(lambda: window.training.point_count("downstream", "dev_spearman") >= 2)
        for tab in scene["during"]:
            shot(window, tab, f"{tab}-during")
        window.select_tab("training")
        wait_for(lambda: not window.running)

        shot(window, "training", "training")
        shot(window, "predictions", "predictions")
        window.select_tab("data")
        wait_for(lambda: window.data.stats is not None and not window.data.busy())
        shot(window, "data", "data")
        shot(window, "compare", "compare")
        window.select_tab("playground")
        playground = window.playground
        playground.sentence1.setText(scene["pair"][0])
        playground.sentence2.setText(scene["pair"][1])
        playground.batch_input.setPlainText(scene["pairs"])
        playground.score_batch()
        # every ticked run's scores in (a MiniLM run of --matrix-db's takes seconds)
        wait_for(lambda: playground._batch_worker is None and not playground.pair_running(), 120)
        shot(window, "playground", "playground")
        shot(window, "history", "history")
        if args.matrix_db:
            window.matrix.show_latest()
            shot(window, "matrix", f"matrix-lesson-{scene['downstream']}")
        if args.lang != "en":  # the layout at a laptop's size, where longer words would clip
            window.resize(1280, 800)
            shot(window, "training", "training-1280x800")
        window.close()


if __name__ == "__main__":
    main()
