"""Length-bucketed batches with dynamic padding (padding waste was ~3x without buckets)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
import torch

from transfer_explorer.engine.text import PAD_ID

BUCKET_FACTOR = 50  # sort within windows of 50 batches: short padding, still well shuffled


@dataclass
class Batch:
    tensors: dict[str, torch.Tensor]
    size: int
    index: np.ndarray  # positions of these examples in the source arrays

    def to(self, device: torch.device) -> Batch:
        if device.type == "cpu":
            return self
        moved = {k: v.to(device, non_blocking=True) for k, v in self.tensors.items()}
        return Batch(moved, self.size, self.index)

    def __getitem__(self, key: str) -> torch.Tensor:
        return self.tensors[key]


def pad(sequences: list[np.ndarray], pad_id: int = PAD_ID) -> tuple[torch.Tensor, torch.Tensor]:
    """Right-pad to the longest sequence; the mask comes from lengths (a pad id such as
    GPT-2's end-of-text may also occur inside a text)."""
    lengths = np.fromiter((len(s) for s in sequences), dtype=np.int64, count=len(sequences))
    ids = np.full((len(sequences), int(lengths.max())), pad_id, dtype=np.int64)
    for row, seq in enumerate(sequences):
        ids[row, : len(seq)] = seq
    mask = np.arange(ids.shape[1])[None, :] < lengths[:, None]
    return torch.from_numpy(ids), torch.from_numpy(mask)


def bucketed(
    lengths: np.ndarray, batch_size: int, rng: np.random.Generator | None, max_tokens: int = 0
) -> list[np.ndarray]:
    """Index arrays, one per batch. With ``rng``: shuffled windows sorted by length, batches
    in random order; without: sorted by length (deterministic, for evaluation), and with
    ``max_tokens`` a batch of long texts is cut short so that batch × longest ≤ max_tokens
    (the activations of a wide model's evaluation batch were its peak memory)."""
    if rng is None:
        order = np.argsort(lengths, kind="stable")
        if not max_tokens:
            return [order[i : i + batch_size] for i in range(0, len(order), batch_size)]
        batches, start = [], 0
        while start < len(order):
            size = min(batch_size, len(order) - start)
            # sorted ascending, so a batch's longest text is its last
            while size > 1 and size * lengths[order[start + size - 1]] > max_tokens:
                size -= 1
            batches.append(order[start : start + size])
            start += size
        return batches
    order = rng.permutation(len(lengths))
    window = batch_size * BUCKET_FACTOR
    batches = []
    for start in range(0, len(order), window):
        chunk = order[start : start + window]
        chunk = chunk[np.argsort(lengths[chunk], kind="stable")]
        batches.extend(chunk[i : i + batch_size] for i in range(0, len(chunk), batch_size))
    rng.shuffle(batches)
    return batches


def shuffled_chunks(
    n: int, batch_size: int, shuffle: bool, seed: int, epoch: int
) -> Iterator[np.ndarray]:
    """Index arrays of ``batch_size`` over ``range(n)``: a seeded permutation per epoch, or
    in order (for evaluation). For fixed-size inputs, where length buckets buy nothing."""
    order = np.random.default_rng([seed, epoch]).permutation(n) if shuffle else np.arange(n)
    for start in range(0, n, batch_size):
        yield order[start : start + batch_size]


class _LengthBuckets:
    """The index batches of a set of texts: length buckets reshuffled every epoch for
    training; for evaluation one fixed plan, cut to the token budget and computed once."""

    def __init__(
        self, lengths: np.ndarray, batch_size: int, shuffle: bool, seed: int, max_tokens: int
    ):
        self.lengths = lengths
        self.batch_size, self.shuffle, self.seed = batch_size, shuffle, seed
        self.max_tokens = 0 if shuffle else max_tokens  # evaluation only
        self._fixed: list[np.ndarray] | None = None

    def __len__(self) -> int:
        if self.shuffle:  # every window of buckets holds whole batches but the last
            return -(-len(self.lengths) // self.batch_size)
        return len(self._index_batches(0))

    def _index_batches(self, epoch: int) -> list[np.ndarray]:
        if self.shuffle:
            return bucketed(
                self.lengths, self.batch_size, np.random.default_rng([self.seed, epoch])
            )
        if self._fixed is None:
            self._fixed = bucketed(self.lengths, self.batch_size, None, self.max_tokens)
        return self._fixed


class PairBatches(_LengthBuckets):
    """Batches of tokenized sentence pairs: ids1/mask1/ids2/mask2/target."""

    def __init__(
        self,
        ids1: list[np.ndarray],
        ids2: list[np.ndarray],
        targets: np.ndarray,
        batch_size: int,
        shuffle: bool,
        seed: int = 0,
        pad_id: int = PAD_ID,
        max_tokens: int = 0,
    ):
        self.ids1, self.ids2, self.targets = ids1, ids2, torch.from_numpy(targets)
        self.pad_id = pad_id
        super().__init__(
            np.asarray([max(len(a), len(b)) for a, b in zip(ids1, ids2)]),
            batch_size,
            shuffle,
            seed,
            max_tokens,
        )

    def epoch(self, epoch: int = 0) -> Iterator[Batch]:
        for index in self._index_batches(epoch):
            ids1, mask1 = pad([self.ids1[i] for i in index], self.pad_id)
            ids2, mask2 = pad([self.ids2[i] for i in index], self.pad_id)
            yield Batch(
                {
                    "ids1": ids1,
                    "mask1": mask1,
                    "ids2": ids2,
                    "mask2": mask2,
                    "target": self.targets[index],
                },
                len(index),
                index,
            )


class FeaturePairBatches:
    """Batches over pre-computed sentence vectors (feature-based transfer): u/v/target."""

    def __init__(
        self,
        features: torch.Tensor,
        index1: np.ndarray,
        index2: np.ndarray,
        targets: np.ndarray,
        batch_size: int,
        shuffle: bool,
        seed: int = 0,
    ):
        self.features, self.index1, self.index2 = features, index1, index2
        self.targets = torch.from_numpy(targets)
        self.batch_size, self.shuffle, self.seed = batch_size, shuffle, seed

    def __len__(self) -> int:
        return -(-len(self.index1) // self.batch_size)

    def epoch(self, epoch: int = 0) -> Iterator[Batch]:
        for index in shuffled_chunks(
            len(self.index1), self.batch_size, self.shuffle, self.seed, epoch
        ):
            yield Batch(
                {
                    "u": self.features[self.index1[index]],
                    "v": self.features[self.index2[index]],
                    "target": self.targets[index],
                },
                len(index),
                index,
            )


class TextBatches(_LengthBuckets):
    """Batches of single tokenized sentences: ids/mask (+ label when labelled)."""

    def __init__(
        self,
        ids: list[np.ndarray],
        labels: np.ndarray | None,
        batch_size: int,
        shuffle: bool,
        seed: int = 0,
        pad_id: int = PAD_ID,
        types: list[np.ndarray] | None = None,
        max_tokens: int = 0,
    ):
        self.ids, self.types, self.pad_id = ids, types, pad_id
        self.labels = None if labels is None else torch.from_numpy(labels)
        super().__init__(np.asarray([len(x) for x in ids]), batch_size, shuffle, seed, max_tokens)

    def epoch(self, epoch: int = 0) -> Iterator[Batch]:
        for index in self._index_batches(epoch):
            ids, mask = pad([self.ids[i] for i in index], self.pad_id)
            tensors = {"ids": ids, "mask": mask}
            if self.types is not None:
                tensors["types"] = pad([self.types[i] for i in index], 0)[0]
            if self.labels is not None:
                tensors["label"] = self.labels[index]
            yield Batch(tensors, len(index), index)


class CrossPairBatches(TextBatches):
    """Cross-encoder batches: each pair is one sequence (ids/mask/types) with a target."""

    def __init__(
        self,
        ids: list[np.ndarray],
        types: list[np.ndarray],
        targets: np.ndarray,
        batch_size: int,
        shuffle: bool,
        seed: int = 0,
        pad_id: int = PAD_ID,
        max_tokens: int = 0,
    ):
        super().__init__(ids, None, batch_size, shuffle, seed, pad_id, types, max_tokens)
        self.targets = torch.from_numpy(targets)

    def epoch(self, epoch: int = 0) -> Iterator[Batch]:
        for batch in super().epoch(epoch):
            batch.tensors["target"] = self.targets[batch.index]
            yield batch


class FeatureBatches:
    """Batches over pre-computed pair vectors (a frozen cross-encoder): x/target."""

    def __init__(
        self,
        features: torch.Tensor,
        index: np.ndarray,
        targets: np.ndarray,
        batch_size: int,
        shuffle: bool,
        seed: int = 0,
    ):
        self.features, self.index, self.targets = features, index, torch.from_numpy(targets)
        self.batch_size, self.shuffle, self.seed = batch_size, shuffle, seed

    def __len__(self) -> int:
        return -(-len(self.index) // self.batch_size)

    def epoch(self, epoch: int = 0) -> Iterator[Batch]:
        for index in shuffled_chunks(
            len(self.index), self.batch_size, self.shuffle, self.seed, epoch
        ):
            yield Batch(
                {"x": self.features[self.index[index]], "target": self.targets[index]},
                len(index),
                index,
            )
