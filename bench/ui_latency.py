"""UI responsiveness: lateness of a 5 ms QTimer, idle vs while a tiny Transformer trains,
and the time from pressing Run to the first loss point drawn (upstream cached) — in a
window that has run before, and as the first Run of a fresh window (a new process), with and
without the app's background warm-up of a first run's imports.

Goals: p99 lateness < 30 ms and max < 100 ms while training; Run → first point < 1 s.
Usage: QT_QPA_PLATFORM=offscreen python bench/ui_latency.py [--data-root ../shared/data]
       [--seconds 10] [--think 2]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import numpy as np  # noqa: E402
from PySide6.QtCore import QElapsedTimer, QEventLoop, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from transfer_explorer.engine.config import (
    DownstreamConfig,
    ExperimentConfig,
    TrainingConfig,  # noqa: E402
    UpstreamConfig,
)
from transfer_explorer.gui.main_window import MainWindow  # noqa: E402

INTERVAL_MS = 5


def lateness(app: QApplication, seconds: float) -> np.ndarray:
    """Run the event loop for ``seconds``; how late each 5 ms tick fired, in ms."""
    clock = QElapsedTimer()
    samples: list[float] = []
    last = [0.0]
    timer = QTimer(interval=INTERVAL_MS)

    def tick():
        now = clock.nsecsElapsed() / 1e6
        samples.append(now - last[0] - INTERVAL_MS)
        last[0] = now

    timer.timeout.connect(tick)
    loop = QEventLoop()
    QTimer.singleShot(int(seconds * 1000), loop.quit)
    clock.start()
    timer.start()
    loop.exec()
    timer.stop()
    return np.clip(np.asarray(samples[1:]), 0, None)


def summary(name: str, late: np.ndarray) -> str:
    return (
        f"{name:<26} ticks {len(late):>5}  p50 {np.percentile(late, 50):5.1f} ms  "
        f"p99 {np.percentile(late, 99):5.1f} ms  max {late.max():6.1f} ms"
    )


def wait_for(app, predicate, timeout: float = 600.0) -> None:
    """Run the event loop until ``predicate()`` holds (checked every 20 ms)."""
    loop = QEventLoop()
    deadline = time.monotonic() + timeout
    poll = QTimer(interval=20)
    poll.timeout.connect(
        lambda: loop.quit() if predicate() or time.monotonic() > deadline else None
    )
    poll.start()
    if not predicate():
        loop.exec()
    poll.stop()


def bench_config(data_root: str) -> ExperimentConfig:
    downstream = "stsb" if (Path(data_root) / "stsb").is_dir() else "demo"
    return ExperimentConfig(
        upstream=UpstreamConfig(task="sentiment", data="demo"),
        method="finetune",
        downstream=DownstreamConfig(data=downstream),
        data_root=data_root,
        training=TrainingConfig(epochs=50, log_every=5),
    )


def fresh_window(db: Path, data_root: str, think: float, warm_up: bool) -> None:
    """In a new process: open the window as the app does, let a person look at it for
    ``think`` seconds, press Run and time the first loss point drawn."""
    from transfer_explorer.gui.app import warm_up_soon

    app = QApplication([])
    window = MainWindow(db=db)
    window.resize(1400, 900)
    window.show()
    if warm_up:
        warm_up_soon()  # as the app does
    late = lateness(app, think)
    started = time.perf_counter()
    window.start_run(bench_config(data_root))
    wait_for(app, lambda: window.training.point_count("downstream") > 0)
    delay = time.perf_counter() - started
    assert window.status_cache.text() == "upstream: from cache"
    window.stop_run()
    wait_for(app, lambda: not window.running)
    window.close()
    print(
        f"{'with' if warm_up else 'without'} warm-up: Run → first loss point drawn "
        f"{delay:.2f} s; the {think:g} s before it: p99 {np.percentile(late, 99):.1f} ms, "
        f"max {late.max():.1f} ms"
    )


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--data-root", default=str(Path(__file__).resolve().parents[2] / "shared/data"))
    p.add_argument("--seconds", type=float, default=10.0)
    p.add_argument(
        "--think",
        type=float,
        default=2.0,
        help="seconds between a fresh window showing and Run being pressed",
    )
    p.add_argument("--fresh-window", type=Path, metavar="DB", help=argparse.SUPPRESS)
    p.add_argument("--no-warm-up", action="store_true", help=argparse.SUPPRESS)
    args = p.parse_args()
    if args.fresh_window:  # the child process of the fresh-window measurement
        fresh_window(args.fresh_window, args.data_root, args.think, not args.no_warm_up)
        return
    app = QApplication([])
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.sqlite"
        window = MainWindow(db=db)
        window.resize(1400, 900)
        window.show()
        config = bench_config(args.data_root)
        print(f"downstream {config.downstream.data}, tiny Transformer, sentiment(demo) / finetune")
        print(summary("idle", lateness(app, args.seconds)))

        # 1. first run: trains the upstream (so the next one finds it in the cache)
        window.start_run(config)
        wait_for(app, lambda: window.training.point_count("downstream") > 0)
        print(summary("while training", lateness(app, args.seconds)))
        window.stop_run()
        wait_for(app, lambda: not window.running)

        # 2. Run → first loss point drawn, upstream cached (mean of 3)
        delays = []
        for _ in range(3):
            started = time.perf_counter()
            window.start_run(config)
            wait_for(app, lambda: window.training.point_count("downstream") > 0)
            delays.append(time.perf_counter() - started)
            assert window.status_cache.text() == "upstream: from cache"
            window.stop_run()
            wait_for(app, lambda: not window.running)
        print(
            f"Run → first loss point drawn (upstream cached): "
            f"{', '.join(f'{d:.2f}' for d in delays)} s (goal < 1 s)"
        )
        window.close()

        # 3. the first Run of a fresh window (a new process, same store and cache)
        print(f"a fresh window's first Run, {args.think:g} s after the window shows:", flush=True)
        for extra in (["--no-warm-up"], [], ["--no-warm-up"], []):
            subprocess.run(
                [
                    sys.executable,
                    __file__,
                    "--fresh-window",
                    str(db),
                    "--data-root",
                    args.data_root,
                    "--think",
                    str(args.think),
                    *extra,
                ],
                check=True,
            )


if __name__ == "__main__":
    main()
