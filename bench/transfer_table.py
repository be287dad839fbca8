"""The transfer table on real data: dev/test Spearman and wall time per upstream × method.

Usage: python bench/transfer_table.py [--data-root ../shared/data] [--downstream stsb]
       [--upstream-data sst2] [--encoder transformer] [--seeds 0] [--db /tmp/table.sqlite]

Prints a Markdown table. Upstreams are trained once (the cache) and reused across methods,
so the first row that needs an upstream includes its training time.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from transfer_explorer.engine import ExperimentConfig, run  # noqa: E402
from transfer_explorer.engine.config import (
    DownstreamConfig,
    ModelConfig,
    TrainingConfig,
    UpstreamConfig,
)  # noqa
from transfer_explorer.engine.upstream.registry import get_task  # noqa: E402

ROWS = [
    ("none", "scratch", 1.0),
    ("none", "feature", 1.0),
    ("sentiment", "scratch", 1.0),
    ("sentiment", "feature", 1.0),
    ("sentiment", "finetune", 1.0),
    ("mlm", "feature", 1.0),
    ("mlm", "finetune", 0.3),
    ("word2vec", "feature", 1.0),
    ("word2vec", "finetune", 1.0),
]


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--data-root", default=str(Path(__file__).resolve().parents[2] / "shared/data"))
    p.add_argument("--downstream", default="stsb")
    p.add_argument("--upstream-data", default="sst2")
    p.add_argument("--encoder", default="transformer")
    p.add_argument("--size", default="tiny")
    p.add_argument("--epochs", type=int, default=5)
    p.add_argument("--train-fraction", type=float, default=1.0)
    p.add_argument("--seeds", default="0")
    p.add_argument("--db", default="/tmp/transfer-table.sqlite")
    p.add_argument("--threads", type=int, default=0)
    args = p.parse_args()
    if not (Path(args.data_root) / args.downstream).is_dir():
        sys.exit(f"skipped: {args.data_root}/{args.downstream} is absent")
    seeds = [int(s) for s in args.seeds.split(",")]
    print(
        f"# {args.downstream} ← {args.upstream_data}, {args.encoder}/{args.size}, "
        f"{args.epochs} epochs, train fraction {args.train_fraction}, seeds {seeds}\n"
    )
    print("| upstream / method | dev Spearman | test Spearman | wall s | upstream |")
    print("|---|---:|---:|---:|---|")
    for task, method, multiplier in ROWS:
        devs, tests, secs, cached = [], [], [], []
        for seed in seeds:
            config = ExperimentConfig(
                upstream=UpstreamConfig(task=task, data=args.upstream_data),
                method=method,
                downstream=DownstreamConfig(
                    data=args.downstream, train_fraction=args.train_fraction
                ),
                model=ModelConfig(encoder=args.encoder, size=args.size),
                training=TrainingConfig(epochs=args.epochs, encoder_lr_multiplier=multiplier),
                seed=seed,
                threads=args.threads,
                data_root=args.data_root,
            )
            if config.upstream.kind.control:  # same tokenizer corpus as the others
                config.upstream.data = args.upstream_data
            started = time.perf_counter()
            result = run(config, db=args.db)
            secs.append(time.perf_counter() - started)
            if result.status != "finished":
                print(f"| {task} / {method} | failed: {result.error} | | | |")
                break
            devs.append(result.metrics["dev"]["spearman"])
            tests.append(result.metrics["test"]["spearman"])
            cached.append(result.upstream_cached)
        if not devs:
            continue
        label = f"{task} / {method}" + (f" (encoder lr ×{multiplier})" if multiplier != 1 else "")
        up = (
            "–"
            if method == "scratch" or get_task(task).control
            else ("cached" if all(cached) else "trained in this row")
        )
        print(
            f"| {label} | {_fmt(devs)} | {_fmt(tests)} | {statistics.mean(secs):.0f} | {up} |",
            flush=True,
        )


def _fmt(values: list[float]) -> str:
    if len(values) == 1:
        return f"{values[0]:.1f}"
    return f"{statistics.mean(values):.1f} ± {statistics.stdev(values):.1f}"


if __name__ == "__main__":
    main()
