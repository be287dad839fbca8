"""Exploratory statistics as plain data (dicts of lists) for the GUI's Data tab and the CLI."""

from __future__ import annotations

import re
from collections import Counter

import numpy as np

from transfer_explorer.engine.data.types import PairDataset, TextDataset

_WORD = re.compile(r"\w+", re.UNICODE)
LENGTH_BINS = 30


def words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def _length_histogram(texts: list[str]) -> dict:
    lengths = np.asarray([len(words(t)) for t in texts], dtype=np.int64)
    if not len(lengths):
        return {"edges": [], "counts": [], "mean": 0.0, "p50": 0, "p95": 0, "max": 0}
    top = max(int(np.percentile(lengths, 99)), 1)
    counts, edges = np.histogram(
        np.minimum(lengths, top), bins=min(LENGTH_BINS, top), range=(0, top)
    )
    return {
        "edges": edges.tolist(),
        "counts": counts.tolist(),
        "mean": float(lengths.mean()),
        "p50": int(np.median(lengths)),
        "p95": int(np.percentile(lengths, 95)),
        "max": int(lengths.max()),
    }


def pair_stats(data: PairDataset) -> dict:
    train = data.splits["train"]
    stats = {
        "name": data.name,
        "task": data.task,
        "language": data.language,
        "source": data.source,
        "notes": list(data.notes),
        "split_column": data.split_column,
        "sizes": {name: len(split) for name, split in data.splits.items()},
        "lengths": _length_histogram(train.sentence1 + train.sentence2),
    }
    targets = np.concatenate([s.targets for s in data.splits.values()])
    if data.task == "regression":
        lo, hi = data.score_range
        counts, edges = np.histogram(train.targets, bins=10, range=(lo, hi))
        stats["scores"] = {
            "edges": edges.tolist(),
            "counts": counts.tolist(),
            "mean": float(targets.mean()),
            "std": float(targets.std()),
        }
    else:
        counts = np.bincount(train.targets, minlength=data.num_labels)
        stats["labels"] = {"names": list(data.label_names), "counts": counts.tolist()}
    return stats


def text_stats(data: TextDataset) -> dict:
    train = data.splits["train"]
    stats = {
        "name": data.name,
        "language": data.language,
        "source": data.source,
        "notes": list(data.notes),
        "sizes": {name: len(split) for name, split in data.splits.items()},
        "lengths": _length_histogram(train.sentences),
    }
    if data.labelled and train.labels is not None:
        counts = np.bincount(train.labels, minlength=len(data.label_names))
        stats["labels"] = {"names": list(data.label_names), "counts": counts.tolist()}
    return stats


def vocabulary_overlap(upstream: TextDataset, downstream: PairDataset, top: int = 20) -> dict:
    """How much of the downstream vocabulary the upstream corpus has seen (word types and
    running words); pre-training can only help with words it has met."""
    up = Counter(w for s in upstream.splits["train"].sentences for w in words(s))
    down = Counter(w for s in downstream.texts("train") for w in words(s))
    shared = [w for w in down if w in up]
    running = sum(down.values())
    missing = [w for w, _count in down.most_common() if w not in up][:top]
    return {
        "upstream_types": len(up),
        "downstream_types": len(down),
        "shared_types": len(shared),
        "type_overlap": 100 * len(shared) / max(len(down), 1),
        "token_coverage": 100 * sum(down[w] for w in shared) / max(running, 1),
        "most_common_missing": missing,
    }
