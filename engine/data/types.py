"""In-memory datasets: plain lists of strings and numpy targets, one object per split."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

import numpy as np

SPLITS = ("train", "dev", "test")


@dataclass
class PairSplit:
    sentence1: list[str]
    sentence2: list[str]
    targets: np.ndarray  # float32 scores (regression) or int64 labels (classification)

    def __len__(self) -> int:
        return len(self.sentence1)

    def subset(self, index: np.ndarray) -> PairSplit:
        return PairSplit(
            [self.sentence1[i] for i in index],
            [self.sentence2[i] for i in index],
            self.targets[index],
        )


@dataclass
class PairDataset:
    """A sentence-pair similarity dataset: score regression or paraphrase classification."""

    name: str
    task: str  # "regression" | "classification"
    splits: dict[str, PairSplit]
    score_range: tuple[float, float] = (0.0, 5.0)
    label_names: tuple[str, ...] = ()
    language: str = "en"
    source: str = ""
    notes: list[str] = field(default_factory=list)
    split_column: str = ""  # the file's own split column, when its splits came from one

    @property
    def num_labels(self) -> int:
        return len(self.label_names)

    def fingerprint(self, split: str = "train") -> str:
        part = self.splits[split]
        return _hash(part.sentence1, part.sentence2, part.targets.tobytes())

    def texts(self, split: str = "train") -> list[str]:
        part = self.splits[split]
        return part.sentence1 + part.sentence2


@dataclass
class TextSplit:
    sentences: list[str]
    labels: np.ndarray | None  # int64, or None for unlabelled text

    def __len__(self) -> int:
        return len(self.sentences)


@dataclass
class TextDataset:
    """Single sentences, optionally labelled (sentiment); the upstream corpus."""

    name: str
    splits: dict[str, TextSplit]
    label_names: tuple[str, ...] = ()
    language: str = "en"
    source: str = ""
    notes: list[str] = field(default_factory=list)
    split_column: str = ""  # the file's own split column, when its splits came from one

    @property
    def labelled(self) -> bool:
        return bool(self.label_names) and all(s.labels is not None for s in self.splits.values())

    def fingerprint(self) -> str:
        parts: list[str | bytes] = []
        for name in sorted(self.splits):
            split = self.splits[name]
            parts.append(name)
            parts.extend(split.sentences)
            if split.labels is not None:
                parts.append(split.labels.tobytes())
        return _hash(*parts)


def _hash(*parts) -> str:
    digest = hashlib.sha256()
    for part in parts:
        if isinstance(part, (list, tuple)):
            for item in part:
                digest.update(str(item).encode("utf-8"))
                digest.update(b"\x1f")
        elif isinstance(part, bytes):
            digest.update(part)
        else:
            digest.update(str(part).encode("utf-8"))
        digest.update(b"\x1e")
    return digest.hexdigest()[:16]
